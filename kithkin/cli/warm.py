"""Commands answered by a warm process: one that has imported and set up Django and the app once.

A command started on its own spends about half a second of CPU before it does anything, nearly
all of it importing Django and the app and setting them up. A warm process
(``python -m kithkin.cli.warm_process``) has done that once. A command run then connects to it
over a Unix socket in the data directory and hands over its arguments, working directory and
environment, and its standard input, output and error themselves (the file descriptors, so a
terminal stays a terminal: prompts, colours, widths, pipes and exit codes behave as in a command
run on its own). The warm process forks a child that runs the command, and the child reports its
exit status back. The warm process holds no database connection when it forks: each child opens
its own.

Where it comes from: the first command that finds none starts one, detached, and runs on its
own; the commands after it are answered warm. It leaves after ``IDLE_SECONDS`` without a
command, when the code it loaded changes on disk (it declines the command, which runs on its own
and starts a fresh one) and when its socket is gone (the data directory was removed). `kithkin
serve` starts none: its first pages would share the CPU with the warm process setting up.

The command runs on its own instead (it is never worse off) when no warm process listens yet,
when their settings differ (any ``KITHKIN_*`` or ``DJANGO_*`` variable, ``DATABASE_URL``,
``EMAIL_URL``, or the Python installation), when the socket's other end is not the same user,
and always with ``KITHKIN_WARM=off`` (which also starts none).

This module, the commands' side, is imported by every command before Django is: it must stay
light (no Django, no Kithkin module beyond ``kithkin.lib.data_dir``). The warm process itself is
warm_process.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import struct
import sys
from pathlib import Path
from typing import Any

from kithkin.lib.data_dir import chosen_data_dir

SOCKET_NAME = "cli.sock"
# Held (flock) by the warm process for as long as it lives: one per data directory.
LOCK_NAME = "cli.lock"
# How long a warm process that a command started waits for the next command before it leaves.
IDLE_SECONDS = 15 * 60
# A Unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS).
LONGEST_PATH = 100
# Commands that always run in their own process: a server (or the digest worker, or the agent
# server) belongs to the terminal or the agent that started it.
OWN_PROCESS = frozenset({"serve", "worker", "mcp"})
OFF = frozenset({"off", "0", "no", "false"})
# The variables settings.py reads that have neither prefix (a test holds settings.py to this).
SETTINGS_VARIABLES = frozenset({"DATABASE_URL", "EMAIL_URL"})
# How often the warm process checks that its socket is still there and how long it has been idle, in seconds.
WATCH_SECONDS = 1.0
HEADER = struct.Struct("!Q")


def socket_path() -> Path:
    return chosen_data_dir() / SOCKET_NAME


def lock_path() -> Path:
    return chosen_data_dir() / LOCK_NAME


def is_off(environ: dict[str, str] | os._Environ[str]) -> bool:
    return environ.get("KITHKIN_WARM", "").strip().lower() in OFF


def fingerprint(environ: dict[str, str] | os._Environ[str]) -> dict[str, Any]:
    """What must be the same for a warm process to answer a command: the settings (read from the
    environment once, when it started) and the installation it runs."""
    settings = {
        name: value
        for name, value in environ.items()
        if (name.startswith(("KITHKIN_", "DJANGO_")) and name != "KITHKIN_WARM") or name in SETTINGS_VARIABLES
    }
    settings.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")  # what setting up sets
    return {"prefix": sys.prefix, "settings": dict(sorted(settings.items()))}


# --- the command's side ------------------------------------------------------------------------


def answer(argv: list[str]) -> int | None:
    """Have a warm process run the command ``argv`` (``sys.argv``, program name first), and
    return its exit status; None when there is none to ask, or it declines."""
    command = argv[1] if len(argv) > 1 else ""
    if is_off(os.environ) or command in OWN_PROCESS:
        return None
    if not hasattr(socket, "AF_UNIX") or not hasattr(socket, "send_fds"):
        return None
    path = socket_path()
    if len(str(path)) > LONGEST_PATH:
        return None
    try:
        request = {
            "argv": argv,
            "cwd": str(Path.cwd()),
            "env": dict(os.environ),
            "fingerprint": fingerprint(os.environ),
            "priority": os.getpriority(os.PRIO_PROCESS, 0),
        }
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:
        return None
    with connection:
        try:
            connection.connect(str(path))
        except OSError:  # nobody listens (or a warm process killed hard left its socket)
            start_alone()
            return None
        try:
            payload = json.dumps(request).encode()
            socket.send_fds(connection, [HEADER.pack(len(payload)) + payload], [0, 1, 2])
            replies = connection.makefile("r", encoding="utf-8")
            first = replies.readline().split()
        except OSError:  # a std stream is closed, or the warm process left meanwhile
            return None
        if first == ["stale"]:  # its code changed on disk: it has left, a fresh one takes over
            start_alone()
            return None
        if len(first) != 2 or first[0] != "pid":
            return None  # declined: other settings
        return _wait_for(replies, int(first[1]))


def start_alone() -> bool:
    """Start a warm process for this data directory, detached from this command (it answers the
    next ones, and leaves when idle), unless one is already starting or running; whether one was
    started."""
    import fcntl

    directory = chosen_data_dir()
    if not directory.is_dir():
        return False  # a first command makes the data directory; the next one starts the warm process
    try:
        lock = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held by a warm process while it lives
    except OSError:
        return False
    finally:
        os.close(lock)  # and with it the lock, at once: the warm process takes it
    import subprocess

    try:
        subprocess.Popen(
            [sys.executable, "-m", "kithkin.cli.warm_process", "--idle", str(IDLE_SECONDS)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # never this command's pipes: whoever reads them would wait for it
            stderr=subprocess.DEVNULL,
            cwd=directory,
            start_new_session=True,  # not in this terminal's process group: Ctrl+C here is not for it
        )
    except OSError:
        return False
    return True


def _wait_for(replies: io.TextIOWrapper, pid: int) -> int:
    """The child's exit status; Ctrl+C here is passed on to it (it is not in this terminal's
    process group), as if it had been pressed while the command ran on its own."""
    while True:
        try:
            last = replies.readline().split()
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGINT)
            continue
        if len(last) == 2 and last[0] == "exit":
            return int(last[1])
        sys.stderr.write("kithkin: error: the command stopped before it finished\n")
        return 1


def status() -> dict[str, Any] | None:
    """The warm process for this data directory (its pid, and how many commands it has answered),
    or None when there is none."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(str(socket_path()))
            payload = json.dumps({"op": "status"}).encode()
            connection.sendall(HEADER.pack(len(payload)) + payload)
            found: dict[str, Any] = json.loads(connection.makefile("r", encoding="utf-8").readline())
            return found
    except (OSError, ValueError):
        return None
