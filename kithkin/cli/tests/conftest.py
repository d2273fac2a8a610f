"""The in-process harness every command test uses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kithkin.accounts.services import get_or_create_local_owner, get_profile
from kithkin.cli.main import main


@pytest.fixture
def kithkin(db: None, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Runs the `kithkin` command in-process for the local owner (time zone Europe/Madrid):
    ``kithkin("due", "--json")`` returns the exit code, stdout and stderr."""
    profile = get_profile(get_or_create_local_owner())
    profile.time_zone = "Europe/Madrid"
    profile.save()

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        out, err = capsys.readouterr()
        return int(exited.value.code or 0), out, err

    return run
