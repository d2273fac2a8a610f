"""What distributing the database by owner (Citus, docs/scaling.md) needs from the schema today.

A distributed table is split into shards by one column, here ``owner_id``; the database can only
enforce a UNIQUE constraint that includes that column (each shard checks its own rows), and an
owner's rows are found fast only through an index that starts with it. These tests read the real
tables (not the models), so a migration that drops an index or a new owned model that forgets the
owner in a constraint fails here, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from kithkin.core.models import Owned

OWNER_COLUMN = "owner_id"


def owned_tables() -> list[str]:
    """The table of every concrete, managed model kept per owner, including ones added later."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, Owned) and model._meta.managed and not model._meta.proxy
    )


def constraints_of(table: str) -> dict[str, dict[str, Any]]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def columns_of(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def test_every_owned_model_is_checked():
    tables = owned_tables()
    assert "people_person" in tables
    assert "accounts_logintoken" in tables


@pytest.mark.django_db
@pytest.mark.parametrize("table", owned_tables())
def test_an_owned_table_has_an_owner_column(table):
    assert OWNER_COLUMN in columns_of(table), f"{table} has no {OWNER_COLUMN} column to distribute it by"


@pytest.mark.django_db
@pytest.mark.parametrize("table", owned_tables())
def test_an_owned_table_has_an_index_that_starts_with_the_owner(table):
    starts = [
        name
        for name, constraint in constraints_of(table).items()
        if (constraint["index"] or constraint["unique"] or constraint["primary_key"])
        and (constraint["columns"] or [None])[0] == OWNER_COLUMN
    ]
    assert starts, f"{table}: no index, primary key or unique constraint starts with {OWNER_COLUMN}"


@pytest.mark.django_db
@pytest.mark.parametrize("table", owned_tables())
def test_every_unique_constraint_of_an_owned_table_includes_the_owner(table):
    without_owner = [
        f"{table}.{name} ({', '.join(column or 'an expression' for column in constraint['columns'] or [None])})"
        for name, constraint in constraints_of(table).items()
        if constraint["unique"] and not constraint["primary_key"] and OWNER_COLUMN not in (constraint["columns"] or [])
    ]
    assert not without_owner, (
        f"unique constraints without {OWNER_COLUMN}, which a table distributed by owner cannot enforce: "
        + "; ".join(without_owner)
    )
