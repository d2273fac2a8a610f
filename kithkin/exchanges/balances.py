"""Reading the ledger: balances, whom the user owes one, and asks made without giving back.

Every function here makes a fixed number of queries: the ledger is summed by the database,
grouped by person, never read row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Abs, TruncMonth, TruncYear

from kithkin.accounts.services import get_profile
from kithkin.core import stamps
from kithkin.exchanges.matching import need_sentence
from kithkin.exchanges.models import Ask, Exchange, Kind
from kithkin.people.models import Interest, Need, Person

GAVE, GOT = Exchange.Direction.GAVE, Exchange.Direction.GOT
# Help received this recently, with nothing given back since, puts someone on "You owe them one".
OWE_WINDOW = timedelta(days=90)
# Asked this many times with nothing given in between, the user is reminded to give first.
ASKS_BEFORE_WARNING = 2
Period = Literal["year", "month"]


@dataclass
class Tally:
    gave: int = 0
    got: int = 0

    @property
    def net(self) -> int:
        """Given minus received: below zero, the user has received more than they gave."""
        return self.gave - self.got

    def to_json(self) -> dict[str, int]:
        return {"gave": self.gave, "got": self.got}


@dataclass
class Balance:
    """Given and received, in all, by kind and by period (oldest first)."""

    total: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_period: dict[str, Tally] = field(default_factory=dict)
    last_gave_on: date | None = None
    last_got_on: date | None = None
    open_asks: int = 0

    def kinds(self) -> list[tuple[str, str, Tally]]:
        """(kind, its label, tally) in the order of the kinds, only those with any exchange."""
        return [(str(k), str(label), self.by_kind[str(k)]) for k, label in Kind.choices if str(k) in self.by_kind]

    def describe(self) -> str:
        """ "even", "you gave 2 more", "you received 3 more"."""
        net = self.total.net
        if net == 0:
            return "even"
        return f"you gave {net} more" if net > 0 else f"you received {-net} more"

    def to_json(self) -> dict[str, Any]:
        return {
            **self.total.to_json(),
            "net": self.total.net,
            "by_kind": {kind: tally.to_json() for kind, _label, tally in self.kinds()},
            "by_period": [{"period": period, **tally.to_json()} for period, tally in self.by_period.items()],
            "last_gave_on": self.last_gave_on.isoformat() if self.last_gave_on else None,
            "last_got_on": self.last_got_on.isoformat() if self.last_got_on else None,
            "open_asks": self.open_asks,
        }


def _period_key(day: date, by: Period) -> str:
    return f"{day.year}" if by == "year" else f"{day.year}-{day.month:02d}"


def person_balance(owner: User, person: Person, *, by: Period = "year") -> Balance:
    """One person's balance with the user (two queries: a person has a few dozen exchanges)."""
    balance = Balance()
    rows = (
        Exchange.objects.for_owner(owner)
        .filter(person=person)
        .order_by("happened_on", "id")
        .values_list("direction", "kind", "happened_on")
    )
    for direction, kind, day in rows:
        for tally in (
            balance.total,
            balance.by_kind.setdefault(kind, Tally()),
            balance.by_period.setdefault(_period_key(day, by), Tally()),
        ):
            if direction == GAVE:
                tally.gave += 1
            else:
                tally.got += 1
        if direction == GAVE:
            balance.last_gave_on = max(filter(None, [balance.last_gave_on, day]))
        else:
            balance.last_got_on = max(filter(None, [balance.last_got_on, day]))
    balance.open_asks = Ask.objects.for_owner(owner).filter(person=person).open().count()
    return balance


# How long the network's balance is kept at most (see ``network_balance``).
BALANCE_KEPT_SECONDS = 3600


def network_balance(owner: User, *, by: Period = "year") -> Balance:
    """Everything given and received, by kind and by period, summed by the database: three
    passes over the whole ledger (50 ms at 30,000 people), kept under the owner's stamp, which
    every exchange moves on (``core.stamps.kept``). The open asks are counted each time."""
    balance = stamps.kept(owner.pk, f"balance:{by}", lambda: _network_balance(owner, by), seconds=BALANCE_KEPT_SECONDS)
    balance.open_asks = Ask.objects.for_owner(owner).open().count()
    return balance


