"""The `kithkin` command: every daily action, each a thin layer over the services.

Read commands take ``--json`` and then write only JSON to stdout. Errors go to stderr as one
line naming the field; bad input exits 1, bad usage 2, and neither changes anything.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kithkin.people.models import Person

app = typer.Typer(
    name="kithkin",
    help="Kithkin: a private, local-first relationship manager for professional networking.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Service fields that are positional arguments on the command line; the rest are --options.
ARGUMENT_FIELDS = {"name": "NAME", "person": "PERSON", "id": "ID", "kind": "KIND", "reason": "REASON"}

JsonOpt = Annotated[bool, typer.Option("--json", help="Write only JSON to stdout.")]


class CliError(Exception):
    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# --- start-up ---------------------------------------------------------------------------------


def boot() -> None:
    """Set Django up and apply pending migrations, so any command works on first use."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


@app.callback()
def start() -> None:
    """Kithkin: a private, local-first relationship manager for professional networking."""
    boot()


def owner() -> User:
    from kithkin.accounts.services import get_or_create_local_owner

    return get_or_create_local_owner()


# --- output -----------------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def label(field: str) -> str:
    return ARGUMENT_FIELDS.get(field, field if field.startswith("-") else f"--{field.replace('_', '-')}")


def when(
    text: str, field: str, user: User, *, prefer: Literal["past", "future"] = "past", default_time: time = time(12, 0)
) -> datetime:
    from kithkin.accounts.services import get_profile
    from kithkin.core import clock
    from kithkin.core.errors import BadInput
    from kithkin.lib.when import WhenError, parse_when

    try:
        return parse_when(text, now=clock.now(), tz=get_profile(user).tz, prefer=prefer, default_time=default_time)
    except WhenError as exc:
        raise BadInput(field, str(exc)) from None


def day(text: str | None, field: str, user: User, *, phrases: bool = True) -> Any:
    if text is None:
        return None
    from kithkin.accounts.services import get_profile
    from kithkin.core import clock
    from kithkin.core.errors import BadInput
    from kithkin.lib.when import WhenError, parse_date

    today = clock.now().astimezone(get_profile(user).tz).date() if phrases else None
    try:
        return parse_date(text, today=today)
    except WhenError as exc:
        raise BadInput(field, str(exc)) from None


def show_person_line(verb: str, person: Person, user: User) -> None:
    from kithkin.followups.models import FollowUp

    where = f" · {person.title}" if person.title else ""
    where += f" at {person.organization.name}" if person.organization else ""
    out.print(f"{verb} {person.full_name} (#{person.pk}){where}")
    check_in = FollowUp.objects.for_owner(user).pending().filter(person=person, kind=FollowUp.Kind.CHECK_IN).first()
    if check_in:
        out.print(f"  next check-in: {local(check_in.remind_at, user)}")


def local(moment: datetime | None, user: User) -> str:
    from kithkin.accounts.services import get_profile

    if moment is None:
        return "never"
    return moment.astimezone(get_profile(user).tz).strftime("%a %d %b %Y %H:%M")


def follow_up_table(rows: list[Any], user: User) -> Table:
    from kithkin.core import clock
    from kithkin.lib.relative import describe_due

    now = clock.now()
    table = Table(box=None, pad_edge=False)
    for column in ("id", "kind", "due", "", "reason"):
        table.add_column(column, no_wrap=column != "reason")
    for f in rows:
        style = "red" if f.remind_at < now else ""
        table.add_row(
            str(f.pk),
            f.get_kind_display(),
            local(f.remind_at, user),
            f"[{style}]{describe_due(f.remind_at, now)}[/]" if style else describe_due(f.remind_at, now),
            f.reason + (" (snoozed)" if f.status == "snoozed" else ""),
        )
    return table


# --- people -----------------------------------------------------------------------------------

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
LocationOpt = Annotated[str | None, typer.Option("--location", help="Where they live or work.")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Notes (Markdown).")]


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
) -> Any:
    from kithkin.people.services import PersonChanges, find_person

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
        met_on=day(met_on, "met-on", user),
        birthday=day(birthday, "birthday", user, phrases=False),
        cadence=cadence,
        location=location,
        notes=notes,
    )


