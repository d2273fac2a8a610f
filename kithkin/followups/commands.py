"""The follow-up rules' own `kithkin` commands (milestones), added to the main Typer app by ``register``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this app's commands to ``app`` (kithkin/cli.py calls it)."""
