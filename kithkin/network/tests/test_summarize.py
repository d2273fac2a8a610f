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