def _print_person(person: Person, user: User, as_json: bool, verb: str) -> None:
    from kithkin.people.serialize import person_data, with_details

    if as_json:
        from kithkin.people.models import Person as PersonModel

        emit_json(person_data(with_details(PersonModel.objects.filter(pk=person.pk)).get(), user))
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
    notes: NotesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add someone to your network."""
    from kithkin.people.services import add_person

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
    from kithkin.people.services import PersonChanges, want_to_meet

    user = owner()
    person = want_to_meet(user, name, why, PersonChanges(organization=org, title=title))
    _print_person(person, user, as_json, "Want to meet")


@app.command()
def edit(
    person: Annotated[str, typer.Argument(help="An id, email or name.")],
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
    notes: NotesOpt = None,
    why: Annotated[str | None, typer.Option("--why", help="Why you want to meet them.")] = None,
    remove_email: Annotated[list[str] | None, typer.Option("--remove-email")] = None,
    remove_phone: Annotated[list[str] | None, typer.Option("--remove-phone")] = None,
    remove_link: Annotated[list[str] | None, typer.Option("--remove-link")] = None,
    remove_interest: Annotated[list[str] | None, typer.Option("--remove-interest")] = None,
    remove_need: Annotated[list[str] | None, typer.Option("--remove-need")] = None,
    remove_offer: Annotated[list[str] | None, typer.Option("--remove-offer")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change someone's details; list options add, --remove-* options take away."""
    from kithkin.people.services import edit_person, find_person

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
    changes.remove_emails, changes.remove_phones, changes.remove_links = (
        remove_email or (),
        remove_phone or (),
        remove_link or (),
    )
    changes.remove_interests, changes.remove_needs = remove_interest or (), remove_need or ()
    changes.remove_offers = remove_offer or ()
    _print_person(edit_person(user, target, changes), user, as_json, "Updated")


