"""Counting rows by period in one GROUP BY: which of a run of periods a column's value falls in,
as SQL that any backend runs (plain comparisons, no date functions or time zones in SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db.models import Case, IntegerField, Value, When


def period_of(field: str, edges: Sequence[date | datetime | float]) -> Case:
    """The index of the period ``edges[i] <= field < edges[i + 1]`` the value falls in (edges in
    order: moments, days or numbers), NULL before the first edge or from the last one on. Grouping by it counts every period
    in one pass, where a filtered count per period costs a comparison per row and period and a
    query Django takes long to build."""
    whens = [When(**{f"{field}__lt": edge}, then=Value(i)) for i, edge in enumerate(edges[1:])]
    return Case(
        When(**{f"{field}__lt": edges[0]}, then=Value(None)),
        *whens,
        default=Value(None),
        output_field=IntegerField(),
    )
