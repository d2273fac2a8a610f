"""Path parameters shared by the routers: an object's id, within what the database can hold."""

from __future__ import annotations

from typing import Any

from ninja import Path

# SQLite's and PostgreSQL's bigint: a larger id would not reach the database, it would break it.
MAX_ID = 2**63 - 1


def object_id(noun: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=f"The {noun}'s id")
