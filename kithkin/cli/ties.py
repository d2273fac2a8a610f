"""`kithkin path`, `kithkin knows`, `kithkin ties` and `kithkin role`: who knows whom among your
people, and the warm ways to someone you want to meet or into an organization."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, PersonArg, emit_json, out, owner
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.network.paths import (
    Path,
    ask_for_introduction,
    find_organization,
    paths_to_organization,
    paths_to_person,
    ties_of,
)
from kithkin.network.serialize import intro_ask_data
from kithkin.network.ties import record_tie, remove_tie, tie_strength
from kithkin.people.models import Position
from kithkin.people.services import add_role, find_person, parse_role_day, remove_role, roles_of

app = typer.Typer(rich_markup_mode=None)

LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="How many to show, best first.")]


@app.command("path")
def path_command(
    person: Annotated[str | None, typer.Argument(metavar="[PERSON]", help="An id, email or name.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="An organization instead of a person.")] = None,
    limit: LimitOpt = 10,
    ask: Annotated[
        str | None,
        typer.Option("--ask", help="Ask this person for the introduction: logs the ask, drafts the message."),
    ] = None,
    why: Annotated[str, typer.Option("--why", help="Why you want to meet them (default: what you noted).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Who could introduce you to PERSON, or get you into --org ORG: ranked warm paths, each with why."""
    user = owner()
    if (person is None) == (org is None):
        raise BadInput("person", "name a person, or an organization with --org (one of the two)")
    if ask is not None:
        _ask(ask, person, org, why, as_json)
        return
    if org is not None:
        organization = find_organization(user, org)
        paths = paths_to_organization(user, organization, limit=limit)
        about = organization.name
    else:
        target = find_person(user, person or "")
        paths = paths_to_person(user, target, limit=limit)
        about = target.full_name
    if as_json:
        emit_json([p.to_json() for p in paths])
        return
    if not paths:
        out.print(
            f"No warm path to {about} yet: nobody you know is known to know them. "
            "`kithkin knows A B` records who knows whom.",
            markup=False,
        )
        return
    out.print(f"Who can introduce you to {about}:", markup=False)
    for rank, found in enumerate(paths, 1):
        _print_path(rank, found)


def _ask(introducer: str, person: str | None, org: str | None, why: str, as_json: bool) -> None:
    user = owner()
    via = find_person(user, introducer, "ask")
    target = find_person(user, person) if person is not None else None
    organization = find_organization(user, org) if org is not None else None
    done = ask_for_introduction(user, via, target=target, organization=organization, why=why)
    if as_json:
        emit_json(intro_ask_data(done))
        return
    out.print(f"Asked {via.full_name} for {done.ask.what} (ask #{done.ask.pk}). The message to send:", markup=False)
    out.print("", markup=False)
    out.print(done.draft.text, markup=False)
    out.print("", markup=False)
    out.print(
        f"When the introduction comes: `kithkin got {via.pk} 'the introduction' --kind intro --to {target.pk if target else 'NAME'} "
        f"--settles {done.ask.pk}` records it and settles the ask.",
        markup=False,
    )


def _print_path(rank: int, found: Path) -> None:
    via = f" → {found.target.full_name} (#{found.target.pk})" if found.target else ""
    also = f" · knows {found.also} more there" if found.also else ""
    out.print(
        f"{rank}. {found.introducer.full_name} (#{found.introducer.pk}){via} · path {found.score:.0f} "
        f"(you {found.you_strength:.0f}, their tie {found.tie_strength:.0f}){also}",
        markup=False,
    )
    out.print(f"   {found.why}", markup=False)


