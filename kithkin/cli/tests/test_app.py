"""The app is assembled from a module per domain, and a command loads only its own module."""

import importlib

import typer

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
    assert commands_of(build("due")) == ["due", "done", "skip", "snooze", "remind"]
    assert commands_of(build("intro")) == ["intro"]
    assert len(commands_of(build("no-such-command"))) == len(commands_of(build()))
    code, _out, err = kithkin("frobnicate")
    assert code == 2 and "No such command 'frobnicate'" in err
