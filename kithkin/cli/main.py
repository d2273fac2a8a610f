"""The `kithkin` command's entry point: set Django up once, run one command, and turn what it
raises into Kithkin's conventions. Errors go to stderr as one line naming the field; bad input
exits 1, bad usage 2, and neither changes anything. A database busy for longer than its timeout
(another process writing) is one line and exit 1 too, never a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from kithkin.cli import warm

BUSY = (
    "the database is busy: another Kithkin (an import, the server) held it for too long; nothing"
    " was changed, try again in a moment"
)


def setup() -> None:
    """Set Django up (no database yet: ``kithkin --help`` needs none)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    django.setup()


def boot() -> None:
    """Set Django up and apply pending migrations (the benchmark's start-up, as a command's)."""
    setup()
    from kithkin.cli.common import apply_pending_migrations  # needs django.setup() first

    apply_pending_migrations()


def _is_click(exc: BaseException, name: str) -> bool:
    # Typer 0.24+ vendors Click; match its exceptions by class name so either kind works.
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI with Kithkin's error conventions: one line on stderr, exit 1 or 2.

    Run as the ``kithkin`` command (``argv`` None), a warm process answers it when there is one,
    and one is started for the next command when there is none (see ``warm``): Django is not even
    imported here when it answers."""
    if argv is None and (status := warm.answer(sys.argv)) is not None:
        raise SystemExit(status)
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from kithkin.core.errors import BadFile, BadInput

    try:
        setup()
    except ImproperlyConfigured as exc:  # a KITHKIN_* variable that does not read
        sys.stderr.write(f"kithkin: error: {exc}\n")
        raise SystemExit(2) from None
    # Imported only now: the command modules import models at their top, which needs django.setup().
    from kithkin.cli.app import run
    from kithkin.cli.common import fail, label
    from kithkin.core.db import is_busy

    try:
        status = run(argv)
    except DatabaseError as exc:
        if is_busy(exc):
            fail(BUSY, 1)
        raise
    except BadFile as exc:
        fail(exc.message, 1)
    except BadInput as exc:
        fail(f"{label(exc.field)}: {exc.message}", 1)
    except Exception as exc:
        if _is_click(exc, "NoArgsIsHelpError"):
            sys.stdout.write(exc.format_message() + "\n")  # type: ignore[attr-defined]
            raise SystemExit(0) from None
        if _is_click(exc, "UsageError"):
            fail(exc.format_message().replace("\n", " "), 2)  # type: ignore[attr-defined]
        if _is_click(exc, "Abort"):
            fail("aborted", 1)
        raise
    raise SystemExit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
