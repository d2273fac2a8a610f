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
ARGUMENT_FIELDS = {
    "name": "NAME",
    "person": "PERSON",
    "id": "ID",
    "kind": "KIND",
    "reason": "REASON",
    "file": "FILE",
    # Settings whose option is named differently from the profile's field.
    "your_name": "--name",
    "weekly_touch_goal": "--weekly-goal",
    "weekly_new_people_goal": "--weekly-new-people",
    "weekly_gives_goal": "--weekly-gives",
}

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
    if field.isupper():  # a positional argument named as in the help: TEXT, GOAL
        return field
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
    introduced_by: Annotated[
        str | None,
        typer.Option(
            "--introduced-by",
            help="The person who introduced you to them: they get a thank-you, then hear how it went.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a touch: an interaction with one or more people."""
    from kithkin.exchanges.services import follow_ups_after_touch, log_introduced_touch
    from kithkin.followups.serialize import follow_up_data
    from kithkin.interactions.serialize import touch_data
    from kithkin.interactions.services import log_touch
    from kithkin.people.services import find_person

    user = owner()
    participants = [find_person(user, ref) for ref in person]
    happened = when(at, "at", user)
    introducer = find_person(user, introduced_by, "introduced-by") if introduced_by else None
    options: dict[str, Any] = {
        "notes": notes,
        "advice": advice,
        "initiated_by": "them" if by_them else "me",
        "thank": thank,
    }
    if introducer is not None:
        touch = log_introduced_touch(user, introducer, participants, kind, happened, **options)
    else:
        touch = log_touch(user, participants, kind, happened, **options)
    caused = follow_ups_after_touch(user, touch).caused
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


# --- files in and out -----------------------------------------------------------------------------

MAX_FILE_BYTES = 200 * 1024 * 1024
IMPORT_FORMATS = "linkedin, google, outlook, thunderbird, csv (any of these, detected), vcard or ics"


def read_input_file(path: str) -> tuple[bytes, str]:
    """The bytes of a file named on the command line, with a clear error when it cannot be read."""
    from pathlib import Path

    from kithkin.core.errors import BadFile

    file = Path(path).expanduser()
    try:
        size = file.stat().st_size
        if file.is_dir():
            raise BadFile(path, "is a folder, not a file")
        if size > MAX_FILE_BYTES:
            raise BadFile(path, f"is {size / 1e6:,.0f} MB; files up to {MAX_FILE_BYTES // 10**6} MB can be imported")
        return file.read_bytes(), file.name
    except FileNotFoundError:
        raise BadFile(path, "no such file") from None
    except PermissionError:
        raise BadFile(path, "cannot be read (permission denied)") from None


def _print_plan(result: Any, dry_run: bool) -> None:
    plan = result.plan
    counts = plan.counts()
    out.print(f"{plan.filename}: {plan.layout or plan.format}")
    if plan.format == "ics":
        rows = [
            ("meetings to log", counts["meetings"]),
            ("already logged", counts["meetings_known"]),
            ("with nobody you know", counts["meetings_without_people"]),
            ("people added", result.created),
        ]
    else:
        rows = [
            ("new people", counts["new"]),
            ("updated", counts["updated"]),
            ("unchanged", counts["unchanged"]),
            ("likely duplicates", counts["duplicates"]),
        ]
    rows.append(("skipped", counts["skipped"]))
    for name, count in rows:
        out.print(f"  {name:<22}{count:>8,}")
    for row in plan.rows("update")[:10]:
        out.print(
            f"  line {row.line}: {row.name} (#{row.person_id}, {row.reason}): "
            + "; ".join(f"{c.field} {c.before + ' → ' if c.before else '+ '}{c.after}" for c in row.changes)
        )
    for row in plan.rows("duplicate")[:10]:
        out.print(f"  line {row.line}: {row.name} may be {row.person_name} (#{row.person_id}): {row.reason}")
    for skipped in plan.skipped[:20]:
        out.print(f"  line {skipped.line}: {skipped.field}: {skipped.reason}", markup=False)
    if len(plan.skipped) > 20:
        out.print(f"  … and {len(plan.skipped) - 20} more (--json lists them all)")
    if plan.strangers:
        shown = sorted(plan.strangers.items(), key=lambda item: -item[1][1])[:10]
        out.print(
            f"  {len(plan.strangers)} attendees are not in your network, e.g. "
            + ", ".join(f"{name} <{email}> ({n})" for email, (name, n) in shown)
            + "; --add-attendees adds them"
        )
    if dry_run:
        out.print("Dry run: nothing was changed.")
    elif result.import_id is None:
        out.print("Nothing to change: everything in this file is already in your network.")
    else:
        out.print(
            f"Imported as #{result.import_id} in {result.seconds:.1f} s (`kithkin undo-import {result.import_id}` takes it back)."
        )


@app.command(name="import")
def import_command(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help=f"One of {IMPORT_FORMATS}.")],
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to import.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")] = False,
    circle: Annotated[str | None, typer.Option("--circle", help="Circle of new people (default: settings).")] = None,
    closeness: Annotated[
        str | None, typer.Option("--closeness", help="Closeness of new people (default: settings, acquaintance).")
    ] = None,
    labels: Annotated[
        str, typer.Option("--labels", help="What contact labels become: interests, circles or ignore.")
    ] = "interests",
    skip_duplicates: Annotated[
        bool, typer.Option("--skip-duplicates", help="Leave out likely duplicates instead of adding them.")
    ] = False,
    add_attendees: Annotated[
        bool, typer.Option("--add-attendees", help="Calendars: add attendees not in your network as people.")
    ] = False,
    me: Annotated[
        list[str] | None, typer.Option("--me", help="Calendars: your own email address (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import LinkedIn, Google, Outlook or Thunderbird CSV, vCards, or meetings from a calendar."""
    from kithkin.imports.plan import ImportOptions, normalize_format
    from kithkin.imports.services import ImportResult, import_file, preview_import

    user = owner()
    fmt = normalize_format(fmt)
    data, name = read_input_file(file)
    options = ImportOptions(
        circle=circle,
        closeness=closeness,
        labels=labels,
        skip_duplicates=skip_duplicates,
        add_attendees=add_attendees,
        me=frozenset(e.strip().lower() for e in me or []),
    )
    if dry_run:
        result = ImportResult(preview_import(user, fmt, data, name, options=options), None)
    else:
        with import_progress(enabled=not as_json and len(data) > 20_000) as progress:
            result = import_file(user, fmt, data, name, options=options, progress=progress)
    if as_json:
        emit_json({**result.to_json(), "dry_run": dry_run})
    else:
        _print_plan(result, dry_run)


class import_progress:
    """A Rich progress bar on stderr for imports of more than a few hundred rows."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if self.task is None or self.bar.tasks[self.task].description != stage:
            self.task = self.bar.add_task(stage, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def imports(as_json: JsonOpt = False) -> None:
    """The imports you have made, newest first (undo one with `kithkin undo-import ID`)."""
    from kithkin.imports.services import list_imports

    user = owner()
    runs = list_imports(user)
    if as_json:
        emit_json(
            [
                {
                    "id": run.pk,
                    "format": run.format,
                    "layout": run.layout,
                    "file": run.filename,
                    "created_at": run.created_at.isoformat(),
                    "counts": run.counts,
                }
                for run in runs
            ]
        )
        return
    if not runs:
        out.print("No imports yet. `kithkin import linkedin Connections.csv` is a good start.")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "when", "file", "format", "new", "updated", "touches", "skipped"):
        table.add_column(column)
    for run in runs:
        c = run.counts
        table.add_row(
            str(run.pk),
            local(run.created_at, user),
            run.filename,
            run.get_format_display(),
            str(c.get("people_created", 0)),
            str(c.get("people_updated", 0)),
            str(c.get("touches_created", 0)),
            str(c.get("skipped", 0)),
        )
    out.print(table)


@app.command(name="undo-import")
def undo_import_command(
    id: Annotated[int, typer.Argument(help="The import's id (see `kithkin imports`).")], as_json: JsonOpt = False
) -> None:
    """Take an import back: remove the people and touches it added, restore what it changed."""
    from kithkin.imports.services import undo_import

    result = undo_import(owner(), id)
    if as_json:
        emit_json(result.to_json())
        return
    out.print(
        f"Undid import #{result.import_id} ({result.filename}): removed {result.people_removed:,} people and "
        f"{result.touches_removed:,} touches, restored {result.people_restored:,}."
    )
    if result.people_kept:
        out.print(
            f"Kept {len(result.people_kept)} you have logged touches with since: {', '.join(result.people_kept[:10])}"
        )


@app.command()
def duplicates(
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many pairs.")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Likely duplicate people, with the evidence; merge with `kithkin merge KEEP DROP`."""
    from kithkin.people.merge import find_duplicate_pairs

    pairs = find_duplicate_pairs(owner(), limit=limit)
    if as_json:
        emit_json(
            [
                {
                    "first": {"id": p.first.pk, "name": p.first.full_name},
                    "second": {"id": p.second.pk, "name": p.second.full_name},
                    "evidence": p.evidence,
                    "score": p.score,
                }
                for p in pairs
            ]
        )
        return
    if not pairs:
        out.print("No likely duplicates.")
        return
    for p in pairs:
        out.print(f"#{p.first.pk} {p.first.full_name}  ·  #{p.second.pk} {p.second.full_name}: {'; '.join(p.evidence)}")
    out.print("Merge one pair with `kithkin merge KEEP DROP` (ids or names).")


@app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="The person to keep: id, email or name.")],
    drop: Annotated[str, typer.Argument(help="The duplicate to merge into them and remove.")],
    as_json: JsonOpt = False,
) -> None:
    """Merge a duplicate into another person: every touch, follow-up, link and note moves over."""
    from kithkin.people.merge import merge_people
    from kithkin.people.services import find_person

    user = owner()
    kept, dropped = find_person(user, keep, "KEEP"), find_person(user, drop, "DROP")
    dropped_name, dropped_id = dropped.full_name, dropped.pk
    person = merge_people(user, kept, dropped)
    if as_json:
        from kithkin.people.models import Person
        from kithkin.people.serialize import person_data, with_details

        emit_json(person_data(with_details(Person.objects.for_owner(user)).get(pk=person.pk), user))
        return
    out.print(f"Merged {dropped_name} (#{dropped_id}) into {person.full_name} (#{person.pk}).")


