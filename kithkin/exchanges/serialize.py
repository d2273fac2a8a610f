"""The ledger as plain data, for `--json` output and the HTTP API alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.exchanges.balances import (
    Period,
    ask_warning,
    balance_rows,
    balance_table,
    network_balance,
    owed_people,
    person_balance,
)
from kithkin.exchanges.matching import Candidate
from kithkin.exchanges.models import Ask, Exchange, Resource, Share
from kithkin.exchanges.services import follow_ups_after_exchange
from kithkin.followups.serialize import follow_up_data
from kithkin.people.models import Person
from kithkin.people.serialize import iso, person_ref


def exchange_data(exchange: Exchange) -> dict[str, Any]:
    """Reads ``person`` and ``to_person``: select them with the exchange."""
    return {
        "id": exchange.pk,
        "direction": exchange.direction,
        "kind": exchange.kind,
        "what": exchange.what,
        "on": exchange.happened_on.isoformat(),
        "person": person_ref(exchange.person),
        "to_person": person_ref(exchange.to_person) if exchange.to_person else None,
        "settles": exchange.settles_id,
        "touch": exchange.touch_id,
        "event": exchange.event_id,
        "introduction": exchange.introduction_id,
    }


def ask_data(ask: Ask, tz: tzinfo) -> dict[str, Any]:
    """Reads ``person``: select it with the ask."""
    return {
        "id": ask.pk,
        "kind": ask.kind,
        "what": ask.what,
        "on": ask.asked_on.isoformat(),
        "status": ask.status,
        "closed_at": iso(ask.closed_at, tz),
        "person": person_ref(ask.person),
        "event": ask.event_id,
    }


def share_data(share: Share, tz: tzinfo) -> dict[str, Any]:
    """Reads ``person``: select it with the share."""
    return {
        "id": share.pk,
        "person": person_ref(share.person),
        "shared_at": iso(share.shared_at, tz),
        "message": share.message,
        "exchange": share.exchange_id,
    }


def resource_data(resource: Resource, tz: tzinfo, shares: list[Share] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": resource.pk,
        "url": resource.url,
        "title": resource.title,
        "topics": list(resource.topics),
        "created_at": iso(resource.created_at, tz),
    }
    if shares is not None:
        data["shared_with"] = [share_data(s, tz) for s in shares]
    return data


def candidate_data(candidate: Candidate) -> dict[str, Any]:
    return {
        "person": person_ref(candidate.person),
        "why": candidate.why,
        "interests": candidate.reason.interests,
        "needs": candidate.reason.needs,
        "score": round(candidate.score, 2),
    }


def recorded_data(owner: User, exchange: Exchange, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """An exchange just recorded, the follow-ups it asked for, and the balance with that person
    (`kithkin gave/got --json`)."""
    return {
        **exchange_data(exchange),
        **(extra or {}),
        "follow_ups": [follow_up_data(f, owner) for f in follow_ups_after_exchange(owner, exchange)],
        "balance": person_balance(owner, exchange.person).to_json(),
    }


def asked_data(owner: User, ask: Ask) -> dict[str, Any]:
    """An ask just recorded, with the reminder to give first when it is due (`kithkin asked --json`)."""
    return {**ask_data(ask, get_profile(owner).tz), "warning": ask_warning(owner, ask.person, just_asked=ask)}


def person_balance_data(owner: User, person: Person, by: Period) -> dict[str, Any]:
    """Given and received with one person, their exchanges and open asks (`kithkin balance PERSON --json`)."""
    balance = person_balance(owner, person, by=by)
    exchanges = (
        Exchange.objects.for_owner(owner)
        .filter(person=person)
        .select_related("person", "to_person")
        .order_by("-happened_on", "-id")
    )
    asks = Ask.objects.for_owner(owner).filter(person=person).open().select_related("person")
    tz = get_profile(owner).tz
    return {
        "person": person_ref(person),
        "by": by,
        **balance.to_json(),
        "exchanges": [exchange_data(e) for e in exchanges],
        "asks": [ask_data(a, tz) for a in asks],
    }


def network_balance_data(owner: User, by: Period, limit: int | None) -> dict[str, Any]:
    """Given and received with everyone, most out of balance first, and whom the user owes one
    (`kithkin balance --json`)."""
    balance = network_balance(owner, by=by)
    table = balance_table(owner)
    rows = balance_rows(owner, list(table[:limit] if limit else table))
    owed, _count = owed_people(owner, clock.now(), limit=None)
    return {
        "by": by,
        **balance.to_json(),
        "people": [r.to_json() for r in rows],
        "owe": [
            {"person": {"id": o.person.pk, "name": o.person.full_name}, "last": exchange_data(o.last), "since": o.since}
            for o in owed
        ],
    }


def sent_data(resource: Resource, created: bool, shares: Sequence[Share], tz: tzinfo) -> dict[str, Any]:
    """A link saved and sent to people (`kithkin share URL --to ... --json`)."""
    return {"resource": resource_data(resource, tz), "created": created, "shares": [share_data(s, tz) for s in shares]}


def candidates_data(resource: Resource, created: bool, found: Sequence[Candidate], tz: tzinfo) -> dict[str, Any]:
    """A link saved, and whom it could help (`kithkin share URL --json`)."""
    return {
        "resource": resource_data(resource, tz),
        "created": created,
        "candidates": [candidate_data(c) for c in found],
    }
