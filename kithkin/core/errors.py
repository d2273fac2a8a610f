from __future__ import annotations


class BadInput(Exception):
    """Input a user can fix. ``field`` names what was wrong: a form field or CLI option."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(BadInput):
    """A reference (id, email or name) that matches nothing the owner has."""
