"""`kithkin graph`: the network as a graph, the same the Graph page draws (docs/graph.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.network.graph import DEFAULT_LIMIT, MAX_LIMIT, Graph, graph_data
from kithkin.network.serialize import graph_to_data

app = typer.Typer()


@app.command()
def graph(
    circle: Annotated[str | None, typer.Option("--circle", help="Only this circle: friend, colleague...")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Only people at this organization.")] = None,
    interest: Annotated[str | None, typer.Option("--interest", help="Only people with this interest.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="How many people to show, strongest first.")
    ] = DEFAULT_LIMIT,
    cluster_by: Annotated[
        str | None, typer.Option("--cluster-by", help="Group the rest by circle or organization.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The strongest people of your network, the ties among them, and the rest in clusters."""
    user = owner()
    found = graph_data(user, circle=circle, organization=org, interest=interest, limit=limit, cluster_by=cluster_by)
    if as_json:
        emit_json(graph_to_data(found, you=user.get_full_name() or user.get_username()))
        return
    _print(found)


def _print(found: Graph) -> None:
    if not found.people:
        out.print("No one in your network matches.")
        return
    out.print(f"The {len(found.people)} strongest of {found.total} people, {len(found.ties)} ties between them.")
    names = {p.id: p.name for p in found.people}
    knows: dict[int, list[str]] = {}
    for tie in found.ties:
        knows.setdefault(tie.first_id, []).append(names[tie.second_id])
        knows.setdefault(tie.second_id, []).append(names[tie.first_id])
    for person in found.people:
        where = " · ".join(filter(None, [person.circle, person.organization]))
        line = f"{person.strength:>3}  {person.name} (#{person.id})" + (f" · {where}" if where else "")
        if person.id in knows:
            line += f" · knows {', '.join(knows[person.id])}"
        out.print(line, markup=False, highlight=False)
    if found.clusters:
        out.print(f"Not shown, by {found.cluster_by}:")
        for cluster in found.clusters:
            out.print(f"  {cluster.label}: {cluster.count}", markup=False, highlight=False)
