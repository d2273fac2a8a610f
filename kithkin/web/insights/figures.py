"""The Insights page's charts, drawn from ``network.insights.Insights`` (the tables beside them are
in the template, from the same numbers)."""

from __future__ import annotations

import itertools
from datetime import date

from django.utils.safestring import SafeString

from kithkin.core.choices import Closeness
from kithkin.goals.week import Discipline
from kithkin.network.insights import LEVELS, Insights
from kithkin.web.charts import Series, bar_chart, lying_bar_chart

LEVEL_NAMES = [str(Closeness(level).label) for level in LEVELS]


def month_label(month: date) -> str:
    return f"{month:%b %y}"


def _share(d: Discipline, on_time: bool) -> float | None:
    return d.share if on_time else d.done_share


def figures(found: Insights) -> dict[str, SafeString]:
    """Each chart of the page, by name."""
    months = [month_label(m.month) for m in found.months]
    return {
        "circles": lying_bar_chart(
            title="People by circle and closeness",
            desc="For each circle, how many people in your network are at each closeness, and how many you want to meet.",
            labels=[c.label for c in found.circles],
            series=[
                *(Series(name, [c.by_closeness[i] for c in found.circles]) for i, name in enumerate(LEVEL_NAMES)),
                Series("want to meet", [c.prospects for c in found.circles]),
            ],
            x_label="people",
        ),
        "layers": bar_chart(
            title="Your layers against Dunbar's",
            desc="For each closeness, how many people are at it or closer, how many of those you were in touch"
            " with in the last 90 days, and Dunbar's layer of the same depth.",
            labels=LEVEL_NAMES,
            series=[
                Series("yours (this level or closer)", [layer.within for layer in found.layers]),
                Series("of them in touch lately", list(itertools.accumulate(found.in_touch))),
                Series("Dunbar's layer", [layer.dunbar for layer in found.layers]),
            ],
            x_label="closeness",
            y_label="people",
        ),
        "months": bar_chart(
            title="Your network over the last year",
            desc="At the end of each month, the people in your network by then, by today's closeness.",
            labels=months,
            series=[Series(name, [m.known[i] for m in found.months]) for i, name in enumerate(LEVEL_NAMES)],
            x_label="month",
            y_label="people",
            stacked=True,
        ),
        "discipline": bar_chart(
            title="Follow-up discipline by month",
            desc="Of the follow-ups due each month, the share of thank-yous sent on time, loops closed and check-ins kept.",
            labels=months,
            series=[
                Series("thank-yous on time", [_share(m.thank_yous, True) for m in found.discipline]),
                Series("loops closed", [_share(m.loops, False) for m in found.discipline]),
                Series("check-ins kept", [_share(m.check_ins, False) for m in found.discipline]),
            ],
            x_label="month",
            y_label="per cent",
            top=100,
        ),
        "ledger": bar_chart(
            title="Give and take by month",
            desc="How many times you gave and how many times you got help, each month.",
            labels=months,
            series=[Series("gave", [m.gave for m in found.ledger]), Series("got", [m.got for m in found.ledger])],
            x_label="month",
            y_label="entries in the ledger",
        ),
        "touches": bar_chart(
            title="Touches per week",
            desc="How many touches you logged each week of the last 26 weeks, this one last.",
            labels=[f"{w.week:%-d %b}" for w in found.touches],
            series=[Series("touches", [w.touches for w in found.touches])],
            x_label="week starting",
            y_label="touches",
        ),
        "strength": bar_chart(
            title="Strength of your ties",
            desc="How many people in your network have each strength today, in steps of ten.",
            labels=list(found.strength.step_labels),
            series=[Series("people", list(found.strength.steps))],
            x_label="strength today",
            y_label="people",
        ),
        "organizations": lying_bar_chart(
            title="Organizations with the most people",
            desc="The organizations where most people in your network work now.",
            labels=[o.name for o in found.organizations],
            series=[Series("people", [o.people for o in found.organizations])],
            x_label="people",
        ),
        "sources": lying_bar_chart(
            title="Where you met people",
            desc="The people in your network by how they came into it.",
            labels=[name for name, _n in found.sources.rows],
            series=[Series("people", [n for _name, n in found.sources.rows])],
            x_label="people",
        ),
    }
