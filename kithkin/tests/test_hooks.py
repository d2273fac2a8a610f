"""Which rules each hook runs, and in which order: the one place that says so."""

from __future__ import annotations

from kithkin.accounts.hooks import settings_changed
from kithkin.interactions.hooks import touch_logged
from kithkin.people.hooks import people_changed, person_changed


def test_each_hook_runs_these_rules_in_this_order() -> None:
    assert person_changed.names() == ["followups.check_in", "followups.birthday"]
    assert people_changed.names() == ["followups.check_ins", "followups.birthdays"]
    assert touch_logged.names() == ["followups.touch_rules", "exchanges.intro_loops"]
    assert settings_changed.names() == ["followups.check_ins", "followups.birthdays"]
