"""The CLI's edge: a command runs in the local owner's scope."""

import typer

from kithkin.cli import app
from kithkin.people.models import Person
from kithkin.testing import make_person, run_json


def test_a_command_runs_in_the_local_owners_scope(kithkin, alice, monkeypatch):
    make_person(alice, "Ana Secret")
    run_json(kithkin, "add", "Bo Chen")
    seen = []
    probe_app = typer.Typer()

    @probe_app.command("scope-probe")
    def probe() -> None:
        # No for_owner on purpose: the owner scope alone has to keep Alice's rows out.
        seen.extend(Person.objects.values_list("full_name", flat=True))

    def build_with_probe(command: str | None = None) -> typer.Typer:
        built = real_build(None)
        built.add_typer(probe_app)
        return built

    real_build = app.build
    monkeypatch.setattr(app, "build", build_with_probe)
    code, _out, err = kithkin("scope-probe")
    assert (code, err, seen) == (0, "", ["Bo Chen"])
