"""People: add, want, edit, people, show."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from django.contrib.auth.models import User
from rich.markup import escape
from rich.table import Table

from kithkin.accounts.when import parse_user_day
from kithkin.cli.common import (
    JsonOpt,
    PersonRef,
    emit_json,
    err,
    follow_up_table,
    local,
    out,
    owner,
    show_person_line,
)
from kithkin.core import clock
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.interactions.services import count_touches, timeline
from kithkin.lib.birthdays import birthday_text
from kithkin.network.serialize import people_data, person_profile_data
from kithkin.network.services import (
    assess_people,
    list_people,
    person_strength,
)
from kithkin.network.strength import Assessment
from kithkin.people.models import Person
from kithkin.people.serialize import person_data, with_details
from kithkin.people.services import (
    PEOPLE_SORTS,
    PersonChanges,
    add_person,
    edit_person,
    find_person,
    want_to_meet,
)

app = typer.Typer()

OrgOpt = Annotated[str | None, typer.Option("--org", help="Current organization.")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Current job title.")]
CircleOpt = Annotated[str | None, typer.Option("--circle", help="How you know them: friend, colleague, client...")]
ClosenessOpt = Annotated[str | None, typer.Option("--closeness", help="inner, close, active, wider or acquaintance.")]
EmailOpt = Annotated[list[str] | None, typer.Option("--email", help="An email address (repeatable).")]
PhoneOpt = Annotated[list[str] | None, typer.Option("--phone", help="A phone number (repeatable).")]
LinkOpt = Annotated[list[str] | None, typer.Option("--link", help="A web address, e.g. LinkedIn (repeatable).")]
InterestOpt = Annotated[list[str] | None, typer.Option("--interest", help="A topic they care about (repeatable).")]
NeedOpt = Annotated[list[str] | None, typer.Option("--need", help="Something they are looking for (repeatable).")]
OfferOpt = Annotated[list[str] | None, typer.Option("--offer", help="Something they can help with (repeatable).")]
MetHowOpt = Annotated[str | None, typer.Option("--met-how", help="How you met.")]
MetThroughOpt = Annotated[str | None, typer.Option("--met-through", help="The person who introduced you.")]
MetOnOpt = Annotated[str | None, typer.Option("--met-on", help="When you met (YYYY-MM-DD or 'last friday').")]
BirthdayOpt = Annotated[str | None, typer.Option("--birthday", help="YYYY-MM-DD.")]
CadenceOpt = Annotated[
    str | None, typer.Option("--cadence", help="Days between check-ins, 'never', or 'default' (from closeness).")
]
LocationOpt = Annotated[
    str | None, typer.Option("--location", help="Where they live or work, as you say it; sets city and country.")
]
CityOpt = Annotated[str | None, typer.Option("--city", help="Their city, when not what --location says.")]
CountryOpt = Annotated[
    str | None,
    typer.Option("--country", help="Their country (name or two-letter code), when not what --location says."),
]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Notes (Markdown).")]
WhyOpt = Annotated[str | None, typer.Option("--why", help="Why you want to meet them.")]
# The people app's orders, and strongest ties first (the network app's).
SORTS = [value for value, _ in PEOPLE_SORTS] + ["strength"]
SortOpt = Annotated[str, typer.Option("--sort", help=f"Order: {', '.join(SORTS)} (strongest first).")]
StrengthOpt = Annotated[
    str | None,
    typer.Option("--strength", help="Only ties that are strong (60+), medium (30-59) or weak (under 30)."),
]


def _changes(
    user: User,
    *,
    org: str | None,
    title: str | None,
    circle: str | None,
    closeness: str | None,
    email: list[str] | None,
    phone: list[str] | None,
    link: list[str] | None,
    interest: list[str] | None,
    need: list[str] | None,
    offer: list[str] | None,
    met_how: str | None,
    met_through: str | None,
    met_on: str | None,
    birthday: str | None,
    cadence: str | None,
    location: str | None,
    notes: str | None,
) -> PersonChanges:
    return PersonChanges(
        organization=org,
        title=title,
        circle=circle,
        closeness=closeness,
        emails=email or (),
        phones=phone or (),
        links=link or (),
        interests=interest or (),
        needs=need or (),
        offers=offer or (),
        met_how=met_how,
        met_through=find_person(user, met_through, "met-through") if met_through else None,
        met_on=parse_user_day(user, met_on, field="met-on"),
        birthday=parse_user_day(user, birthday, field="birthday", phrases=False),
        cadence=cadence,
        location=location,
        notes=notes,
    )


def _print_person(person: Person, user: User, as_json: bool, verb: str) -> None:
    if as_json:
        emit_json(person_data(with_details(Person.objects.filter(pk=person.pk)).get(), user))
    else:
        show_person_line(verb, person, user)


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Their full name.")],
    org: OrgOpt = None,
    title: TitleOpt = None,
    circle: CircleOpt = None,
    closeness: ClosenessOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    link: LinkOpt = None,
    interest: InterestOpt = None,
    need: NeedOpt = None,
    offer: OfferOpt = None,
    met_how: MetHowOpt = None,
    met_through: MetThroughOpt = None,
    met_on: MetOnOpt = None,
    birthday: BirthdayOpt = None,
    cadence: CadenceOpt = None,
    location: LocationOpt = None,
    city: CityOpt = None,
    country: CountryOpt = None,
    notes: NotesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add someone to your network."""
    user = owner()
    changes = _changes(
        user,
        org=org,
        title=title,
        circle=circle,
        closeness=closeness,
        email=email,
        phone=phone,
        link=link,
        interest=interest,
        need=need,
        offer=offer,
        met_how=met_how,
        met_through=met_through,
        met_on=met_on,
        birthday=birthday,
        cadence=cadence,
        location=location,
        notes=notes,
    )
    changes.city, changes.country = city, country
    _print_person(add_person(user, name, changes), user, as_json, "Added")