@app.command()
def people(
    search: Annotated[str, typer.Option("--search", "-s", help="Words in name, organization, title or email.")] = "",
    circle: CircleOpt = None,
    closeness: ClosenessOpt = None,
    interest: Annotated[str | None, typer.Option("--interest")] = None,
    org: Annotated[str | None, typer.Option("--org")] = None,
    prospects: Annotated[bool, typer.Option("--prospects", help="Only people you want to meet.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="At most this many (default: all for --json, 200 for a table).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List people, by name."""
    from kithkin.people.serialize import iter_people_data
    from kithkin.people.services import filter_people

    user = owner()
    found = filter_people(
        user,
        search=search,
        circle=circle,
        closeness=closeness,
        interest=interest,
        organization=org,
        prospects=True if prospects else None,
    ).order_by("full_name", "id")
    if as_json:
        emit_json(list(iter_people_data(found[:limit] if limit else found, user)))
        return
    total = found.count()
    shown = list(found.select_related("organization")[: limit or 200])
    table = Table(box=None, pad_edge=False)
    for column in ("id", "name", "organization", "title", "closeness", "last touch"):
        table.add_column(column)
    for p in shown:
        table.add_row(
            str(p.pk),
            p.full_name + (" (to meet)" if p.is_prospect else ""),
            p.organization.name if p.organization else "",
            p.title,
            p.closeness,
            local(p.last_touch_at, user),
        )
    out.print(table)
    if total > len(shown):
        err.print(f"showing {len(shown)} of {total}; use --limit or --search")


@app.command()
def show(person: Annotated[str, typer.Argument(help="An id, email or name.")], as_json: JsonOpt = False) -> None:
    """Someone's profile, touches (newest first) and open follow-ups."""
    from kithkin.followups.models import FollowUp
    from kithkin.followups.serialize import follow_up_data
    from kithkin.interactions.serialize import touch_data
    from kithkin.interactions.services import timeline
    from kithkin.people.models import Person as PersonModel
    from kithkin.people.serialize import person_data, with_details
    from kithkin.people.services import find_person

    user = owner()
    found = (
        with_details(PersonModel.objects.filter(pk=find_person(user, person).pk))
        .prefetch_related("positions__organization")
        .get()
    )
    touches = timeline(user, found)
    follow_ups = list(FollowUp.objects.for_owner(user).pending().filter(person=found).select_related("person"))
    data = person_data(found, user, full=True)
    if as_json:
        data["touches"] = [touch_data(t, user) for t in touches]
        data["follow_ups"] = [follow_up_data(f, user) for f in follow_ups]
        emit_json(data)
        return
    out.print(
        f"[bold]{found.full_name}[/] (#{found.pk})" + (" — someone you want to meet" if found.is_prospect else "")
    )
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
        ("interests", ", ".join(data["interests"])),
        ("needs", "; ".join(data["needs"])),
        ("offers", "; ".join(data["offers"])),
        (
            "met",
            " ".join(
                x
                for x in (
                    found.met_how,
                    f"through {found.met_through}" if found.met_through else "",
                    f"on {data['met_on']}" if data["met_on"] else "",
                )
                if x
            ),
        ),
        ("birthday", data["birthday"] or ""),
        ("last touch", local(found.last_touch_at, user)),
        ("notes", found.notes),
    ]
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="dim")
    table.add_column()
    for key, value in rows:
        if value:
            table.add_row(key, value)
    out.print(table)
    out.print("\n[bold]Follow-ups[/]" if follow_ups else "\nNo open follow-ups.")
    if follow_ups:
        out.print(follow_up_table(follow_ups, user))
    out.print(f"\n[bold]Touches[/] ({len(touches)})" if touches else "\nNo touches yet.")
    for t in touches:
        others = ", ".join(p.person.full_name for p in t.participants.all() if p.person_id != found.pk)
        extra = "".join(
            x
            for x in (
                f" with {others}" if others else "",
                f" — {t.notes}" if t.notes else "",
                f" — advice: {t.advice}" if t.advice else "",
            )
        )
        out.print(f"  {local(t.happened_at, user)}  {t.get_kind_display()}{extra}")


# --- touches and follow-ups ---------------------------------------------------------------------


@app.command()
def log(
    kind: Annotated[
        str,
        typer.Argument(
            help="coffee, meal, meeting, call, video, email, message, event, informational_interview, social or other."
        ),
    ],
    person: Annotated[list[str], typer.Argument(help="One or more people: ids, emails or names.")],
    at: Annotated[str, typer.Option("--at", help="When: 2026-03-14 15:00, 'yesterday 3pm', 'last friday'.")] = "now",
    notes: Annotated[str, typer.Option("--notes", help="What you talked about.")] = "",
    advice: Annotated[
        str, typer.Option("--advice", help="Advice you received (you will be reminded to close the loop).")
    ] = "",
    thank: Annotated[
        bool | None,
        typer.Option(
            "--thank/--no-thank",
            help="Ask for (or not) a thank-you; by default coffees, meals, meetings, events and informational interviews do.",
        ),
    ] = None,
    by_them: Annotated[bool, typer.Option("--by-them", help="They reached out, not you.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Log a touch: an interaction with one or more people."""
    from kithkin.followups.models import FollowUp
    from kithkin.followups.serialize import follow_up_data
    from kithkin.interactions.serialize import touch_data
    from kithkin.interactions.services import log_touch
    from kithkin.people.services import find_person

    user = owner()
    participants = [find_person(user, ref) for ref in person]
    happened = when(at, "at", user)
    touch = log_touch(
        user,
        participants,
        kind,
        happened,
        notes=notes,
        advice=advice,
        initiated_by="them" if by_them else "me",
        thank=thank,
    )
    caused = list(FollowUp.objects.for_owner(user).filter(touch=touch).select_related("person"))
    if as_json:
        emit_json({**touch_data(touch, user), "follow_ups": [follow_up_data(f, user) for f in caused]})
        return
    out.print(
        f"Logged {touch.get_kind_display()} with {', '.join(p.full_name for p in participants)} on {local(touch.happened_at, user)} (#{touch.pk})"
    )
    for f in caused:
        out.print(f"  follow-up #{f.pk}: {f.reason}, due {local(f.due_at, user)}")


@app.command()
def due(
    within: Annotated[int, typer.Option("--within", min=0, help="Also what falls due in the next DAYS days.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Open follow-ups due now (or within DAYS), most overdue first."""
    from kithkin.core import clock
    from kithkin.followups.serialize import due_data
    from kithkin.followups.services import due_list

    user = owner()
    until = clock.now() + timedelta(days=within)
    if as_json:
        emit_json(due_data(user, until))
        return
    rows = list(due_list(user, until))
    if rows:
        out.print(follow_up_table(rows, user))
    else:
        out.print("Nothing due." + ("" if within else " (`kithkin due --within 7` looks ahead.)"))


def _act(id_: int, action: str, as_json: bool, until: str | None = None) -> None:
    from kithkin.core.errors import NotFound
    from kithkin.followups import services
    from kithkin.followups.models import FollowUp
    from kithkin.followups.serialize import follow_up_data

    user = owner()
    found = FollowUp.objects.for_owner(user).select_related("person").filter(pk=id_).first()
    if found is None:
        raise NotFound("id", f"no follow-up has id {id_}")
    if action == "done":
        result = services.complete_follow_up(user, found)
    elif action == "skip":
        result = services.skip_follow_up(user, found)
    else:
        assert until is not None
        result = services.snooze_follow_up(
            user, found, when(until, "until", user, prefer="future", default_time=time(9, 0))
        )
    if as_json:
        emit_json(follow_up_data(result, user))
        return
    out.print(
        f"{result.get_status_display().capitalize()}: {result.reason}"
        + (f" (until {local(result.snoozed_until, user)})" if result.snoozed_until else "")
    )
    if result.kind == FollowUp.Kind.CHECK_IN and action != "snooze":
        show_person_line("Next for", result.person, user)


@app.command()
def done(id: Annotated[int, typer.Argument(help="The follow-up's id.")], as_json: JsonOpt = False) -> None:
    """Mark a follow-up done."""
    _act(id, "done", as_json)


@app.command()
def skip(id: Annotated[int, typer.Argument(help="The follow-up's id.")], as_json: JsonOpt = False) -> None:
    """Close a follow-up without doing it."""
    _act(id, "skip", as_json)


@app.command()
def snooze(
    id: Annotated[int, typer.Argument(help="The follow-up's id.")],
    until: Annotated[
        str, typer.Option("--until", help="When to bring it back: 'tomorrow', 'next monday', 2026-12-01.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Put a follow-up off until later."""
    _act(id, "snooze", as_json, until)


@app.command()
def remind(
    person: Annotated[str, typer.Argument(help="An id, email or name.")],
    reason: Annotated[str, typer.Argument(help="What to do, as you would write it.")],
    at: Annotated[str, typer.Option("--at", help="When it is due.")] = "tomorrow",
    as_json: JsonOpt = False,
) -> None:
    """Set a follow-up by hand ("Send Ana the pricing article")."""
    from kithkin.followups.serialize import follow_up_data
    from kithkin.followups.services import add_reminder
    from kithkin.people.services import find_person

    user = owner()
    follow_up = add_reminder(
        user, find_person(user, person), reason, when(at, "at", user, prefer="future", default_time=time(9, 0))
    )
    if as_json:
        emit_json(follow_up_data(follow_up, user))
    else:
        out.print(f"Reminder #{follow_up.pk}: {follow_up.reason}, due {local(follow_up.due_at, user)}")


# --- settings, demo, server ---------------------------------------------------------------------


@app.command(name="settings")
def settings_command(
    time_zone: Annotated[str | None, typer.Option("--time-zone", help="e.g. Europe/Madrid.")] = None,
    cadence: Annotated[
        list[str] | None, typer.Option("--cadence", help="LEVEL=DAYS or LEVEL=never, e.g. close=21 (repeatable).")
    ] = None,
    weekly_goal: Annotated[int | None, typer.Option("--weekly-goal", min=0, help="Touches a week.")] = None,
    phone_region: Annotated[
        str | None, typer.Option("--phone-region", help="Country code for numbers without one, e.g. ES.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show or change your settings: time zone, check-in cadence per closeness, weekly goal."""
    from kithkin.accounts.services import update_settings
    from kithkin.core.choices import Closeness, parse_choice
    from kithkin.core.errors import BadInput

    user = owner()
    cadences: dict[str, int | None] = {}
    for item in cadence or []:
        level, _, days = item.partition("=")
        level = parse_choice(Closeness, level, "cadence")
        if days.strip().lower() in {"never", "none", ""}:
            cadences[level] = None
        elif days.strip().isdigit():
            cadences[level] = int(days)
        else:
            raise BadInput("cadence", f"expected LEVEL=DAYS or LEVEL=never, got {item!r}")
    profile = update_settings(
        user, time_zone=time_zone, cadences=cadences, weekly_touch_goal=weekly_goal, phone_region=phone_region
    )
    cadence_days = {level: profile.cadence_for(level) for level in Closeness.values}
    if as_json:
        emit_json(
            {
                "time_zone": profile.time_zone,
                "phone_region": profile.phone_region or None,
                "weekly_touch_goal": profile.weekly_touch_goal,
                "cadence_days": cadence_days,
            }
        )
        return
    out.print(f"time zone      {profile.time_zone}")
    out.print(f"phone region   {profile.phone_region or '(none)'}")
    out.print(f"weekly goal    {profile.weekly_touch_goal} touches")
    for name, every in cadence_days.items():
        out.print(f"{name:<14} {'every ' + str(every) + ' days' if every else 'no check-ins'}")


@app.command()
def demo(
    people: Annotated[int, typer.Option("--people", min=1, max=100_000, help="How many people.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same network.")] = 1,
    force: Annotated[bool, typer.Option("--force", help="Add the demo even if you already have people.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Load a realistic synthetic network to try Kithkin (or to benchmark it)."""
    from kithkin.demo import build_demo_network

    user = owner()
    summary = build_demo_network(user, people=people, seed=seed, force=force, progress=None if as_json else err)
    if as_json:
        emit_json(summary)
    else:
        out.print(
            f"Demo network: {summary['people']} people, {summary['organizations']} organizations, {summary['touches']} touches, {summary['due_now']} follow-ups due now."
        )


@app.command()
def link() -> None:
    """Print a fresh one-time login link for a running `kithkin serve`."""
    from kithkin.accounts.services import create_login_token

    user = owner()
    host, port = os.environ.get("KITHKIN_HOST", "127.0.0.1"), os.environ.get("KITHKIN_PORT", "8000")
    out.print(f"http://{host}:{port}/accounts/link/{create_login_token(user)}/")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    threads: Annotated[int, typer.Option("--threads", min=1, max=64)] = 8,
) -> None:
    """Serve the web app (waitress) and print a one-time login link."""
    from kithkin.accounts.services import create_login_token
    from kithkin.core.db import refresh_statistics
    from kithkin.server import serve as run_server

    user = owner()
    refresh_statistics()
    shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    url = f"http://{'[' + shown_host + ']' if ':' in shown_host else shown_host}:{port}/accounts/link/{create_login_token(user)}/"
    out.print(f"Kithkin is running. Open this link to sign in (it works once):\n\n    {url}\n\nPress Ctrl+C to stop.")
    run_server(host=host, port=port, threads=threads)


# --- entry point ------------------------------------------------------------------------------


def fail(message: str, status: int) -> NoReturn:
    err.print(f"kithkin: error: {message}", markup=False)
    raise SystemExit(status)


def _is_click(exc: BaseException, name: str) -> bool:
    # Typer 0.24+ vendors Click; match its exceptions by class name so either kind works.
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI with Kithkin's error conventions: one line on stderr, exit 1 or 2."""
    from kithkin.core.errors import BadInput

    command = typer.main.get_command(app)
    try:
        status = command.main(args=argv, prog_name="kithkin", standalone_mode=False)
    except BadInput as exc:
        fail(f"{label(exc.field)}: {exc.message}", 1)
    except Exception as exc:
        if _is_click(exc, "NoArgsIsHelpError"):
            sys.stdout.write(exc.format_message() + "\n")  # type: ignore[attr-defined]
            raise SystemExit(0) from None
        if _is_click(exc, "UsageError"):
            fail(exc.format_message().replace("\n", " "), 2)  # type: ignore[attr-defined]
        if _is_click(exc, "Abort"):
            fail("aborted", 1)
        raise
    raise SystemExit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
