"""The CLI's edge: a command runs in the local owner's scope."""

from kithkin.cli import app
from kithkin.people.models import Person
from kithkin.testing import make_person, run_json


def test_a_command_runs_in_the_local_owners_scope(kithkin, alice):
    make_person(alice, "Ana Secret")
    run_json(kithkin, "add", "Bo Chen")
    seen = []

    @app.command("scope-probe")
    def probe() -> None:
        # No for_owner on purpose: the owner scope alone has to keep Alice's rows out.
        seen.extend(Person.objects.values_list("full_name", flat=True))

    try:
        code, _out, err = kithkin("scope-probe")
    finally:
        app.registered_commands.pop()
    assert (code, err, seen) == (0, "", ["Bo Chen"])
