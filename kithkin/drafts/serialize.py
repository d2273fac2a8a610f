"""The data shape of a follow-up's draft, as `kithkin draft --json` and the agent server give it."""

from __future__ import annotations

from typing import Any

from kithkin.core.drafts import Draft


def draft_data(follow_up_id: int, draft: Draft) -> dict[str, Any]:
    return {
        "id": follow_up_id,
        "kind": draft.kind,
        "subject": draft.subject,
        "body": draft.body,
        "to": draft.to,
        "missing": draft.missing,
        "mailto": draft.mailto,
    }