def write_output(text: str | bytes, out_file: str | None, default_name: str) -> None:
    """Write an export to --out (or stdout when it is '-' or not given for text)."""
    from pathlib import Path

    from kithkin.core.errors import BadFile

    data = text.encode("utf-8") if isinstance(text, str) else text
    if out_file is None or out_file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(out_file).expanduser()
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise BadFile(out_file, f"cannot be written: {exc.strerror or exc}") from None
    err.print(f"Wrote {path} ({len(data):,} bytes).")


@app.command()
def export(
    what: Annotated[str, typer.Argument(metavar="FORMAT", help="vcard, csv or json.")],
    out_file: Annotated[
        str | None, typer.Option("--out", "-o", help="The file to write (default: standard output).")
    ] = None,
    people_filter: Annotated[
        str,
        typer.Option("--people", help="Only these: words to search and circle:, closeness:, interest:, org: terms."),
    ] = "",
    vcard3: Annotated[bool, typer.Option("--vcard3", help="vCard 3.0 instead of 4.0 (for older programs).")] = False,
) -> None:
    """Export people as vCard or CSV (Google's layout), or everything as a JSON document."""
    from kithkin.core.errors import BadInput
    from kithkin.exports.services import export_csv, export_vcard, select_people

    user = owner()
    kind = what.strip().lower()
    if kind in {"vcard", "vcf"}:
        write_output(
            export_vcard(user, select_people(user, people_filter), version="3.0" if vcard3 else "4.0"),
            out_file,
            "kithkin.vcf",
        )
    elif kind == "csv":
        write_output(export_csv(user, select_people(user, people_filter)), out_file, "kithkin.csv")
    elif kind == "json":
        if people_filter:
            raise BadInput("people", "the JSON export is the whole network; --people works with vcard and csv")
        from kithkin.exports.backup import dump_document, export_document

        write_output(dump_document(export_document(user)), out_file, "kithkin.json")
    else:
        raise BadInput("FORMAT", f"unknown format {what!r}; choose vcard, csv or json")


