"""Which rules each hook runs, and in which order: the one place that says so."""

from __future__ import annotations

from kithkin.accounts.hooks import settings_changed
from kithkin.exchanges.hooks import exchange_recorded
from kithkin.imports.hooks import people_imported
from kithkin.interactions.hooks import touch_logged, touches_changed
from kithkin.people.hooks import merge_steps, people_changed, people_merged, person_changed, search_refreshed


def test_each_hook_runs_these_rules_in_this_order() -> None:
    assert person_changed.names() == ["followups.check_in", "followups.birthday", "network.strength", "network.ties"]
    assert people_changed.names() == ["followups.check_ins", "followups.birthdays", "network.strength"]
    assert touch_logged.names() == ["followups.touch_rules", "exchanges.intro_loops"]
    assert settings_changed.names() == ["followups.check_ins", "followups.birthdays"]
    # A tie's strength is worked out again from its whole history whenever that changes, and the
    # ties between people from all their evidence. What `ask` searches of a person is written
    # again with their touches' notes.
    assert touches_changed.names() == ["network.strength", "network.ties", "finder.documents"]
    assert search_refreshed.names() == ["finder.documents", "network.ties"]
    assert exchange_recorded.names() == ["network.strength", "network.ties"]
    assert people_imported.names() == ["network.ties"]


def test_a_merge_moves_touches_then_follow_ups_then_removes_an_introduction_between_the_two() -> None:
    assert merge_steps.names() == [
        "interactions.touches",
        "followups.follow_ups",
        "introductions.between",
        "introductions.declined",
        "network.ties",
    ]
    assert [step.key for step in merge_steps.items()] == ["touches", "follow_ups", "", "", ""]
    # The last touch first: the check-in waits from it; the ties are found again last.
    assert people_merged.names() == ["interactions.last_touch", "followups.check_in", "network.ties"]