@app.command("knows")
def knows_command(
    person: PersonArg,
    other: Annotated[str, typer.Argument(metavar="OTHER", help="An id, email or name.")],
    how: Annotated[str, typer.Option("--how", help="How they know each other.")] = "",
    remove: Annotated[bool, typer.Option("--not", help="They do not know each other: remove the tie.")] = False,
) -> None:
    """Record that PERSON and OTHER know each other (or, with --not, that they do not)."""
    user = owner()
    one, two = find_person(user, person), find_person(user, other, "other")
    if remove:
        had = remove_tie(user, one, two)
        said = "Removed the tie between" if had else "Noted: Kithkin will not link"
        out.print(f"{said} {one.full_name} and {two.full_name}.", markup=False)
        return
    tie = record_tie(user, one, two, how)
    strength = tie_strength(tie.weight, tie.last_day, clock.now().date())
    out.print(f"{one.full_name} knows {two.full_name} (tie {strength:.0f}).", markup=False)


@app.command("ties")
def ties_command(person: PersonArg, limit: LimitOpt = 20, as_json: JsonOpt = False) -> None:
    """Whom PERSON knows among your people, strongest first, and why Kithkin thinks so."""
    user = owner()
    who = find_person(user, person)
    known, count = ties_of(user, who, limit=limit)
    if as_json:
        emit_json(
            {
                "person": {"id": who.pk, "name": who.full_name},
                "count": count,
                "ties": [
                    {
                        "id": k.person.pk,
                        "name": k.person.full_name,
                        "strength": k.strength,
                        "kinds": k.kinds,
                        "why": k.sentences,
                    }
                    for k in known
                ],
            }
        )
        return
    if not known:
        out.print(f"Kithkin knows of nobody {who.full_name} knows yet.", markup=False)
        return
    out.print(f"{who.full_name} knows {count} of your people:", markup=False)
    for k in known:
        out.print(f"- {k.person.full_name} (#{k.person.pk}) · tie {k.strength:.0f}", markup=False)
        for sentence in k.sentences:
            out.print(f"    {sentence}", markup=False)


RoleOrg = Annotated[str | None, typer.Option("--org", help="The organization.")]


@app.command("role")
def role_command(
    person: PersonArg,
    org: RoleOrg = None,
    title: Annotated[str, typer.Option("--title", help="Their title there.")] = "",
    start: Annotated[str, typer.Option("--from", help="When it started: 2019, 2019-03 or 2019-03-15.")] = "",
    end: Annotated[str, typer.Option("--to", help="When it ended (none: they are still there).")] = "",
    remove: Annotated[int | None, typer.Option("--remove", help="Remove the role with this id.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """PERSON's roles over time; with --org, add one ("worked at Stripe from 2019 to 2022")."""
    user = owner()
    who = find_person(user, person)
    if remove is not None:
        role = Position.objects.for_owner(user).filter(person=who, pk=remove).first()
        if role is None:
            raise BadInput(
                "remove", f"{who.full_name} has no role with id {remove}; `kithkin role {who.pk}` lists them"
            )
        remove_role(user, role)
        out.print(f"Removed {role} from {who.full_name}.", markup=False)
        return
    if org is not None:
        started, ended = parse_role_day(start, "from"), parse_role_day(end, "to", end=True)
        role = add_role(user, who, org, title=title, started_on=started, ended_on=ended)
        out.print(f"{who.full_name}: {_role_line(role)}", markup=False)
        return
    roles = roles_of(user, who)
    if as_json:
        emit_json(
            [
                {
                    "id": r.pk,
                    "organization": r.organization.name if r.organization else None,
                    "title": r.title,
                    "from": r.started_on.isoformat() if r.started_on else None,
                    "to": r.ended_on.isoformat() if r.ended_on else None,
                }
                for r in roles
            ]
        )
        return
    if not roles:
        out.print(f"{who.full_name} has no roles yet: `kithkin role {who.pk} --org NAME` adds one.", markup=False)
    for r in roles:
        out.print(f"#{r.pk} {_role_line(r)}", markup=False)


def _role_line(role: Position) -> str:
    org = role.organization.name if role.organization else ""
    where = f"{role.title} at {org}" if role.title and org else role.title or org
    start = f"from {role.started_on}" if role.started_on else ""
    end = f"to {role.ended_on}" if role.ended_on else "now" if not start else "to now"
    return " ".join(x for x in (where, start, end) if x)
