"""The stored summary agrees with the plain decayed sum it stands for, whatever the order."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from kithkin.network import strength as model

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def test_the_stored_key_gives_the_same_strength_as_the_decayed_sum_on_any_later_day():
    rng = random.Random(3)
    events = [
        model.touch_event(NOW - timedelta(days=rng.uniform(0, 900)), rng.choice(list(model.TOUCH_WEIGHTS)))
        for _ in range(40)
    ]
    summary = model.summarize(events, circle="friend", closeness="close")
    for later in (NOW, NOW + timedelta(days=45), NOW + timedelta(days=400)):
        expected = model.score(model.decayed_sum(events, summary.tau, later))
        assert model.strength_at(summary.log_key, summary.tau, later) == pytest.approx(expected, abs=1e-9)
    assert summary == model.summarize(list(reversed(events)), circle="friend", closeness="close")
    assert summary.last_day == model.days(max(e.at for e in events)) and summary.events == 40


def test_the_peak_is_the_highest_the_sum_reached_at_any_event():
    events = [model.touch_event(NOW - timedelta(days=d), "coffee") for d in (300, 290, 280, 10)]
    summary = model.summarize(events, circle="colleague", closeness="active")
    highest = max(model.score(model.decayed_sum(events, summary.tau, e.at)) for e in events)
    assert summary.peak == pytest.approx(highest, abs=1e-9)


def test_the_curve_is_the_decayed_sum_at_each_month_end_whatever_the_order_of_events():
    rng = random.Random(11)
    for _ in range(50):
        events = [
            model.Event(NOW - timedelta(days=rng.uniform(-5, 1200)), "gave", rng.uniform(0.2, 3), rng.random() < 0.3)
            for _ in range(rng.randint(0, 120))
        ]  # some a few days ahead of now: not counted yet
        tau = rng.uniform(20, 400)
        points = [NOW - timedelta(days=30.44 * back) for back in range(24, -1, -1)]
        expected = [model.score(model.decayed_sum(events, tau, at)) for at in points]
        shown = model.curve(events, tau, NOW)
        assert len(shown) == 25
        assert shown == pytest.approx(expected, abs=0.05 + 1e-9)  # rounded to one decimal