@app.command()
def want(
    name: Annotated[str, typer.Argument(help="Their full name.")],
    why: Annotated[str, typer.Option("--why", help="Why you want to meet them.")],
    org: OrgOpt = None,
    title: TitleOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Note someone you want to meet, and why."""
    user = owner()
    person = want_to_meet(user, name, why, PersonChanges(organization=org, title=title))
    _print_person(person, user, as_json, "Want to meet")


@app.command()
def edit(
    person: PersonRef,
    name: Annotated[str | None, typer.Option("--name", help="A new full name.")] = None,
    org: OrgOpt = None,
    title: TitleOpt = None,
    circle: CircleOpt = None,
    closeness: ClosenessOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    link: LinkOpt = None,
    interest: InterestOpt = None,
    need: NeedOpt = None,
    offer: OfferOpt = None,
    met_how: MetHowOpt = None,
    met_through: MetThroughOpt = None,
    met_on: MetOnOpt = None,
    birthday: BirthdayOpt = None,
    cadence: CadenceOpt = None,
    location: LocationOpt = None,
    city: CityOpt = None,
    country: CountryOpt = None,
    notes: NotesOpt = None,
    why: WhyOpt = None,
    remove_email: Annotated[list[str] | None, typer.Option("--remove-email")] = None,
    remove_phone: Annotated[list[str] | None, typer.Option("--remove-phone")] = None,
    remove_link: Annotated[list[str] | None, typer.Option("--remove-link")] = None,
    remove_interest: Annotated[list[str] | None, typer.Option("--remove-interest")] = None,
    remove_need: Annotated[list[str] | None, typer.Option("--remove-need")] = None,
    remove_offer: Annotated[list[str] | None, typer.Option("--remove-offer")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change someone's details; list options add, --remove-* options take away."""
    user = owner()
    target = find_person(user, person)
    changes = _changes(
        user,
        org=org,
        title=title,
        circle=circle,
        closeness=closeness,
        email=email,
        phone=phone,
        link=link,
        interest=interest,
        need=need,
        offer=offer,
        met_how=met_how,
        met_through=met_through,
        met_on=met_on,
        birthday=birthday,
        cadence=cadence,
        location=location,
        notes=notes,
    )
    changes.name, changes.why = name, why
    changes.city, changes.country = city, country
    changes.remove_emails, changes.remove_phones, changes.remove_links = (
        remove_email or (),
        remove_phone or (),
        remove_link or (),
    )
    changes.remove_interests, changes.remove_needs = remove_interest or (), remove_need or ()
    changes.remove_offers = remove_offer or ()
    old_org_id, old_title = target.organization_id, target.title
    edited = edit_person(user, target, changes)
    _print_person(edited, user, as_json, "Updated")
    if not as_json and title is None and old_title and edited.organization_id != old_org_id:
        # A new organization keeps the title, which may not hold there: say so rather than move it silently.
        where = f" at {edited.organization.name}" if edited.organization else ""
        out.print(
            f"Kept the title {old_title!r}{where}; pass --title to change it (--title '' to clear it).", markup=False
        )


@app.command()
def people(
    search: Annotated[str, typer.Option("--search", "-s", help="Words in name, organization, title or email.")] = "",
    circle: CircleOpt = None,
    closeness: ClosenessOpt = None,
    interest: Annotated[str | None, typer.Option("--interest")] = None,
    org: Annotated[str | None, typer.Option("--org")] = None,
    prospects: Annotated[bool, typer.Option("--prospects", help="Only people you want to meet.")] = False,
    city: Annotated[
        str | None, typer.Option("--city", help="Only people in this city ('München' finds Munich).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only people in this country: a name or a code (DE, Germany).")
    ] = None,
    strength: StrengthOpt = None,
    sort: SortOpt = "name",
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="At most this many (default: all for --json, 200 for a table).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List people, by name unless --sort says otherwise."""
    user, now = owner(), clock.now()
    found = list_people(
        user,
        now=now,
        search=search,
        circle=circle,
        closeness=closeness,
        interest=interest,
        organization=org,
        prospects=True if prospects else None,
        city=city,
        country=country,
        strength=strength,
        sort=sort,
    )
    if as_json:
        emit_json(people_data(user, found[:limit] if limit else found, now=now))
        return
    total = found.count()
    shown = list(found.select_related("organization")[: limit or 200])
    ties = assess_people(user, shown, now=now)
    table = Table(box=None, pad_edge=False)
    for column in ("id", "name", "organization", "title", "place", "closeness", "last touch", "strength"):
        table.add_column(column)
    for p in shown:
        table.add_row(
            str(p.pk),
            p.full_name + (" (to meet)" if p.is_prospect else ""),
            p.organization.name if p.organization else "",
            p.title,
            p.place_label,
            p.closeness,
            local(p.last_touch_at, user),
            _strength_cell(ties[p.pk]),
        )
    out.print(table)
    if total > len(shown):
        err.print(f"showing {len(shown)} of {total}; use --limit or --search")


# Touches `show` prints unless asked for all (--json has every one).
TOUCHES_SHOWN = 20


@app.command()
def show(
    person: PersonRef,
    show_all: Annotated[bool, typer.Option("--all", help=f"Every touch, not only the {TOUCHES_SHOWN} newest.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Someone's profile, touches (newest first; the 20 newest unless --all) and open follow-ups."""
    user = owner()
    target = find_person(user, person)
    if as_json:
        emit_json(person_profile_data(user, target.pk))
        return
    found = with_details(Person.objects.filter(pk=target.pk)).prefetch_related("positions__organization").get()
    touches = timeline(user, found, limit=None if show_all else TOUCHES_SHOWN)
    total = len(touches) if show_all or len(touches) < TOUCHES_SHOWN else count_touches(user, found)
    follow_ups = list(FollowUp.objects.for_owner(user).pending().filter(person=found).select_related("person"))
    data = person_data(found, user, full=True)
    tie = person_strength(user, found)
    out.print(
        f"[bold]{found.full_name}[/] (#{found.pk})" + (" — someone you want to meet" if found.is_prospect else "")
    )
    out.print(_profile_table(found, data, user))
    if not found.is_prospect and tie.assessment.silence_days is not None:
        out.print(_strength_line(tie.assessment, tie.why))
    out.print("\n[bold]Follow-ups[/]" if follow_ups else "\nNo open follow-ups.")
    if follow_ups:
        out.print(follow_up_table(follow_ups, user))
    out.print(f"\n[bold]Touches[/] ({total:,})" if touches else "\nNo touches yet.")
    for t in touches:
        out.print(f"  {local(t.happened_at, user)}  {t.get_kind_display()}{_touch_extra(t, found)}")
    if total > len(touches):
        say = out.print if out.is_terminal else err.print  # piped: one line per touch on stdout
        say(f"  … and {total - len(touches):,} older: `kithkin show {found.pk} --all` lists every one.", markup=False)


def _strength_cell(tie: Assessment) -> str:
    if tie.silence_days is None:
        return ""
    words = tie.status_words if tie.status != "active" else ("" if tie.trend == "steady" else tie.trend)
    return f"{tie.strength} {words}".strip()


def _strength_line(tie: Assessment, why: list[str]) -> str:
    """ "Strength 64 · fading · at risk — coffee 3 weeks ago, 12 touches this year"."""
    line = f"Strength {tie.strength} · {tie.trend} · {tie.status_words}"
    return escape(line + (f" — {', '.join(why)}" if why else ""))


def _profile_table(found: Person, data: dict[str, Any], user: User) -> Table:
    """The profile's rows that have a value, as `show` prints them under the name."""
    rows = [
        ("role", " at ".join(x for x in (found.title, data["organization"]) if x)),
        ("why", found.why),
        ("circle", data["circle"] or ""),
        (
            "closeness",
            found.closeness
            + (f", check in every {data['cadence_days']} days" if data["cadence_days"] else ", no check-ins"),
        ),
        ("email", ", ".join(data["emails"])),
        ("phone", ", ".join(data["phones"])),
        ("links", ", ".join(link["url"] for link in data["links"])),
        ("location", found.location),
        ("place", found.place_label if found.place_label != found.location else ""),
        ("interests", ", ".join(data["interests"])),
        ("needs", "; ".join(data["needs"])),
        ("offers", "; ".join(data["offers"])),
        ("met", _met_line(found, data)),
        ("birthday", birthday_text(found.birthday) if found.birthday else ""),
        ("last touch", local(found.last_touch_at, user)),
        ("notes", found.notes),
    ]
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="dim")
    table.add_column()
    for key, value in rows:
        if value:
            table.add_row(key, value)
    return table


def _met_line(found: Person, data: dict[str, Any]) -> str:
    return " ".join(
        x
        for x in (
            found.met_how,
            f"through {found.met_through}" if found.met_through else "",
            f"on {data['met_on']}" if data["met_on"] else "",
        )
        if x
    )


def _touch_extra(t: Touch, found: Person) -> str:
    """Who else was there, the notes and the advice, after a touch's line in `show`."""
    others = ", ".join(p.person.full_name for p in t.participants.all() if p.person_id != found.pk)
    return "".join(
        x
        for x in (
            f" with {others}" if others else "",
            f" — {t.notes}" if t.notes else "",
            f" — advice: {t.advice}" if t.advice else "",
        )
    )
