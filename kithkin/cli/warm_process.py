"""The warm process (see warm.py, the commands' side): Django and every command set up once,
then a forked child per command it is handed.

Started by a command that found none (``python -m kithkin.cli.warm_process --idle SECONDS``), it
leaves when no command came for that long, when its socket is gone, when asked to (``leave``),
and, declining the command, when the code it loaded has changed on disk."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import os
import signal
import socket
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kithkin.cli.warm import HEADER, LONGEST_PATH, WATCH_SECONDS, fingerprint, lock_path, socket_path
from kithkin.lib.private_files import private_dir

# How much lower than its starter's the warm process's priority is (``os.nice``).
NICENESS = 10


def serve_warm(idle: float) -> None:
    """Set everything up once, then answer commands until none came for ``idle`` seconds, or the
    socket is gone, or the code changed."""
    mine = fingerprint(os.environ)  # before Django sets TZ and DJANGO_SETTINGS_MODULE
    path = socket_path()
    if len(str(path)) > LONGEST_PATH:
        return
    private_dir(path.parent)  # as the settings make it
    lock = _lock()
    if lock is None:
        return  # another warm process answers on this data directory
    # Setting up takes a second or two of CPU, beside the command that started it (and perhaps a
    # server answering pages): those come first. Set back to the command's own priority in each child
    # where the system allows it (it does not let an ordinary user raise a priority again).
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    from kithkin.cli.main import setup

    setup()
    import gc

    from django.db import connections

    from kithkin.cli.app import make_whole
    from kithkin.cli.common import apply_pending_migrations

    apply_pending_migrations()
    make_whole()  # imports every command's module (and through them the domain) and builds the CLI
    _warm_up_parsers()
    connections.close_all()
    listener, inode = _listen(path)
    warm = _Warm(listener, path, inode, lock, mine, _loaded_sources())
    gc.collect()
    gc.freeze()  # the children share these pages with this process instead of copying them
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # it has no terminal of its own; a command's Ctrl+C is not for it
    listener.settimeout(WATCH_SECONDS)
    sys.stdout.write("ready\n")  # for whoever waits for it (the tests)
    sys.stdout.flush()
    last = time.monotonic()
    try:
        while time.monotonic() - last < idle and warm.holds_socket():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            last = time.monotonic()
            with connection:
                if warm.take(connection):
                    break
    finally:
        warm.step_down()
        with contextlib.suppress(OSError):
            os.close(lock)


def _lock() -> int | None:
    """Hold this data directory's lock (a descriptor), or None when another warm process holds it."""
    fd = os.open(lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def ask_to_leave() -> bool:
    """Ask the warm process of this data directory to leave (whether one answered): tests and the
    bench, which start their own."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(5)
        connection.connect(str(socket_path()))
        payload = json.dumps({"op": "leave"}).encode()
        connection.sendall(HEADER.pack(len(payload)) + payload)
        connection.recv(16)
        return True
    return False


def _loaded_sources() -> dict[str, int]:
    """Each Kithkin module loaded, and when its source last changed: the code it would run."""
    import kithkin

    root = str(Path(kithkin.__file__).parent)
    found = {}
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and file.startswith(root):
            with contextlib.suppress(OSError):
                found[file] = Path(file).stat().st_mtime_ns
    return found


def _has_changed(sources: dict[str, int]) -> bool:
    for file, changed in sources.items():
        try:
            if Path(file).stat().st_mtime_ns != changed:
                return True
        except OSError:
            return True
    return False


def _warm_up_parsers() -> None:
    """What a command would load on first use (the date, name, phone and email parsers, and the
    pydantic that Typer reads a command's arguments with), loaded here once."""
    import typer._adapters
    import typer._click.decorators  # noqa: F401
    from pydantic import TypeAdapter

    from kithkin.lib import emails, names, phones, when

    samples: tuple[tuple[Any, object], ...] = (
        (int, "1"), (str, "a"), (bool, True), (float, "1.5"), (list[str], ["a"]), (int | None, None), (str | None, None),
    )  # fmt: skip
    for kind, value in samples:
        TypeAdapter(kind).validate_python(value)

    when.warm_up()
    names.parse_name("Dr. Ana María Ruiz-Vidal")
    phones.normalize_phone("+34 911 23 45 67")
    emails.normalize_email("ana@exämple.org")


def _listen(path: Path) -> tuple[socket.socket, int]:
    """A socket listening at ``path`` (and its inode). The lock is held: a socket found there was
    left by a warm process killed hard."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o077)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(16)
    return listener, path.stat().st_ino


def _same_user(connection: socket.socket) -> bool:
    if not hasattr(socket, "SO_PEERCRED"):
        return True  # the socket lives in the data directory, which only its owner can enter
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _receive(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _flags, _address = socket.recv_fds(connection, 1 << 16, 3)
    if len(data) < HEADER.size:
        raise ValueError("short request")
    (length,) = HEADER.unpack_from(data)
    body = bytearray(data[HEADER.size :])
    while len(body) < length:
        more = connection.recv(length - len(body))
        if not more:
            raise ValueError("request cut short")
        body += more
    return json.loads(body), fds


@dataclass
class _Warm:
    listener: socket.socket
    path: Path
    inode: int  # the socket's, to tell it from a newer warm process's
    lock: int
    mine: dict[str, Any]  # the fingerprint a command must have
    sources: dict[str, int]  # the code loaded (see _loaded_sources)
    answered: int = 0

    def holds_socket(self) -> bool:
        try:
            return self.path.stat().st_ino == self.inode
        except OSError:
            return False  # the data directory was removed

    def step_down(self) -> None:
        """Stop listening, remove the socket and give up the lock."""
        with contextlib.suppress(OSError):
            if self.holds_socket():
                self.path.unlink()
        self.listener.close()
        with contextlib.suppress(OSError):
            fcntl.flock(self.lock, fcntl.LOCK_UN)

    def take(self, connection: socket.socket) -> bool:
        """Answer one connection: fork a child for the command, or decline; whether to leave now."""
        connection.settimeout(5)
        fds: list[int] = []
        try:
            if not _same_user(connection):
                return False
            request, fds = _receive(connection)
            op = request.get("op")
            if op == "status":
                connection.sendall(json.dumps({"pid": os.getpid(), "answered": self.answered}).encode() + b"\n")
                return False
            if op == "leave" or (len(fds) == 3 and _has_changed(self.sources)):
                self.step_down()  # before answering: whoever asked may start another at once
                connection.sendall(b"ok\n" if op == "leave" else b"stale\n")
                return True
            if len(fds) != 3 or request.get("fingerprint") != self.mine:
                connection.sendall(b"no\n")
                return False
            if os.fork() == 0:
                self.listener.close()
                os.close(self.lock)  # the child's copy would keep the lock held after this process left
                _run_child(connection, request, fds)
            self.answered += 1
        except (OSError, ValueError):
            pass
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
        return False


def _run_child(connection: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become the command's process, run it, report its status, and exit."""
    status = 1
    try:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, int(request.get("priority", 0)))
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(request["argv"])
        _reopen_std_streams()
        from kithkin.cli.common import reset_consoles

        reset_consoles()
        connection.settimeout(None)
        connection.sendall(f"pid {os.getpid()}\n".encode())
        status = _run(sys.argv[1:])
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(OSError):
            connection.sendall(f"exit {status}\n".encode())
        os._exit(status)


def _run(args: list[str]) -> int:
    from django.db import connections

    from kithkin.cli.main import main

    try:
        main(args)
    except SystemExit as exc:
        code = exc.code
        if code is None or isinstance(code, int):
            return code or 0
        sys.stderr.write(f"{code}\n")
        return 1
    except BaseException:
        import traceback

        traceback.print_exc()
        return 1
    finally:
        with contextlib.suppress(Exception):
            connections.close_all()
    return 0


def _reopen_std_streams() -> None:
    """Python objects over the command's own descriptors, buffered as Python buffers a terminal
    or a pipe of its own."""
    encoding = sys.stdout.encoding
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=encoding)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        raw = io.FileIO(fd, "w", closefd=False)
        stream = io.TextIOWrapper(
            io.BufferedWriter(raw),
            encoding=encoding,
            errors="backslashreplace" if fd == 2 else "strict",
            line_buffering=fd == 2 or os.isatty(fd),
            write_through=fd == 2,
        )
        setattr(sys, name, stream)


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--idle", type=float, required=True, help="leave when no command came for this many seconds")
    serve_warm(arguments.parse_args().idle)
