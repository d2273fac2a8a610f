"""Django's SQLite backend, keeping the query planner's statistics fresh.

Without statistics SQLite often picks the owner index and walks every row a user has (600,000
touches in a big network) where a narrower index would read twenty. SQLite's advice is to run
``PRAGMA optimize`` before closing each connection: it is usually a no-op, and otherwise
re-analyses the tables that grew, bounded by ``analysis_limit``.
"""

from __future__ import annotations

import contextlib
import sqlite3

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close(self) -> None:
        # Django keeps an in-memory database (the tests') open; a file is really closed.
        if self.connection is not None and not self.in_atomic_block and not self.is_in_memory_db():
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA analysis_limit=400")
                self.connection.execute("PRAGMA optimize")
        super().close()
