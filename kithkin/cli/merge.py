"""Duplicates: duplicates, merge (listed after the imports that usually make them)."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.people.merge import find_duplicate_pairs, merge_people
from kithkin.people.models import Person
from kithkin.people.serialize import person_data, with_details
from kithkin.people.services import find_person

app = typer.Typer()


@app.command()
def duplicates(
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many pairs.")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Likely duplicate people, with the evidence; merge with `kithkin merge KEEP DROP`."""
    pairs = find_duplicate_pairs(owner(), limit=limit)
    if as_json:
        emit_json(
            [
                {
                    "first": {"id": p.first.pk, "name": p.first.full_name},
                    "second": {"id": p.second.pk, "name": p.second.full_name},
                    "evidence": p.evidence,
                    "score": p.score,
                }
                for p in pairs
            ]
        )
        return
    if not pairs:
        out.print("No likely duplicates.")
        return
    for p in pairs:
        out.print(f"#{p.first.pk} {p.first.full_name}  ·  #{p.second.pk} {p.second.full_name}: {'; '.join(p.evidence)}")
    out.print("Merge one pair with `kithkin merge KEEP DROP` (ids or names).")


@app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="The person to keep: id, email or name.")],
    drop: Annotated[str, typer.Argument(help="The duplicate to merge into them and remove.")],
    as_json: JsonOpt = False,
) -> None:
    """Merge a duplicate into another person: every touch, follow-up, link and note moves over."""
    user = owner()
    kept, dropped = find_person(user, keep, "KEEP"), find_person(user, drop, "DROP")
    dropped_name, dropped_id = dropped.full_name, dropped.pk
    person = merge_people(user, kept, dropped)
    if as_json:
        emit_json(person_data(with_details(Person.objects.for_owner(user)).get(pk=person.pk), user))
        return
    out.print(f"Merged {dropped_name} (#{dropped_id}) into {person.full_name} (#{person.pk}).")
