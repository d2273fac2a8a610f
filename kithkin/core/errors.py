from __future__ import annotations


class BadInput(Exception):
    """Input a user can fix. ``field`` names what was wrong: a form field or CLI option."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(BadInput):
    """A reference (id, email or name) that matches nothing the owner has."""


class BadFile(BadInput):
    """A file that cannot be used, with where in it and why: "Connections.csv, line 4,
    Connected On: not a date: '31 Feb 2024'". ``message`` is that whole sentence."""

    def __init__(self, filename: str, message: str, *, line: int = 0, column: str = "") -> None:
        where = filename + (f", line {line}" if line else "") + (f", {column}" if column else "")
        super().__init__("file", f"{where}: {message}")
        self.filename = filename
        self.line = line
        self.column = column
