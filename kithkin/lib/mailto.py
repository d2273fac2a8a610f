"""``mailto:`` links with the message filled in, as RFC 6068 writes them."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote


def mailto(to: Iterable[str], subject: str, body: str) -> str:
    """A link that opens a new message to ``to`` with ``subject`` and ``body``.

    Addresses are joined by commas and keep their "@" (RFC 6068's ``addr-spec``); the subject and
    body are percent-encoded whole (a space is %20, never "+", which mail programs show as is),
    and every line break in the body is CRLF (%0D%0A), as the RFC asks.
    """
    addresses = ",".join(quote(address, safe="@+") for address in to)
    lines = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{addresses}?subject={quote(subject, safe='')}&body={quote(lines, safe='')}"