@app.command()
def backup(
    out_file: Annotated[str | None, typer.Option("--out", "-o", help="Where to write the backup.")] = None,
) -> None:
    """A consistent snapshot of your data, safe while the server runs."""
    from pathlib import Path

    from kithkin.core import clock
    from kithkin.exports.backup import backup_database

    user = owner()
    target = Path(out_file or f"kithkin-backup-{clock.now():%Y%m%d-%H%M%S}").expanduser()
    kind = backup_database(target, user)
    if not out_file:
        target = target.rename(target.with_suffix(".sqlite3" if kind == "sqlite" else ".json"))
    out.print(
        f"Backed up to {target} ({'SQLite database' if kind == 'sqlite' else 'JSON document'}, {target.stat().st_size:,} bytes)."
    )


@app.command()
def restore(file: Annotated[str, typer.Argument(metavar="FILE", help="A backup or a JSON export.")]) -> None:
    """Restore a backup (or a JSON export) into an empty network."""
    from pathlib import Path

    from kithkin.core.errors import BadFile
    from kithkin.exports.backup import restore_file

    source = Path(file).expanduser()
    if not source.is_file():
        raise BadFile(file, "no such file")
    kind = restore_file(source, owner())
    out.print(f"Restored {source} ({'SQLite backup' if kind == 'sqlite' else 'JSON document'}).")


