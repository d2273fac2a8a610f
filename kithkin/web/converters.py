"""The path converter for ids: ``<id:pk>``.

Django's ``<int:...>`` takes any run of digits, and a twenty-digit one reaches the database, where
SQLite raises OverflowError (a 500). An id is one to nineteen digits within a signed 64-bit
integer (``core.refs.MAX_ID``); anything else matches no URL, a 404.
"""

from __future__ import annotations

from kithkin.core.refs import parse_id


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        pk = parse_id(value)
        if pk is None:
            raise ValueError(f"{value} is not an id")  # Django answers 404
        return pk

    def to_url(self, value: int) -> str:
        return str(value)
