"""Typed registries through which a lower app lets the apps above it act, in a stated order.

Dependencies point one way (people ← interactions ← followups ← exchanges...), yet a change
below often calls for a rule above: a touch logged in ``interactions`` asks ``followups`` for
thank-yous. The lower app declares a hook point with the event it passes (a frozen dataclass,
in ``<app>/hooks.py``); the higher app registers its rule in its ``AppConfig.ready()``; the
lower app's service runs the hook inside its transaction. Unlike a signal, the event is typed,
every rule is named, and the order is a number written beside each rule rather than the order
of ``INSTALLED_APPS``. Where the caller is above the rule (or beside it), it calls the rule
directly instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
E = TypeVar("E")


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    order: int
    item: T


class Registry(Generic[T]):
    """Named items kept in an explicit order (lower first). Registering a name again replaces
    its item, so a ``ready()`` that runs twice changes nothing; two names may not share an order,
    so that which runs first is always written down."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, Entry[T]] = {}

    def register(self, name: str, item: T, *, order: int) -> None:
        for other in self._entries.values():
            if other.order == order and other.name != name:
                raise ValueError(f"{self.name}: {name!r} and {other.name!r} both ask for order {order}")
        self._entries[name] = Entry(name, order, item)

    def entries(self) -> list[Entry[T]]:
        return sorted(self._entries.values(), key=lambda entry: entry.order)

    def items(self) -> list[T]:
        return [entry.item for entry in self.entries()]

    def names(self) -> list[str]:
        """The registered names, in the order they run (what the hooks' test asserts)."""
        return [entry.name for entry in self.entries()]


class Hook(Registry[Callable[[E], None]]):
    """A hook point: rules that each take the event, run one after the other in their order."""

    def run(self, event: E) -> None:
        for rule in self.items():
            rule(event)
