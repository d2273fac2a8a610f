from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.interactions.models import Touch
from kithkin.people.serialize import iso, person_ref


def touch_data(touch: Touch, owner: User) -> dict[str, Any]:
    tz = get_profile(owner).tz
    return {
        "id": touch.pk,
        "kind": touch.kind,
        "happened_at": iso(touch.happened_at, tz),
        "participants": [person_ref(part.person) for part in touch.participants.all()],
        "notes": touch.notes,
        "advice": touch.advice,
        "initiated_by": touch.initiated_by,
        "is_history": touch.is_history,
    }
