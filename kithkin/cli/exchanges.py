"""The ledger: gave, got, asked, asks, close-ask, balance, share, resources."""

from __future__ import annotations

from datetime import tzinfo
from typing import Annotated, Any

import typer
from django.contrib.auth.models import User
from rich.table import Table

from kithkin.accounts.services import get_profile
from kithkin.accounts.when import parse_user_day
from kithkin.cli.common import JsonOpt, PersonArg, emit_json, err, local, out, owner
from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.errors import BadInput
from kithkin.exchanges.balances import (
    Balance,
    Period,
    ask_warning,
    balance_rows,
    balance_table,
    network_balance,
    owed_people,
    person_balance,
)
from kithkin.exchanges.matching import candidates_for
from kithkin.exchanges.models import Ask, Exchange, Kind, Resource, Share
from kithkin.exchanges.serialize import (
    ask_data,
    asked_data,
    candidates_data,
    network_balance_data,
    person_balance_data,
    recorded_data,
    resource_data,
    sent_data,
)
from kithkin.exchanges.services import (
    close_ask,
    find_ask,
    follow_ups_after_exchange,
    list_asks,
    list_resources,
    record_ask,
    record_exchange,
    record_received,
    save_and_share_resource,
    save_resource,
)
from kithkin.people.models import Person
from kithkin.people.services import find_person

app = typer.Typer()

KINDS = "intro, referral, advice, resource, favor, recommendation, time or other"
WhatArg = Annotated[str, typer.Argument(metavar="WHAT", help="What was given, received or asked for.")]
KindOpt = Annotated[str | None, typer.Option("--kind", help=f"{KINDS.capitalize()} (default other).")]
PERIODS: dict[str, Period] = {"year": "year", "month": "month"}
OnOpt = Annotated[
    str | None, typer.Option("--on", help="When: YYYY-MM-DD, 'yesterday', 'last friday' (default today).")
]


def _exchange_line(exchange: Exchange) -> str:
    verb = "Gave" if exchange.direction == "gave" else "Got from"
    to = f" (to {exchange.to_person.full_name})" if exchange.to_person else ""
    return (
        f"{verb} {exchange.person.full_name} (#{exchange.person_id}): {exchange.what}{to}"
        f" · {exchange.get_kind_display()} · {exchange.happened_on:%a %d %b %Y} (#{exchange.pk})"
    )


