"""`kithkin insights`: a picture of the whole network, the Insights page's numbers."""

from __future__ import annotations

import typer

from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.network.insights import Insights, insights
from kithkin.network.serialize import insights_data

app = typer.Typer()


@app.command("insights")
def insights_command(as_json: JsonOpt = False) -> None:
    """Your network in numbers: circles and Dunbar's layers, the last year, discipline, give and
    take, touches, strength, organizations, where you met people."""
    found = insights(owner())
    if as_json:
        emit_json(insights_data(found))
        return
    _print_who(found)
    _print_when(found)
    _print_where(found)


def _print_who(found: Insights) -> None:
    out.print(f"[bold]{found.people} people in your network[/], {found.prospects} you want to meet", highlight=False)
    out.print("By circle (everyone, as `kithkin people --circle X` lists them):", markup=False)
    for c in found.circles:
        wanted = f" ({c.prospects} to meet)" if c.prospects else ""
        out.print(f"  {c.label:<26} {c.people:>6}{wanted}", markup=False, highlight=False)
    out.print("Against Dunbar's layers (this closeness or closer):", markup=False)
    for layer, in_touch in found.layer_rows:
        out.print(
            f"  {layer.closeness:<13} {layer.people:>6}   within {layer.within:>6} vs {layer.dunbar:>3}: {layer.verdict};"
            f" {in_touch} in touch in the last 90 days",
            markup=False,
            highlight=False,
        )


def _print_when(found: Insights) -> None:
    out.print(
        "Month     in network  in touch  thank-yous on time  loops closed  check-ins kept  gave  got", markup=False
    )
    for m, d, ledger in zip(found.months, found.discipline, found.ledger, strict=True):
        shares = [
            f"{x.share if on_time else x.done_share}%" if x.due else "-"
            for x, on_time in ((d.thank_yous, True), (d.loops, False), (d.check_ins, False))
        ]
        out.print(
            f"{m.month:%Y-%m}  {m.total_known:>10}  {shares[0]:>18}  {shares[1]:>12}"
            f"  {shares[2]:>14}  {ledger.gave:>4}  {ledger.got:>3}",
            markup=False,
            highlight=False,
        )
    weeks = " ".join(str(w.touches) for w in found.touches)
    out.print(f"Touches per week (last {len(found.touches)}, this week last): {weeks}", markup=False, highlight=False)


def _print_where(found: Insights) -> None:
    s = found.strength
    out.print(
        f"Strength: {s.strong} strong, {s.medium} medium, {s.weak} weak ({s.no_history} never in touch);"
        f" {s.at_risk} at risk, {s.dormant} dormant",
        markup=False,
        highlight=False,
    )
    if found.organizations:
        out.print("Organizations with the most people:", markup=False)
        for o in found.organizations:
            out.print(f"  {o.name}: {o.people}", markup=False, highlight=False)
    met = ", ".join(f"{n} {name}" for name, n in found.sources.rows)
    out.print(f"Where you met them: {met}", markup=False, highlight=False)
