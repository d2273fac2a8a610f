"""Every `kithkin ...` line in the README's shell blocks parses against the real command line:
its command exists, and so do its options, and it gives every required argument. The lines are
parsed only, never run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from kithkin.cli.app import build

README = Path(__file__).resolve().parents[3] / "README.md"
# An id the reader takes from a list (`kithkin done <id>`), never a literal one that means something
# else on their network (`kithkin done 12` closed a stranger's check-in on the demo); parsed as 1.
PLACEHOLDER = re.compile(r"<[a-z-]+>")


def readme_command_lines(text: str) -> list[str]:
    """The `kithkin` lines of the ```sh blocks, a line continued with a backslash joined to the next."""
    lines = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            tokens = shlex.split(PLACEHOLDER.sub("1", line), comments=True)
            if tokens and tokens[0] == "kithkin":
                lines.append(line.strip())
    return lines


def parse(tokens: list[str]) -> None:
    """Resolve the sub-command through the Click tree and parse its arguments as Click would
    before running it; raises Click's UsageError for an unknown command or option, or a missing
    argument."""
    command = typer.main.get_command(build())
    name, args = tokens[0], tokens[1:]
    parent = None
    while isinstance(command, TyperGroup):
        # A group that runs on its own (`kithkin rekindle --limit 5`) parses its own options.
        if command.invoke_without_command and (not args or args[0].startswith("-")):
            break
        parent = command.context_class(command, info_name=name, parent=parent)
        if not args:
            parent.fail("Missing command.")
        name, args = args[0], args[1:]
        found = command.get_command(parent, name)
        if found is None:
            parent.fail(f"No such command {name!r}.")
        command = found
    command.make_context(name, args, parent=parent)


LINES = readme_command_lines(README.read_text(encoding="utf-8"))


def test_the_readme_has_command_lines_to_check():
    assert len(LINES) > 40
    assert any(line.startswith("kithkin add ") and "--need" in line for line in LINES)  # a continued line, joined


@pytest.mark.parametrize("line", LINES)
def test_a_readme_command_line_parses(line):
    try:
        parse(shlex.split(PLACEHOLDER.sub("1", line), comments=True))
    except Exception as exc:
        message = exc.format_message() if hasattr(exc, "format_message") else repr(exc)
        pytest.fail(f"README: {line}\n  {message}", pytrace=False)


@pytest.mark.parametrize(
    "line",
    [
        "kithkin add 'Ana Ruiz' --closness close",  # a misspelled option
        "kithkin remind Ana",  # a missing argument
        "kithkin intro proposal Ana Bo --why x",  # an unknown sub-command
        "kithkin frobnicate",
        "kithkin event",
    ],
)
def test_a_line_the_command_line_would_refuse_does_not_parse(line):
    with pytest.raises(Exception) as refused:
        parse(shlex.split(line))
    assert any(cls.__name__ == "UsageError" for cls in type(refused.value).__mro__)


# Issue 13, item 18
def test_readme_commands_take_ids_from_a_list_never_a_literal_id():
    acting_on_an_id = ("done", "skip", "snooze", "reopen", "undo-import", "close-ask", "merge")
    literal = [
        line
        for line in LINES
        if shlex.split(line, comments=True)[1] in acting_on_an_id and re.search(r"\s\d+(\s|$)", line.split("#")[0])
    ]
    assert literal == []
    assert not re.search(r"--settles \d|intro step \d", README.read_text(encoding="utf-8"))
