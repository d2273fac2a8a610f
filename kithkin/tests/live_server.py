"""A real `kithkin serve` for the faces' tests (web, API, agents) to talk to over HTTP. Here, not
in kithkin.testing: the server brings every face with it, and the domain's tests import none."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

from kithkin.server import make_server, stop_server


@contextmanager
def running_server(threads: int = 2) -> Iterator[str]:
    """A real `kithkin serve` (waitress) on a free port of 127.0.0.1, as its address; stopped on the
    way out. Its threads close their database connections after each request, so that the test
    database can be dropped afterwards (PostgreSQL refuses while sessions are open). The test
    needs ``transactional_db``: the server's threads see only what is committed."""
    database = connections.settings["default"]
    kept_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    running = make_server("127.0.0.1", 0, threads=threads)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.effective_port}"
    finally:
        stop_server(running, thread)
        database["CONN_MAX_AGE"] = kept_age
    assert not thread.is_alive()
