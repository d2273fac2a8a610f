"""The production server behind `kithkin serve`: waitress, with WhiteNoise for static files."""

from __future__ import annotations

import gc
import threading
from typing import Any

from waitress.server import create_server

# Templates loaded before the heap is frozen (see make_server).
WARM_TEMPLATES = (
    "followups/today.html",
    "people/person_list.html",
    "people/person_detail.html",
    "interactions/capture.html",
)


def _settle_the_heap() -> None:
    """Load what every request uses, then keep the garbage collector off it.

    Python's cyclic collector walks every container object it tracks; after start-up that is
    Django, the models, the URL patterns and the templates, which never become garbage. A page
    allocates tens of thousands of objects, so with the default threshold the collector runs
    many times per request. Measured on Today at 30,000 people with four waitress threads: 90
    ms per request as things were, 60 ms with the start-up objects frozen and a higher
    first-generation threshold (the same as with the collector off).
    """
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (loads every app's URLs)
    for name in WARM_TEMPLATES:
        get_template(name)
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def make_server(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> Any:
    """A waitress server for Kithkin, not yet running (``port=0`` picks a free port)."""
    from kithkin.wsgi import application

    _settle_the_heap()
    return create_server(application, host=host, port=port, threads=threads, ident="kithkin")


def stop_server(server: Any, thread: threading.Thread) -> None:
    """Stop a server running in ``thread`` (tests, benchmarks) without pulling its sockets out
    from under the select loop: the loop closes every channel itself, finds nothing left to
    watch, and returns."""

    def close_everything() -> None:
        for channel in list(server._map.values()):
            channel.close()

    server.trigger.pull_trigger(close_everything)
    thread.join(timeout=10)
    server.task_dispatcher.shutdown()


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    server = make_server(host, port, threads)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
