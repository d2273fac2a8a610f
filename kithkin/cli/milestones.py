"""Milestones, a rule of the follow-ups: milestone, milestones."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from django.contrib.auth.models import User

from kithkin.accounts.services import get_profile
from kithkin.accounts.when import parse_user_day
from kithkin.cli.common import JsonOpt, PersonRef, emit_json, local, out, owner
from kithkin.followups.milestones import MilestoneRecorded, record_milestone
from kithkin.followups.serialize import follow_up_data
from kithkin.people.models import Milestone, Person
from kithkin.people.serialize import iso
from kithkin.people.services import find_person

app = typer.Typer()

KINDS = "new_job, promotion, award, launch, graduation, anniversary or other"


def milestone_data(milestone: Milestone, owner: User) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "person": {"id": milestone.person_id, "name": milestone.person.full_name},
        "kind": milestone.kind,
        "text": milestone.text,
        "happened_on": milestone.happened_on.isoformat(),
        "new_organization": milestone.new_organization or None,
        "new_title": milestone.new_title or None,
        "is_position_applied": milestone.is_position_applied,
        "created_at": iso(milestone.created_at, get_profile(owner).tz),
    }


@app.command()
def milestone(
    person: PersonRef,
    text: Annotated[str, typer.Argument(help="What happened: 'Product Lead at Initech', 'Won the design award'.")],
    kind: Annotated[str, typer.Option("--kind", help=f"{KINDS}.")] = "other",
    on: Annotated[str | None, typer.Option("--on", help="When it happened (default today).")] = None,
    org: Annotated[str | None, typer.Option("--org", help="A new job's organization.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="A new job's (or promotion's) title.")] = None,
    apply_position: Annotated[
        bool, typer.Option("--apply-position", help="Make --org/--title their current role (the old one is kept).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a success or life event (a new job, a promotion...): it asks you to congratulate them."""
    user = owner()
    target = find_person(user, person)
    recorded = record_milestone(
        user,
        target,
        text,
        kind=kind,
        on=parse_user_day(user, on, field="on"),
        organization=org or "",
        title=title or "",
        apply_position=apply_position,
    )
    if as_json:
        data = milestone_data(recorded.milestone, user)
        data["follow_up"] = follow_up_data(recorded.follow_up, user) if recorded.follow_up else None
        data["is_old"] = recorded.is_old
        emit_json(data)
        return
    _print_recorded(recorded, target, user)


def _print_recorded(recorded: MilestoneRecorded, target: Person, user: User) -> None:
    found, follow_up = recorded.milestone, recorded.follow_up
    out.print(f"Recorded for {target.full_name}: {found.get_kind_display()}, {found.text} (#{found.pk})")
    if follow_up is not None:
        out.print(f"  follow-up #{follow_up.pk}: {follow_up.reason}, due {local(follow_up.due_at, user)}")
    else:
        out.print("  It happened more than four weeks ago: kept in their timeline, no congratulation asked.")
    role = " at ".join(x for x in (found.new_title, found.new_organization) if x)
    if found.is_position_applied:
        out.print(f"  Their role is now {role}; the old one is kept as history.")
    elif role:
        out.print(f"  Their role is unchanged: add --apply-position to make it {role}.")


@app.command()
def milestones(
    person: Annotated[str | None, typer.Argument(help="Only this person's (an id, email or name).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many, newest first.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Milestones of your network (or of one person), newest first."""
    user = owner()
    rows = Milestone.objects.for_owner(user).select_related("person").order_by("-happened_on", "-id")
    if person is not None:
        rows = rows.filter(person=find_person(user, person))
    found = list(rows[:limit])
    if as_json:
        emit_json([milestone_data(m, user) for m in found])
        return
    if not found:
        out.print("No milestones yet. Record one: kithkin milestone PERSON TEXT --kind new_job")
    for m in found:
        role = " at ".join(x for x in (m.new_title, m.new_organization) if x)
        pending = " (role not applied)" if role and not m.is_position_applied else ""
        out.print(
            f"{m.happened_on.isoformat()}  #{m.pk}  {m.person.full_name}: {m.get_kind_display()}, {m.text}{pending}"
        )
