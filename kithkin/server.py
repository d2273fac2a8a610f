"""The production server behind `kithkin serve`: waitress, with WhiteNoise for static files."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from waitress.server import create_server

logger = logging.getLogger(__name__)

# How often `kithkin serve` runs its upkeep (see ``upkeep``).
UPKEEP_MINUTES = 10


def _settle_the_heap() -> None:
    """Load what every request uses, then keep the garbage collector off it.

    Python's cyclic collector walks every container object it tracks; after start-up that is
    Django, the models, the URL patterns and the templates, which never become garbage. A page
    allocates tens of thousands of objects, so with the default threshold the collector runs
    many times per request. Measured on Today at 30,000 people with four waitress threads: 90
    ms per request as things were, 60 ms with the start-up objects frozen and a higher
    first-generation threshold (the same as with the collector off).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (loads every app's URLs)
    _load_templates()
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _load_templates() -> None:
    """Compile every template of Kithkin's own once, before the first request: a page's first view
    compiled its templates and the rows it includes (Today, a person, the ledger: 40-90 ms more)."""
    from django.template.loader import get_template

    root = Path(__file__).parent / "web" / "templates"
    for path in sorted(root.rglob("*.html")):
        get_template(path.relative_to(root).as_posix())


def make_server(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> Any:
    """A waitress server for Kithkin, not yet running (``port=0`` picks a free port)."""
    from django.conf import settings

    from kithkin.wsgi import application

    _settle_the_heap()
    # A longer body is refused (413) from its Content-Length, before waitress buffers any of it.
    return create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="kithkin",
        max_request_body_size=settings.MAX_REQUEST_BYTES,
    )


def stop_server(server: Any, thread: threading.Thread) -> None:
    """Stop a server running in ``thread`` (tests, benchmarks) without pulling its sockets out
    from under the select loop: the loop closes every channel itself, finds nothing left to
    watch, and returns."""

    def close_everything() -> None:
        for channel in list(server._map.values()):
            with contextlib.suppress(OSError):  # a pipe already gone is closed enough
                channel.close()

    # The request threads first: one finishing its answer wakes the loop through the trigger,
    # and would find its pipe closed ("Bad file descriptor", printed from the thread).
    server.task_dispatcher.shutdown()
    try:
        server.trigger.pull_trigger(close_everything)
    except OSError:
        # The trigger's pipe is gone already (seen now and then when tests stop a server: "Bad
        # file descriptor"); close the channels from here instead, and the loop, finding
        # nothing left to watch, returns at its next wake-up.
        close_everything()
    thread.join(timeout=10)
    close_application()


def close_application() -> None:
    """Stop what the application runs beside the request threads (the agent server's event loop)."""
    from kithkin.wsgi import application

    application.close()


def shown_host(host: str) -> str:
    """The host a link names: a server listening on every address is reached on the loopback."""
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    return f"[{shown}]" if ":" in shown else shown


def address_file() -> Path:
    """Where the running `kithkin serve` writes its address, for `kithkin link` to read."""
    from django.conf import settings

    return Path(settings.DATA_DIR) / "server.json"


@contextmanager
def recorded_address(host: str, port: int) -> Iterator[None]:
    """Write where this process serves while it does; remove it after (if still ours)."""
    path = address_file()
    path.write_text(json.dumps({"host": shown_host(host), "port": port, "pid": os.getpid()}), encoding="utf-8")
    try:
        yield
    finally:
        with suppress(OSError, ValueError, KeyError, TypeError):
            if json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid():
                path.unlink()


def served_address() -> tuple[str, int] | None:
    """The host and port of the `kithkin serve` running on this data directory, if one is."""
    try:
        found = json.loads(address_file().read_text(encoding="utf-8"))
        host, port, pid = str(found["host"]), int(found["port"]), int(found["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with suppress(OSError):
        os.kill(pid, 0)  # is it still running? (a server killed hard leaves its file behind)
        return host, port
    return None


def link_address() -> tuple[str, str]:
    """Where the links the CLI prints point: KITHKIN_HOST/KITHKIN_PORT when set, else the running
    server's own address, else the default."""
    from django.conf import settings

    if not settings.SERVER_ADDRESS_SET and (served := served_address()) is not None:
        return served[0], str(served[1])
    return settings.SERVER_HOST, settings.SERVER_PORT


def site_address() -> str:
    """Where the links the CLI prints for someone else point ("https://kithkin.example.org"):
    KITHKIN_BASE_URL when set (they are opened on other machines, through the server's public
    name), else the running server's own address, as ``link_address``."""
    from django.conf import settings

    if settings.BASE_URL_SET:
        return str(settings.BASE_URL)
    host, port = link_address()
    return f"http://{host}:{port}"


def upkeep() -> None:
    """What the server does now and then, beside answering requests: undo the imports whose
    process died half-way, and remove the uploads nobody imported. Each step on its own: one
    failing (the database busy) does not keep the others from running, and the next round tries
    again."""
    from django.db import connections

    from kithkin.imports.services import remove_abandoned_uploads, undo_abandoned_imports

    for step in (undo_abandoned_imports, remove_abandoned_uploads):
        try:
            step()
        except Exception:
            logger.exception("upkeep: %s failed; it runs again in %s minutes", step.__name__, UPKEEP_MINUTES)
    connections.close_all()


def start_upkeep(stop: threading.Event, minutes: float = UPKEEP_MINUTES) -> threading.Thread:
    """Run ``upkeep`` at start and every ``minutes`` in a daemon thread, until ``stop`` is set."""

    def loop() -> None:
        while True:
            upkeep()
            if stop.wait(minutes * 60):
                return

    thread = threading.Thread(target=loop, name="kithkin-upkeep", daemon=True)
    thread.start()
    return thread


def start_schedule(stop: threading.Event) -> threading.Thread:
    """Send the daily digests as they fall due (when a mail server is set: EMAIL_URL) and sync the
    connected accounts (``capture.schedule``), in a daemon thread until ``stop`` is set."""
    from django.conf import settings

    from kithkin.capture.schedule import run_schedule

    if not settings.EMAIL_CONFIGURED:
        logger.info("no EMAIL_URL: the daily digests are not sent")
    thread = threading.Thread(target=run_schedule, args=(stop,), name="kithkin-schedule", daemon=True)
    thread.start()
    return thread


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    server = make_server(host, port, threads)
    stop = threading.Event()
    start_upkeep(stop)
    start_schedule(stop)
    with recorded_address(host, server.effective_port):
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.close()
            close_application()
