"""The warm process beside `kithkin serve` (see warm.py, the commands' side): Django and every
command set up once, then a forked child per command it is handed."""

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

from kithkin.cli.warm import HEADER, LONGEST_PATH, WATCH_SECONDS, fingerprint, socket_path


def serve_warm(parent: int) -> None:
    """Set everything up once, then answer commands until the process ``parent`` is gone."""
    from kithkin.cli.main import setup

    mine = fingerprint(os.environ)  # before Django sets TZ and DJANGO_SETTINGS_MODULE
    setup()
    import gc

    from django.db import connections

    from kithkin.cli.app import make_whole
    from kithkin.cli.common import apply_pending_migrations

    apply_pending_migrations()
    make_whole()  # imports every command's module (and through them the domain) and builds the CLI
    _warm_up_parsers()
    connections.close_all()
    path = socket_path()
    listening = _listen(path)
    if listening is None:
        return
    listener, inode = listening
    gc.collect()
    gc.freeze()  # the children share these pages with this process instead of copying them
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the server's terminal: it leaves with the server
    listener.settimeout(WATCH_SECONDS)
    answered = [0]
    sys.stdout.write("ready\n")  # for whoever waits for it (the tests)
    sys.stdout.flush()
    try:
        while os.getppid() == parent:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                _take(connection, listener, mine, answered)
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if path.stat().st_ino == inode:  # not a newer warm process's socket
                path.unlink()


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


def _listen(path: Path) -> tuple[socket.socket, int] | None:
    """A socket listening at ``path`` (and its inode), unless another warm process already answers there."""
    if len(str(path)) > LONGEST_PATH:
        return None
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with probe:
        try:
            probe.connect(str(path))
            return None  # another one is running on this data directory
        except OSError:
            pass
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # left by a warm process that was killed
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


def _take(connection: socket.socket, listener: socket.socket, mine: dict[str, Any], answered: list[int]) -> None:
    """Answer one connection: fork a child for the command, or decline."""
    connection.settimeout(5)
    fds: list[int] = []
    try:
        if not _same_user(connection):
            return
        request, fds = _receive(connection)
        if request.get("op") == "status":
            connection.sendall(json.dumps({"pid": os.getpid(), "answered": answered[0]}).encode() + b"\n")
            return
        if len(fds) != 3 or request.get("fingerprint") != mine:
            connection.sendall(b"no\n")
            return
        if os.fork() == 0:
            listener.close()
            _run_child(connection, request, fds)
        answered[0] += 1
    except (OSError, ValueError):
        pass
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


def _run_child(connection: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become the command's process, run it, report its status, and exit."""
    status = 1
    try:
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


def start_beside(parent: int, stdout: Any = None) -> Any:
    """Start the warm process for the server ``parent`` (a `subprocess.Popen`; it stops with it).
    It writes one line, "ready", to ``stdout`` (by default nowhere) once it answers."""
    import subprocess

    return subprocess.Popen(
        [sys.executable, "-m", "kithkin.cli.warm_process", str(parent)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if stdout is None else stdout,
    )


if __name__ == "__main__":
    serve_warm(int(sys.argv[1]))