@app.command(name="feed-url")
def feed_url(
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Turn the current URL off (a new one is made next time).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """The secret URL of your calendar feed of follow-ups and networking blocks."""
    from kithkin.exports.services import feed_token, revoke_feed

    user = owner()
    if revoke:
        revoked = revoke_feed(user)
        if as_json:
            emit_json({"revoked": revoked})
        else:
            out.print("Revoked: the old feed URL now answers 404." if revoked else "There was no feed URL to revoke.")
        return
    host, port = os.environ.get("KITHKIN_HOST", "127.0.0.1"), os.environ.get("KITHKIN_PORT", "8000")
    base = os.environ.get("KITHKIN_BASE_URL", f"http://{host}:{port}").rstrip("/")
    url = f"{base}/feed/{feed_token(user)}.ics"
    if as_json:
        emit_json({"url": url})
    else:
        out.print(url)
        err.print("Subscribe to it in your calendar app; anyone with the URL can read your follow-ups.")


@app.command()
def ics(
    out_file: Annotated[
        str | None, typer.Option("--out", "-o", help="The file to write (default: standard output).")
    ] = None,
) -> None:
    """Write the calendar feed (open follow-ups and networking blocks) as an .ics file."""
    from kithkin.exports.services import build_feed

    write_output(build_feed(owner()), out_file, "kithkin.ics")


# --- settings, demo, server ---------------------------------------------------------------------


@app.command(name="settings")
def settings_command(
    time_zone: Annotated[str | None, typer.Option("--time-zone", help="e.g. Europe/Madrid.")] = None,
    cadence: Annotated[
        list[str] | None, typer.Option("--cadence", help="LEVEL=DAYS or LEVEL=never, e.g. close=21 (repeatable).")
    ] = None,
    weekly_goal: Annotated[int | None, typer.Option("--weekly-goal", min=0, help="Touches a week.")] = None,
    weekly_new_people: Annotated[
        int | None, typer.Option("--weekly-new-people", min=0, help="New people to meet a week.")
    ] = None,
    weekly_gives: Annotated[int | None, typer.Option("--weekly-gives", min=0, help="Gives to make a week.")] = None,
    phone_region: Annotated[
        str | None, typer.Option("--phone-region", help="Country code for numbers without one, e.g. ES.")
    ] = None,
    import_circle: Annotated[
        str | None, typer.Option("--import-circle", help="Circle of imported people ('' for none).")
    ] = None,
    import_closeness: Annotated[
        str | None, typer.Option("--import-closeness", help="Closeness of imported people (default acquaintance).")
    ] = None,
    block: Annotated[
        list[str] | None,
        typer.Option(
            "--block",
            help="A weekly networking block, 'Tue 08:30-09:00 Networking time' (repeatable; replaces them all).",
        ),
    ] = None,
    no_blocks: Annotated[bool, typer.Option("--no-blocks", help="Remove every networking block.")] = False,
    name: Annotated[
        str | None, typer.Option("--name", help="Your name: it signs the messages Kithkin drafts ('' for none).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show or change your settings: time zone, cadences, weekly targets, import defaults, networking blocks."""
    from kithkin.accounts.services import routine_blocks, set_routine_blocks, update_settings
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
    if block and no_blocks:
        raise BadInput("no-blocks", "give --block or --no-blocks, not both")
    from django.db import transaction

    with transaction.atomic():
        profile = update_settings(
            user,
            time_zone=time_zone,
            cadences=cadences,
            weekly_touch_goal=weekly_goal,
            weekly_new_people_goal=weekly_new_people,
            weekly_gives_goal=weekly_gives,
            phone_region=phone_region,
            import_circle=import_circle,
            import_closeness=import_closeness,
            your_name=name,
        )
        if block or no_blocks:
            set_routine_blocks(user, list(block or []))
    cadence_days = {level: profile.cadence_for(level) for level in Closeness.values}
    blocks = [str(b) for b in routine_blocks(user)]
    if as_json:
        emit_json(
            {
                "name": user.get_full_name() or None,
                "time_zone": profile.time_zone,
                "phone_region": profile.phone_region or None,
                "weekly_touch_goal": profile.weekly_touch_goal,
                "weekly_new_people_goal": profile.weekly_new_people_goal,
                "weekly_gives_goal": profile.weekly_gives_goal,
                "cadence_days": cadence_days,
                "import_circle": profile.import_circle or None,
                "import_closeness": profile.import_closeness,
                "blocks": blocks,
            }
        )
        return
    out.print(f"your name      {user.get_full_name() or '(none: drafts are signed with nothing)'}")
    out.print(f"time zone      {profile.time_zone}")
    out.print(f"phone region   {profile.phone_region or '(none)'}")
    out.print(
        f"weekly goal    {profile.weekly_touch_goal} touches, {profile.weekly_new_people_goal} new people, "
        f"{profile.weekly_gives_goal} gives"
    )
    for name, every in cadence_days.items():
        out.print(f"{name:<14} {'every ' + str(every) + ' days' if every else 'no check-ins'}")
    out.print(
        f"imports        {profile.import_closeness}{', ' + profile.import_circle if profile.import_circle else ''}"
    )
    out.print(f"blocks         {'; '.join(blocks) if blocks else '(none)'}")


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


# --- the commands of the apps above the relationship core ----------------------------------------
# Each lives beside its services (kithkin/<app>/commands.py) and uses the helpers above.


def _register_app_commands() -> None:
    from kithkin.cli import events, exchanges, followups, goals, introductions

    for module in (followups, exchanges, introductions, events, goals):
        module.register(app)


_register_app_commands()


# --- entry point ------------------------------------------------------------------------------


def fail(message: str, status: int) -> NoReturn:
    err.print(f"kithkin: error: {message}", markup=False)
    raise SystemExit(status)


def _is_click(exc: BaseException, name: str) -> bool:
    # Typer 0.24+ vendors Click; match its exceptions by class name so either kind works.
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI with Kithkin's error conventions: one line on stderr, exit 1 or 2."""
    from kithkin.core.errors import BadFile, BadInput

    command = typer.main.get_command(app)
    try:
        status = command.main(args=argv, prog_name="kithkin", standalone_mode=False)
    except BadFile as exc:
        fail(exc.message, 1)
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
