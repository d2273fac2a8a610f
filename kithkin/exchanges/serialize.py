"""The ledger as plain data, for `--json` output and, later, the HTTP API."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from kithkin.exchanges.matching import Candidate
from kithkin.exchanges.models import Ask, Exchange, Resource, Share
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
