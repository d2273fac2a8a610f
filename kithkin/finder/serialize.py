"""The data shape of an answer, for `kithkin ask --json` (and the HTTP API to come)."""

from __future__ import annotations

from typing import Any

from kithkin.finder.services import Answer, Match


def match_data(match: Match) -> dict[str, Any]:
    person = match.person
    return {
        "id": person.pk,
        "name": person.full_name,
        "title": person.title,
        "organization": person.organization.name if person.organization else "",
        "location": person.location,
        "score": match.score,
        "strength": match.strength,
        "matched": match.matched,
        "why": list(match.why),
    }


def answer_data(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question.text,
        "understood": list(answer.understood),
        "found": answer.found,
        "people": [match_data(m) for m in answer.matches],
        "by_meaning": answer.by_meaning,
        "note": answer.note,
    }
