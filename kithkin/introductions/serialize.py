"""Introductions as plain data, for `--json` output and the HTTP API alike."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_profile
from kithkin.followups.serialize import follow_up_data
from kithkin.introductions import drafts, services
from kithkin.introductions.drafts import Draft
from kithkin.introductions.models import Introduction
from kithkin.people.serialize import iso, person_ref

MOMENTS = (
    "created_at",
    "updated_at",
    "asked_a_at",
    "a_answered_at",
    "asked_b_at",
    "b_answered_at",
    "introduced_at",
    "outcome_at",
    "dropped_at",
)


def draft_data(draft: Draft | None) -> dict[str, Any] | None:
    if draft is None:
        return None
    return {
        "kind": draft.kind,
        "to": draft.to,
        "missing_email": draft.missing,
        "subject": draft.subject,
        "body": draft.body,
        "mailto": draft.mailto,
    }


def introduction_data(intro: Introduction, owner: User, *, full: bool = False) -> dict[str, Any]:
    """An introduction; ``full`` adds its history, current draft, open follow-ups and gives."""
    tz = get_profile(owner).tz
    data: dict[str, Any] = {
        "id": intro.pk,
        "state": intro.state,
        "state_label": intro.get_state_display(),
        "a": person_ref(intro.person_a),
        "b": person_ref(intro.person_b),
        "why": intro.why,
        "outcome": intro.outcome,
        **{name: iso(getattr(intro, name), tz) for name in MOMENTS},
        "next": services.next_step(intro),
        "next_actions": list(services.allowed_actions(intro)),
    }
    if full:
        data["history"] = [{"at": iso(line.at, tz), "step": line.what} for line in services.history(intro)]
        data["draft"] = draft_data(services.current_draft(owner, intro))
        data["follow_ups"] = [follow_up_data(f, owner) for f in services.open_follow_ups(owner, intro)]
        data["gives"] = [
            {"id": e.pk, "person": e.person_id, "what": e.what, "kind": e.kind, "on": e.happened_on.isoformat()}
            for e in intro.exchanges.filter(owner=owner).order_by("id")
        ]
    return data


def step_data(done: services.Step, owner: User) -> dict[str, Any]:
    """A step just taken: the introduction, the follow-ups it set and closed, the gives it recorded
    (`kithkin intro step --json`)."""
    data = introduction_data(done.introduction, owner, full=True)
    data["follow_ups_created"] = [follow_up_data(f, owner) for f in done.follow_ups]
    data["follow_ups_closed"] = done.closed
    data["gives_recorded"] = [{"id": e.pk, "person": e.person_id, "what": e.what} for e in done.gives]
    return data


def templates_data(profile: Profile) -> dict[str, Any]:
    """The wording of the three messages, the user's own or Kithkin's, and the placeholders
    (`kithkin intro templates --json`)."""
    return {
        "templates": {
            kind: {
                "text": getattr(profile, drafts.PROFILE_FIELDS[kind]) or drafts.DEFAULTS[kind],
                "is_default": not getattr(profile, drafts.PROFILE_FIELDS[kind]),
            }
            for kind in drafts.KINDS
        },
        "placeholders": drafts.PLACEHOLDERS,
    }
