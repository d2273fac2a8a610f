"""A drafted message as plain data, for `kithkin draft --json`, the HTTP API and the agent server."""

from __future__ import annotations

from typing import Any

from kithkin.core.drafts import Draft


def draft_data(follow_up_id: int, draft: Draft) -> dict[str, Any]:
    """The message that does follow-up ``follow_up_id``: to whom, what, and the mailto link."""
    return {
        "id": follow_up_id,
        "kind": draft.kind,
        "subject": draft.subject,
        "body": draft.body,
        "to": draft.to,
        "missing": draft.missing,
        "mailto": draft.mailto,
    }
