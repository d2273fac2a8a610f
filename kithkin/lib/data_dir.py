"""Where Kithkin keeps its data, told without Django: the settings and the CLI's way to a warm
process (kithkin/cli/warm.py) must agree on it, and the latter starts before Django does."""

from __future__ import annotations

import os
from pathlib import Path


def chosen_data_dir() -> Path:
    """``KITHKIN_DATA_DIR`` when set, else the platform's user data directory (not made here)."""
    configured = os.environ.get("KITHKIN_DATA_DIR", "")
    if configured:
        return Path(configured).expanduser()
    import platformdirs  # only here: 10-25 ms a command, for those without KITHKIN_DATA_DIR

    return Path(platformdirs.user_data_dir("kithkin"))
