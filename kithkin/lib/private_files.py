"""Files and folders only their owner can read: the data directory, the database, backups, exports.

Whatever the umask (022 makes new files readable by every local user), what these write is
0600 and a folder 0700; an existing one that others could read is tightened.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Make ``path`` (and its missing parents) and leave it readable by its owner alone."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def make_private(path: Path) -> None:
    """Create ``path`` empty if it does not exist, and leave it readable by its owner alone."""
    fd = os.open(path, os.O_RDONLY | os.O_CREAT, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            with contextlib.suppress(PermissionError):  # someone else's file: theirs to keep
                os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def tighten(path: Path) -> None:
    """Take group and other access away from ``path`` if it exists."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        with contextlib.suppress(PermissionError):
            path.chmod(mode & 0o700)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (replacing what it held), readable by its owner alone."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(data)