def _show_recorded(exchange: Exchange, user: User, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    """An exchange just recorded, the follow-ups it asked for, and the balance with that person."""
    if as_json:
        emit_json(recorded_data(user, exchange, extra))
        return
    caused = follow_ups_after_exchange(user, exchange)
    balance = person_balance(user, exchange.person)
    out.print(_exchange_line(exchange), markup=False)
    if extra and extra.get("added"):
        assert exchange.to_person is not None
        out.print(
            f"  added {exchange.to_person.full_name} (#{exchange.to_person_id}), met through {exchange.person.full_name}",
            markup=False,
        )
    for f in caused:
        out.print(f"  follow-up #{f.pk}: {f.reason}, due {local(f.due_at, user)}", markup=False)
    out.print(
        f"  with {exchange.person.short_name}: gave {balance.total.gave}, received {balance.total.got} ({balance.describe()})",
        markup=False,
    )


def _kind(kind: str | None, default: str = "other") -> str:
    return parse_choice(Kind, kind, "--kind") if kind is not None else default


@app.command()
def gave(person: PersonArg, what: WhatArg, kind: KindOpt = None, on: OnOpt = None, as_json: JsonOpt = False) -> None:
    """Record something you gave someone: an intro, a referral, advice, a resource, a favor…"""
    user = owner()
    exchange = record_exchange(
        user, find_person(user, person), "gave", what, kind=_kind(kind), on=parse_user_day(user, on, field="on")
    )
    _show_recorded(exchange, user, as_json)


@app.command()
def got(
    person: PersonArg,
    what: WhatArg,
    kind: KindOpt = None,
    on: OnOpt = None,
    settles: Annotated[
        str | None, typer.Option("--settles", help="The id of the ask this answers (see `kithkin asks`).")
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="For an intro: the person they introduced you to (a new name adds them)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record help someone gave you (a thank-you falls due within 24 hours)."""
    user = owner()
    giver = find_person(user, person)
    got_on = parse_user_day(user, on, field="on")
    ask = find_ask(user, settles, "settles") if settles is not None else None
    # With --to, the kind goes without saying: an introduction.
    kind_value = _kind(kind, "intro" if to is not None else "other")
    exchange, added = record_received(user, giver, what, kind=kind_value, to=to, on=got_on, settles=ask)
    _show_recorded(exchange, user, as_json, {"added": added} if to is not None else None)


@app.command()
def asked(person: PersonArg, what: WhatArg, kind: KindOpt = None, on: OnOpt = None, as_json: JsonOpt = False) -> None:
    """Record something you asked someone for; it stays open until help comes (`got --settles`)."""
    user = owner()
    ask = record_ask(user, find_person(user, person), what, kind=_kind(kind), on=parse_user_day(user, on, field="on"))
    if as_json:
        emit_json(asked_data(user, ask))
        return
    warning = ask_warning(user, ask.person, just_asked=ask)
    out.print(
        f"Asked {ask.person.full_name} (#{ask.person_id}) for: {ask.what} · {ask.get_kind_display()} (ask #{ask.pk})",
        markup=False,
    )
    if warning:
        out.print(warning, style="yellow", markup=False)


@app.command(name="asks")
def asks_command(
    open_only: Annotated[bool, typer.Option("--open", help="Only the asks still waiting for an answer.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """What you have asked people for, newest first."""
    user = owner()
    asks = list_asks(user, open_only=open_only)
    if as_json:
        tz = get_profile(user).tz
        emit_json([ask_data(a, tz) for a in asks])
        return
    rows = list(asks)
    if not rows:
        out.print("No open asks." if open_only else "No asks yet. `kithkin asked PERSON WHAT` records one.")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "on", "person", "what", "kind", "status"):
        table.add_column(column)
    for a in rows:
        table.add_row(
            str(a.pk),
            f"{a.asked_on:%d %b %Y}",
            a.person.full_name,
            a.what,
            a.get_kind_display(),
            a.get_status_display(),
        )
    out.print(table)


@app.command(name="close-ask")
def close_ask_command(
    id: Annotated[str, typer.Argument(metavar="ID", help="The ask's id (see `kithkin asks`).")],
    as_json: JsonOpt = False,
) -> None:
    """Close an ask that got no answer."""
    user = owner()
    ask = close_ask(user, find_ask(user, id))
    if as_json:
        emit_json(ask_data(ask, get_profile(user).tz))
        return
    out.print(f"Closed ask #{ask.pk} to {ask.person.full_name}: {ask.what} (no answer).", markup=False)


@app.command()
def balance(
    person: Annotated[
        str | None, typer.Argument(metavar="[PERSON]", help="One person (an id, email or name); else everyone.")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Over time by 'year' or 'month'.")] = "year",
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many people (default: all for --json, 20).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Given and received, by kind and over time: with one person, or with everyone (most out of balance first)."""
    user = owner()
    period = PERIODS.get(by.strip().lower())
    if period is None:
        raise BadInput("by", f"unknown value {by!r}; choose year or month")
    if person is not None:
        _person_balance(user, find_person(user, person), period, as_json)
    else:
        _network_balance(user, period, limit, as_json)


@app.command()
def share(
    url: Annotated[str, typer.Argument(metavar="URL", help="The link.")],
    title: Annotated[str, typer.Option("--title", help="Its title.")] = "",
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", help="What it is about (repeatable): matched with interests and needs."),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Send it to this person (repeatable): each is logged as a give."),
    ] = None,
    message: Annotated[
        str | None,
        typer.Option("--message", help="Your own message instead of the drafted one ({name} for their name)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many people to suggest.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Save a link and see whom it could help, best first; with --to, send it to them."""
    user = owner()
    tz = get_profile(user).tz
    people = [find_person(user, ref, "to") for ref in to or []]
    if people:
        resource, created, shares = save_and_share_resource(
            user, url, people, title=title, topics=topic or [], message=message
        )
        _show_sent(resource, created, shares, tz, as_json)
        return
    resource, created = save_resource(user, url, title=title, topics=topic or [])
    _show_candidates(user, resource, created, limit, tz, as_json)


def _show_sent(resource: Resource, created: bool, shares: list[Share], tz: tzinfo, as_json: bool) -> None:
    if as_json:
        emit_json(sent_data(resource, created, shares, tz))
        return
    for s in shares:
        out.print(f"Sent to {s.person.full_name} (#{s.person_id}), logged as a give:", markup=False)
        out.print(f"  {s.message}", markup=False)


def _show_candidates(user: User, resource: Resource, created: bool, limit: int, tz: tzinfo, as_json: bool) -> None:
    """A link just saved, and the people it could help that have not had it yet."""
    sent = list(Share.objects.for_owner(user).filter(resource=resource).values_list("person_id", flat=True))
    found = candidates_for(user, resource.topics, clock.now(), exclude=sent, limit=limit)
    if as_json:
        emit_json(candidates_data(resource, created, found, tz))
        return
    label = f"{resource.title} ({resource.url})" if resource.title else resource.url
    out.print(
        f"{'Saved' if created else 'Updated'} #{resource.pk}: {label} · topics: {', '.join(resource.topics)}",
        markup=False,
    )
    if not found:
        out.print("Nobody in your network has these topics among their interests or needs yet.")
        return
    out.print("It could help:")
    for c in found:
        out.print(f"  #{c.person.pk} {c.person.full_name}: {c.why}", markup=False)
    out.print(f"Send it with `kithkin share {resource.url} --to PERSON` (repeat --to for more).", markup=False)


@app.command()
def resources(as_json: JsonOpt = False) -> None:
    """The links you saved to share, newest first, and who got each."""
    user = owner()
    tz = get_profile(user).tz
    saved = list(list_resources(user))
    if as_json:
        emit_json([resource_data(r, tz, list(r.shares.all())) for r in saved])
        return
    if not saved:
        out.print("No saved links yet. `kithkin share URL --topic T` saves one and finds who it could help.")
        return
    for r in saved:
        label = f"{r.title} ({r.url})" if r.title else r.url
        out.print(f"#{r.pk} {label} · {', '.join(r.topics) or 'no topics'}", markup=False)
        shares = list(r.shares.all())
        if shares:
            out.print(
                "  sent to " + ", ".join(f"{s.person.full_name} ({s.shared_at.astimezone(tz):%d %b})" for s in shares),
                markup=False,
            )


def _person_balance(user: User, person: Person, by: Period, as_json: bool) -> None:
    if as_json:
        emit_json(person_balance_data(user, person, by))
        return
    balance = person_balance(user, person, by=by)
    exchanges = list(
        Exchange.objects.for_owner(user)
        .filter(person=person)
        .select_related("person", "to_person")
        .order_by("-happened_on", "-id")
    )
    asks = list(Ask.objects.for_owner(user).filter(person=person).open().select_related("person"))
    out.print(
        f"[bold]{person.full_name}[/] (#{person.pk}): gave {balance.total.gave}, received {balance.total.got} · {balance.describe()}"
    )
    if not exchanges:
        out.print("Nothing given or received yet.")
    else:
        _tally_table(balance, "kind")
        _tally_table(balance, by)
        out.print("")
        for e in exchanges[:20]:
            out.print("  " + _exchange_line(e), markup=False)
    for a in asks:
        out.print(f"  open ask #{a.pk} ({a.asked_on:%d %b %Y}): {a.what}", markup=False)


def _tally_table(balance: Balance, what: str) -> None:
    table = Table(box=None, pad_edge=False)
    for column in (what, "gave", "received"):
        table.add_column(column, justify="left" if column == what else "right")
    rows = (
        [(label, tally) for _kind, label, tally in balance.kinds()]
        if what == "kind"
        else list(balance.by_period.items())
    )
    for name, tally in rows:
        table.add_row(name, str(tally.gave), str(tally.got))
    out.print(table)


def _network_balance(user: User, by: Period, limit: int | None, as_json: bool) -> None:
    if as_json:
        emit_json(network_balance_data(user, by, limit))
        return
    balance = network_balance(user, by=by)
    table_rows = balance_table(user)
    shown = limit or 20
    rows = balance_rows(user, list(table_rows[:shown]))
    owed, _count = owed_people(user, clock.now(), limit=None)
    if not balance.total.gave and not balance.total.got:
        out.print("Nothing given or received yet. `kithkin gave PERSON WHAT` records a give.")
        return
    out.print(f"[bold]Everyone[/]: gave {balance.total.gave}, received {balance.total.got} · {balance.describe()}")
    _tally_table(balance, "kind")
    _tally_table(balance, by)
    if owed:
        out.print("\n[bold]You owe them one[/] (helped you in the last 90 days, nothing back since)")
        for o in owed:
            out.print(
                f"  {o.person.full_name} (#{o.person.pk}): {o.last.what} on {o.last.happened_on:%d %b}", markup=False
            )
    out.print("\n[bold]By person[/], most out of balance first")
    table = Table(box=None, pad_edge=False)
    for column in ("id", "person", "gave", "received", "balance", "last"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r.person.pk), r.person.full_name, str(r.gave), str(r.got), r.describe(), f"{r.last_on:%d %b %Y}"
        )
    out.print(table)
    total = len(table_rows)
    if total > len(rows):
        err.print(f"showing {len(rows)} of {total}; use --limit")
