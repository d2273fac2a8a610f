"""Query helpers the ORM lacks."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler

_SAFE = re.compile(r"[a-z_]{1,40}")


@models.CharField.register_lookup
class LiteralIn(models.Lookup):
    """``field__literal_in=("open", "snoozed")``: IN with the values written into the SQL.

    SQLite uses a partial index only when the query's condition matches the index's
    condition word for word, and a bound parameter never does; Django binds every value.
    Only short lower-case constants from the code are accepted, so nothing a user typed can
    reach the SQL this way.
    """

    lookup_name = "literal_in"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        values = tuple(self.rhs)
        if not values or not all(isinstance(v, str) and _SAFE.fullmatch(v) for v in values):
            raise ValueError(f"literal_in takes short lower-case constants, not {values!r}")
        return values

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        literals = ", ".join(f"'{value}'" for value in self.rhs)
        return f"{lhs} IN ({literals})", list(params)
