"""When a person's document is written again: what search reads of them changed (name, work,
interests... through ``refresh_search``, an import, a merge, a restore, the demo) or their touches
did (notes and advice). Registered by FinderConfig.ready()."""

from __future__ import annotations

from kithkin.finder.index import refresh_documents
from kithkin.interactions.hooks import TouchesChanged, touches_changed
from kithkin.network.services import is_paused
from kithkin.people.hooks import SearchRefreshed, search_refreshed


def refresh_after_search(event: SearchRefreshed) -> None:
    refresh_documents(event.owner, event.person_ids)


def refresh_after_touches(event: TouchesChanged) -> None:
    # A bulk builder (the demo) writes every document once at the end, through refresh_search;
    # a touch without notes or advice leaves every document as it was.
    if event.texts and not is_paused():
        refresh_documents(event.owner, event.person_ids)


def register() -> None:
    search_refreshed.register("finder.documents", refresh_after_search, order=10)
    touches_changed.register("finder.documents", refresh_after_touches, order=30)
