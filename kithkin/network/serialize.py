"""The data shapes the network's answers take in JSON, the same for every face."""

from __future__ import annotations

from typing import Any

from kithkin.network.rekindle import Candidate


def candidate_data(candidate: Candidate) -> dict[str, Any]:
    """One entry of Rekindle: who, how the tie stands, why, and the drafted opener."""
    found = candidate.assessment
    silence = found.silence_days
    return {
        "person": {"id": candidate.person.pk, "name": candidate.person.full_name},
        "strength": found.strength,
        "trend": found.trend,
        "status": found.status,
        "silence_days": round(silence) if silence is not None else None,
        "score": candidate.score,
        "reasons": list(candidate.reasons),
        "suggestion": candidate.suggestion,
        "opener": candidate.opener,
        "subject": candidate.draft.subject,
        "body": candidate.draft.body,
        "mailto": candidate.draft.mailto,
    }
