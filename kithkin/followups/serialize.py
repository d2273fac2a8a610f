from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from kithkin.accounts.services import get_profile
from kithkin.followups.models import FollowUp
from kithkin.followups.services import due_list
from kithkin.interactions.models import Touch
from kithkin.interactions.serialize import touch_data
from kithkin.people.serialize import iso

# The columns a follow-up's JSON needs: loading just these as values keeps a due list of
# thousands quick (no model instances, no unused columns).
FIELDS = (
    "id",
    "kind",
    "reason",
    "due_at",
    "remind_at",
    "status",
    "snoozed_until",
    "completed_at",
    "origin",
    "touch_id",
    "person_id",
    "person__full_name",
)


def _data(row: Mapping[str, Any], tz: tzinfo) -> dict[str, Any]:
    due_at = iso(row["due_at"], tz)
    return {
        "id": row["id"],
        "kind": row["kind"],
        "reason": row["reason"],
        "due_at": due_at,
        # Equal unless snoozed: format the time once (a due list can hold thousands).
        "remind_at": due_at if row["remind_at"] == row["due_at"] else iso(row["remind_at"], tz),
        "status": row["status"],
        "snoozed_until": iso(row["snoozed_until"], tz),
        "completed_at": iso(row.get("completed_at"), tz),
        "origin": row["origin"],
        "touch_id": row["touch_id"],
        "person": {"id": row["person_id"], "name": row["person__full_name"]},
    }


def follow_up_data(follow_up: FollowUp, owner: User) -> dict[str, Any]:
    row = {field: getattr(follow_up, field) for field in FIELDS if "__" not in field}
    row["person__full_name"] = follow_up.person.full_name
    return _data(row, get_profile(owner).tz)


def due_data(
    owner: User, until: datetime, *, check_ins: bool | None = None, ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """The due list as JSON-ready data, from one query; ``check_ins`` False leaves them out, True
    keeps only them (the network ranks them: ``network.serialize.ranked_due_data``); ``ids``, when
    given, keeps only those follow-ups."""
    rows = due_list(owner, until)
    if check_ins is not None:
        rows = rows.filter(kind=FollowUp.Kind.CHECK_IN) if check_ins else rows.exclude(kind=FollowUp.Kind.CHECK_IN)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return pending_data(owner, rows)


def pending_data(owner: User, rows: QuerySet[FollowUp]) -> list[dict[str, Any]]:
    """Pending follow-ups (``rows``, sliced or not, in their order) as JSON-ready data, from one query."""
    tz = get_profile(owner).tz
    # Pending follow-ups have no completed_at; not reading it saves parsing a column.
    columns = [field for field in FIELDS if field != "completed_at"]
    return [_data(row, tz) for row in rows.values(*columns)]


def logged_touch_data(touch: Touch, caused: Iterable[FollowUp], owner: User) -> dict[str, Any]:
    """A touch just logged, with the follow-ups it set (`kithkin log --json`, the API's log)."""
    return {**touch_data(touch, owner), "follow_ups": [follow_up_data(f, owner) for f in caused]}
