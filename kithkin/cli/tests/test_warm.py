"""Commands answered by the warm process beside `kithkin serve`: real processes, a real socket."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KITHKIN = str(Path(sys.executable).with_name("kithkin"))

pytestmark = pytest.mark.slow

BESIDE = """
import sys
from kithkin.cli import warm_process
warm_process.start_beside(__import__("os").getpid(), stdout=sys.stdout)
sys.stdin.read()  # the "server": it runs until the test closes its input
"""


@pytest.fixture
def environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "KITHKIN_WARM"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.fixture
def server(environment):
    """A stand-in for `kithkin serve`: a process that starts the warm process beside it, which
    says "ready" on the pipe the test reads."""
    parent = subprocess.Popen(
        [sys.executable, "-c", BESIDE], env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout.readline() == "ready\n"
    yield parent
    parent.stdin.close()
    parent.stdout.read()  # end of file: the warm process has left too
    parent.wait()


def kithkin(environment, *args, **overrides):
    return subprocess.run([KITHKIN, *args], env={**environment, **overrides}, capture_output=True, text=True)


def status(environment):
    found = subprocess.run(
        [sys.executable, "-c", "import json; from kithkin.cli import warm; print(json.dumps(warm.status()))"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout)


def test_a_command_is_answered_by_the_warm_process_exactly_as_on_its_own(environment, server):
    added = kithkin(environment, "add", "Zoë Ðorđević", "--org", "Acme", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["name"] == "Zoë Ðorđević"
    shown = kithkin(environment, "show", "Zoë")
    alone = kithkin(environment, "show", "Zoë", KITHKIN_WARM="off")
    assert shown.returncode == alone.returncode == 0
    assert shown.stdout == alone.stdout and "Acme" in shown.stdout
    assert status(environment)["answered"] == 2  # the add and the first show, not the one with KITHKIN_WARM=off


def test_errors_and_exit_statuses_come_back_as_from_a_command_on_its_own(environment, server):
    missing = kithkin(environment, "show", "99999")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == "kithkin: error: PERSON: no person has id 99999\n"
    usage = kithkin(environment, "add")
    assert usage.returncode == 2 and usage.stderr.startswith("kithkin: error: Missing argument")
    assert status(environment)["answered"] == 2


def test_other_settings_are_not_answered_warm_but_still_work(environment, server):
    other = kithkin(environment, "people", "--json", KITHKIN_USER="bo")
    assert other.returncode == 0 and json.loads(other.stdout) == []
    assert status(environment)["answered"] == 0


def test_the_warm_process_leaves_with_its_server_and_takes_its_socket(environment, server):
    socket = Path(environment["KITHKIN_DATA_DIR"]) / "cli.sock"
    assert socket.exists() and (socket.stat().st_mode & 0o077) == 0
    server.stdin.close()
    server.stdout.read()  # end of file once both have exited
    server.wait()
    assert not socket.exists()
    assert status(environment) is None
    assert kithkin(environment, "people", "--json").returncode == 0  # on its own again
