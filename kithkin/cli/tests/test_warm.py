"""Commands answered by a warm process that a command started: real processes, a real socket."""

import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kithkin.cli import warm
from kithkin.lib import data_dir

KITHKIN = str(Path(sys.executable).with_name("kithkin"))

pytestmark = pytest.mark.slow


@pytest.fixture
def environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "KITHKIN_WARM"}}
    env["KITHKIN_DATA_DIR"] = str(tmp_path / "data")
    yield env
    # No warm process outlives its test: ask whichever is left to leave, and wait until it has.
    found = status(env)
    if found is not None:
        subprocess.run([sys.executable, "-c", LEAVE], env=env, check=True)
        wait_until(lambda: not alive(found["pid"]))


LEAVE = "from kithkin.cli import warm_process; warm_process.ask_to_leave()"


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child of this test process that has exited stays a zombie until reaped: reap it if so.
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def wait_until(condition, seconds=60):
    """Wait for another process to get somewhere (it has no way to tell us), up to a minute."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the warm process did not get there within a minute"
        time.sleep(0.05)


def started_alone(environment, *args):
    """A warm process as a command starts one (``--idle``), which says "ready" on the pipe."""
    Path(environment["KITHKIN_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "kithkin.cli.warm_process", *args], env=environment, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline() == "ready\n"
    return process


@pytest.fixture
def server(environment):
    """A warm process, started as a command starts one, which says "ready" on the pipe the test reads."""
    process = started_alone(environment, "--idle", "600")
    yield process
    if process.poll() is None:
        subprocess.run([sys.executable, "-c", LEAVE], env=environment, check=True)
    assert process.wait(timeout=60) == 0


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


@pytest.mark.parametrize(
    "setting", [{"KITHKIN_USER": "bo"}, {"EMAIL_URL": "smtp://127.0.0.1:2525"}, {"DATABASE_URL": ""}]
)
def test_other_settings_are_not_answered_warm_but_still_work(environment, server, setting):
    other = kithkin(environment, "people", "--json", **setting)
    assert other.returncode == 0 and json.loads(other.stdout) == []
    assert status(environment)["answered"] == 0


def test_every_variable_the_settings_read_is_one_a_warm_process_compares():
    """A warm process read its settings when it started: a command whose environment sets one
    differently (EMAIL_URL for `kithkin digest --send`) must run on its own, not with the old one."""
    source = (Path(warm.__file__).parent.parent / "settings.py").read_text()
    read = set(re.findall(r"""(?:env_\w+|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    assert {"DATABASE_URL", "EMAIL_URL", "KITHKIN_SECRET_KEY"} <= read
    for name in read:
        assert warm.fingerprint({name: "x"})["settings"].get(name) == "x", name


def test_the_warm_process_leaves_when_asked_and_takes_its_socket(environment, server):
    socket_file = Path(environment["KITHKIN_DATA_DIR"]) / "cli.sock"
    assert socket_file.exists() and (socket_file.stat().st_mode & 0o077) == 0
    subprocess.run([sys.executable, "-c", LEAVE], env=environment, check=True)
    assert server.wait(timeout=60) == 0
    assert not socket_file.exists()
    assert status(environment) is None
    assert kithkin(environment, "people", "--json", KITHKIN_WARM="off").returncode == 0  # on its own again


def test_with_no_warm_process_a_command_runs_on_its_own_and_starts_one_for_the_next(environment):
    first = kithkin(environment, "add", "Zoë Ðorđević", "--json")  # the data directory is made here
    assert first.returncode == 0, first.stderr
    assert status(environment) is None  # none started while there was no data directory yet
    second = kithkin(environment, "people", "--json")
    assert second.returncode == 0, second.stderr  # answered on its own, and a warm process starts
    wait_until(lambda: status(environment) is not None)
    shown = kithkin(environment, "show", "Zoë")
    assert shown.returncode == 0 and "Zoë Ðorđević" in shown.stdout
    assert status(environment)["answered"] == 1
    assert kithkin(environment, "people", "--json", KITHKIN_WARM="off").returncode == 0
    assert status(environment)["answered"] == 1


def test_a_warm_process_a_command_started_leaves_when_idle_and_takes_its_socket(environment):
    process = started_alone(environment, "--idle", "0")
    assert process.wait(timeout=60) == 0
    assert not (Path(environment["KITHKIN_DATA_DIR"]) / "cli.sock").exists()
    assert status(environment) is None


def test_one_warm_process_at_most_answers_a_data_directory(environment, server):
    second = subprocess.run(
        [sys.executable, "-m", "kithkin.cli.warm_process", "--idle", "600"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert second.returncode == 0 and second.stdout == ""  # it found the lock held and left at once
    assert status(environment)["pid"] == server.pid


def test_a_warm_process_whose_code_changed_declines_and_leaves(environment):
    process = started_alone(environment, "--idle", "600")
    source = Path(data_dir.__file__)  # loaded by every warm process
    before = source.stat()
    try:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        reply = ask_to_run(environment, ["kithkin", "people"])
    finally:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert reply == "stale\n"
    assert process.wait(timeout=60) == 0
    assert status(environment) is None


def ask_to_run(environment, argv):
    """What a command asks a warm process, sent from here: the first line of its answer."""
    request = json.dumps({"argv": argv, "cwd": "/", "env": environment, "fingerprint": {}}).encode()
    with Path(os.devnull).open("r+b") as nothing, socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(str(Path(environment["KITHKIN_DATA_DIR"]) / "cli.sock"))
        fd = nothing.fileno()
        socket.send_fds(connection, [struct.pack("!Q", len(request)) + request], [fd, fd, fd])
        return connection.makefile("r").readline()
