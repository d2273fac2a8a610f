"""The network's data shapes for the faces' JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from kithkin.followups.serialize import due_data
from kithkin.network.ranking import score_check_ins


def ranked_due_data(owner: User, now: datetime, until: datetime, *, top: int | None = None) -> list[dict[str, Any]]:
    """What is due by ``until`` as `kithkin due --json` gives it: the promises most overdue first,
    then the ``top`` most worthwhile check-ins (all when None) in Today's order, each with its
    ``rank`` (1-based) and ``why``. A fixed number of queries."""
    scored = score_check_ins(owner, now, until=until)[:top]
    check_ins = {row["id"]: row for row in due_data(owner, until, check_ins=True)}
    ranked = [{**check_ins[s.id], "rank": rank, "why": s.why} for rank, s in enumerate(scored, 1) if s.id in check_ins]
    return due_data(owner, until, check_ins=False) + ranked
