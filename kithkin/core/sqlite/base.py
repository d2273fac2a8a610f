"""Django's SQLite backend, keeping the query planner's statistics fresh.

Without statistics SQLite often picks the owner index and walks every row a user has (600,000
touches in a big network) where a narrower index would read twenty. SQLite's advice is to run
``PRAGMA optimize`` before closing each connection: it is usually a no-op, and otherwise
re-analyses the tables that grew, bounded by ``analysis_limit``.

It also keeps the database file private: made 0600 before SQLite opens it (SQLite gives its
``-wal`` and ``-shm`` files the database's own mode), and an older one that others could read
tightened, with its ``-wal`` and ``-shm``, by path (an existing database file is never opened
outside SQLite: see ``get_new_connection``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base

from kithkin.lib.private_files import make_private, tighten

# Held while a database file is made, so that no connection of this process opens it meanwhile.
_creating = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        if not self.is_in_memory_db():
            database = Path(str(conn_params["database"]))
            # Never open and close a database file this process may have open: closing any
            # descriptor of a file drops every POSIX lock the process holds on it, SQLite's
            # included, and another process then takes itself for the last one, checkpoints and
            # deletes the -shm under the live connections ("disk I/O error", and worse; SQLite's
            # "How To Corrupt An SQLite Database File", 2.2). Only a file that does not exist yet
            # is made here, and no connection of this process can hold a lock on that.
            with _creating:
                if not database.exists():
                    make_private(database)
                    return super().get_new_connection(conn_params)
            for path in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal"))):
                tighten(path)
        return super().get_new_connection(conn_params)

    def close(self) -> None:
        # Django keeps an in-memory database (the tests') open; a file is really closed.
        if self.connection is not None and not self.in_atomic_block and not self.is_in_memory_db():
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA analysis_limit=400")
                self.connection.execute("PRAGMA optimize")
        super().close()