def _network_balance(owner: User, by: Period) -> Balance:
    balance = Balance()
    exchanges = Exchange.objects.for_owner(owner).order_by()
    for direction, kind, count in (
        exchanges.values_list("direction", "kind").annotate(n=Count("id")).values_list("direction", "kind", "n")
    ):
        for tally in (balance.total, balance.by_kind.setdefault(kind, Tally())):
            if direction == GAVE:
                tally.gave += count
            else:
                tally.got += count
    trunc = TruncYear("happened_on") if by == "year" else TruncMonth("happened_on")
    periods = (
        exchanges.annotate(period=trunc)
        .values_list("period", "direction")
        .annotate(n=Count("id"))
        .values_list("period", "direction", "n")
        .order_by("period")
    )
    for period, direction, count in periods:
        tally = balance.by_period.setdefault(_period_key(period, by), Tally())
        if direction == GAVE:
            tally.gave += count
        else:
            tally.got += count
    lasts = exchanges.aggregate(
        gave=Max("happened_on", filter=Q(direction=GAVE)), got=Max("happened_on", filter=Q(direction=GOT))
    )
    balance.last_gave_on, balance.last_got_on = lasts["gave"], lasts["got"]
    return balance


def _per_person(owner: User) -> QuerySet[Exchange, dict[str, Any]]:
    return (
        Exchange.objects.for_owner(owner)
        .order_by()
        .values("person_id")
        .annotate(
            gave=Count("id", filter=Q(direction=GAVE)),
            got=Count("id", filter=Q(direction=GOT)),
            last_on=Max("happened_on"),
        )
    )


@dataclass
class BalanceRow:
    person: Person
    gave: int
    got: int
    last_on: date

    @property
    def net(self) -> int:
        return self.gave - self.got

    def describe(self) -> str:
        if self.net == 0:
            return "even"
        return f"you gave {self.net} more" if self.net > 0 else f"you received {-self.net} more"

    def to_json(self) -> dict[str, Any]:
        return {
            "person": {"id": self.person.pk, "name": self.person.full_name},
            "gave": self.gave,
            "got": self.got,
            "net": self.net,
            "last_on": self.last_on.isoformat(),
        }


def balance_table(owner: User) -> list[dict[str, Any]]:
    """Everyone the user has exchanged anything with, most out of balance first (those the user
    received more from before those they gave more to, then the most recent): rows of person_id,
    gave, got, net, last_on. Page it, then ``balance_rows`` gives the people of one page.

    A grouping of the whole ledger (6 ms at 30,000 people, and as much again to count it for
    the pager), kept under the owner's stamp like the network's balance."""
    return stamps.kept(owner.pk, "balance-table:1", lambda: list(_balance_table(owner)), seconds=BALANCE_KEPT_SECONDS)


def _balance_table(owner: User) -> QuerySet[Exchange, dict[str, Any]]:
    return (
        _per_person(owner)
        .annotate(net=F("gave") - F("got"))
        .annotate(off=Abs(F("gave") - F("got")))
        .order_by("-off", "net", "-last_on", "person_id")
    )


def balance_rows(owner: User, rows: list[dict[str, Any]]) -> list[BalanceRow]:
    """The rows of ``balance_table`` (one page of it) with their people, in one more query."""
    people = Person.objects.for_owner(owner).in_bulk([r["person_id"] for r in rows])
    return [
        BalanceRow(people[r["person_id"]], r["gave"], r["got"], r["last_on"]) for r in rows if r["person_id"] in people
    ]


# --- you owe them one ----------------------------------------------------------------------------


@dataclass
class Owed:
    """Someone who helped the user recently and has had nothing back since."""

    person: Person
    last: Exchange  # the latest help received from them
    since: int  # how many times they helped since the user last gave them anything


def _owed(owner: User, today: date) -> QuerySet[Exchange, dict[str, Any]]:
    last_got_on = F("last_got_on")
    # Only the people who helped within the window can be owed: their ids come from a range of
    # the date index, so the grouping reads their exchanges alone, not the whole ledger.
    helped = (
        Exchange.objects.for_owner(owner)
        .filter(direction=GOT, happened_on__gte=today - OWE_WINDOW)
        .order_by()
        .values("person_id")
    )
    return (
        Exchange.objects.for_owner(owner)
        .filter(person_id__in=helped)
        .order_by()
        .values("person_id")
        .annotate(
            last_got_on=Max("happened_on", filter=Q(direction=GOT)),
            last_got_id=Max("id", filter=Q(direction=GOT)),
            last_gave_on=Max("happened_on", filter=Q(direction=GAVE)),
            last_gave_id=Max("id", filter=Q(direction=GAVE)),
        )
        .filter(last_got_on__gte=today - OWE_WINDOW)
        # Nothing given after the last help received (on the same day, recorded after it).
        .filter(
            Q(last_gave_on__isnull=True)
            | Q(last_gave_on__lt=last_got_on)
            | Q(last_gave_on=last_got_on, last_gave_id__lt=F("last_got_id"))
        )
        .order_by("-last_got_on", "-last_got_id")
    )


