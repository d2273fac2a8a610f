"""The app is assembled from a module per domain, a command loads only its own module, and the
start refuses a database this version cannot bring up to date."""

import importlib

import pytest
import typer
from django.db import connection

from kithkin.cli.app import MODULES, build


def commands_of(app: typer.Typer) -> list[str]:
    command = typer.main.get_command(app)
    return list(getattr(command, "commands", {command.name: command}))


def test_the_table_of_modules_names_every_command_each_module_holds():
    for name, group, commands in MODULES:
        module = importlib.import_module(f"kithkin.cli.{name}")
        assert tuple([group] if group else commands_of(module.app)) == commands, name


def test_the_whole_app_lists_every_command_in_the_order_of_the_table():
    listed = [command for _name, _group, commands in MODULES for command in commands]
    assert commands_of(build()) == listed
    assert len(set(listed)) == len(listed)


def test_a_command_builds_only_its_own_module_and_an_unknown_one_builds_everything(kithkin):
    assert commands_of(build("due")) == ["due", "done", "skip", "snooze", "reopen", "remind"]
    assert commands_of(build("intro")) == ["intro"]
    assert len(commands_of(build("no-such-command"))) == len(commands_of(build()))
    code, _out, err = kithkin("frobnicate")
    assert code == 2 and "No such command 'frobnicate'" in err


@pytest.mark.parametrize(
    ("migration", "says"),
    [
        ("0005_milestones", "was made by a development version of Kithkin from before its migrations were squashed"),
        ("0099_from_the_future", "was made by a newer Kithkin (it has people.0099_from_the_future)"),
    ],
)
def test_a_database_this_version_cannot_bring_up_to_date_is_refused_in_one_line(kithkin, migration, says):
    # Its 0001_initial looks applied, but its schema is another version's: every query would fail.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('people', %s, CURRENT_TIMESTAMP)", [migration]
        )

    code, out, err = kithkin("due")

    assert code == 1 and out == ""
    assert err.startswith("kithkin: error: ") and says in err and len(err.strip().splitlines()) == 1


def test_a_database_already_up_to_date_is_told_without_reading_the_migrations(kithkin, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the migration graph was read")

    monkeypatch.setattr("kithkin.cli.common.MigrationExecutor", refuse)
    code, _out, err = kithkin("due")
    assert (code, err) == (0, "")
