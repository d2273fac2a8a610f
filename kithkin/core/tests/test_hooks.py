"""The typed registries behind the hooks."""

from __future__ import annotations

import pytest

from kithkin.core.hooks import Hook, Registry


def test_a_hook_runs_its_rules_by_their_order_not_the_order_they_were_registered_in() -> None:
    heard: list[str] = []
    hook: Hook[int] = Hook("test")
    hook.register("late", lambda n: heard.append(f"late {n}"), order=20)
    hook.register("early", lambda n: heard.append(f"early {n}"), order=10)

    hook.run(7)

    assert heard == ["early 7", "late 7"]
    assert hook.names() == ["early", "late"]


def test_registering_a_name_again_replaces_it() -> None:
    registry: Registry[str] = Registry("test")
    registry.register("one", "first", order=10)
    registry.register("one", "again", order=10)
    registry.register("one", "moved", order=30)
    registry.register("two", "second", order=20)

    assert registry.items() == ["second", "moved"]


def test_two_names_may_not_share_an_order() -> None:
    registry: Registry[str] = Registry("test")
    registry.register("one", "first", order=10)

    with pytest.raises(ValueError, match="'two' and 'one' both ask for order 10"):
        registry.register("two", "second", order=10)