def owed_people(owner: User, now: datetime, *, limit: int | None = 5) -> tuple[list[Owed], int]:
    """The people who helped the user in the last 90 days and got nothing back since, most
    recent first (at most ``limit``), and how many there are in all. Four queries (9 ms for 50
    at 30,000 people), kept for the day under the owner's stamp."""
    today = now.astimezone(get_profile(owner).tz).date()
    return stamps.kept(
        owner.pk,
        f"owed:1:{today.isoformat()}:{limit}",
        lambda: _owed_people(owner, today, limit),
        seconds=BALANCE_KEPT_SECONDS,
    )


def _owed_people(owner: User, today: date, limit: int | None) -> tuple[list[Owed], int]:
    table = _owed(owner, today)
    rows = list(table[:limit] if limit is not None else table)
    count = len(rows) if limit is None or len(rows) < limit else table.count()
    if not rows:
        return [], count
    ids = [r["person_id"] for r in rows]
    people = Person.objects.for_owner(owner).in_bulk(ids)
    gave_since = {r["person_id"]: r["last_gave_on"] for r in rows}
    latest: dict[int, Exchange] = {}
    since: dict[int, int] = {}
    for exchange in (
        Exchange.objects.for_owner(owner)
        .filter(person_id__in=ids, direction=GOT)
        .select_related("to_person")
        .order_by("happened_on", "id")
    ):
        latest[exchange.person_id] = exchange
        after = gave_since[exchange.person_id]
        if after is None or exchange.happened_on >= after:
            since[exchange.person_id] = since.get(exchange.person_id, 0) + 1
    return [Owed(people[pk], latest[pk], since.get(pk, 1)) for pk in ids if pk in people and pk in latest], count


# --- asking well ----------------------------------------------------------------------------------


def asks_since_last_give(owner: User, person: Person, *, leave_out: Ask | None = None) -> tuple[int, bool]:
    """How many times the user asked ``person`` for something since they last gave them anything
    (``leave_out``, the ask just recorded, not counted), and whether they ever gave them anything."""
    last_give = (
        Exchange.objects.for_owner(owner)
        .filter(person=person, direction=GAVE)
        .order_by("-happened_on", "-created_at", "-id")
        .values_list("happened_on", "created_at")
        .first()
    )
    asks = Ask.objects.for_owner(owner).filter(person=person)
    if leave_out is not None:
        asks = asks.exclude(pk=leave_out.pk)
    if last_give is None:
        return asks.count(), False
    day, created = last_give
    return asks.filter(Q(asked_on__gt=day) | Q(asked_on=day, created_at__gt=created)).count(), True


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count} times"


def ask_warning(owner: User, person: Person, *, just_asked: Ask | None = None) -> str | None:
    """A gentle word when the user has asked ``person`` twice (or more) without giving anything
    in between: give first, and here is what they need (or care about). On a person's page it
    comes before a third ask; after one is recorded (``just_asked``), it counts the asks before it."""
    count, ever_gave = asks_since_last_give(owner, person, leave_out=just_asked)
    if count < ASKS_BEFORE_WARNING:
        return None
    name = person.short_name
    since = "since you last gave them anything" if ever_gave else "and given nothing yet"
    if just_asked is not None:
        text = f"You had already asked {name} {_times(count)} {since}. Give first next time?"
    else:
        text = f"You have asked {name} {_times(count)} {since}: give first before asking again?"
    need = Need.objects.for_owner(owner).filter(person=person).order_by("id").values_list("text", flat=True).first()
    if need:
        return f"{text} {need_sentence(name, need)}."
    interests = list(
        Interest.objects.for_owner(owner).filter(person=person).order_by("id").values_list("text", flat=True)[:3]
    )
    if interests:
        return f"{text} {name} cares about {', '.join(interests)}."
    return text
