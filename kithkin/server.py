"""The production server behind `kithkin serve`: waitress, with WhiteNoise for static files."""

from __future__ import annotations

from typing import Any

from waitress.server import create_server


def make_server(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> Any:
    """A waitress server for Kithkin, not yet running (``port=0`` picks a free port)."""
    from kithkin.wsgi import application

    return create_server(application, host=host, port=port, threads=threads, ident="kithkin")


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    server = make_server(host, port, threads)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
