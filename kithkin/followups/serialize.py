from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.followups.models import FollowUp
from kithkin.people.serialize import iso, person_ref


def follow_up_data(follow_up: FollowUp, owner: User) -> dict[str, Any]:
    tz = get_profile(owner).tz
    return {
        "id": follow_up.pk,
        "kind": follow_up.kind,
        "reason": follow_up.reason,
        "due_at": iso(follow_up.due_at, tz),
        "remind_at": iso(follow_up.remind_at, tz),
        "status": follow_up.status,
        "snoozed_until": iso(follow_up.snoozed_until, tz),
        "completed_at": iso(follow_up.completed_at, tz),
        "origin": follow_up.origin,
        "touch_id": follow_up.touch_id,
        "person": person_ref(follow_up.person),
    }
