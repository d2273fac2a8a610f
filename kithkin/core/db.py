"""Database upkeep that is not about any one table."""

from __future__ import annotations

from django.db import connection


def refresh_statistics() -> None:
    """Give the query planner fresh statistics after many rows arrive at once (a demo network,
    an import) or when the server starts. Bounded on SQLite: well under a second at 30,000 people."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
