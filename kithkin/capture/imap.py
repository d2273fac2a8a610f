"""The IMAP side of mail capture, over imapclient: signing in, finding the folders, and reading
the headers of the messages past a UID, a batch at a time.

Only the header fields below are asked for (``BODY.PEEK``: nothing is marked read), never a
subject or a body. Every failure a user can do something about comes out as ``MailError`` with a
one-line reason that never holds the password.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

# The header fields mail capture reads: who, when, which thread, and what says "bulk".
HEADER_FIELDS = "FROM TO CC DATE MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID LIST-UNSUBSCRIBE PRECEDENCE AUTO-SUBMITTED"
FETCH_ITEM = f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]"
# What the server answers under (it drops PEEK).
_ANSWER_KEY = f"BODY[HEADER.FIELDS ({HEADER_FIELDS})]".encode()
# Messages fetched in one command: a few hundred kilobytes of headers.
BATCH = 500
# UIDs looked up in one SEARCH: a window of the UID space, so that what is held in memory does
# not grow with the mailbox (a UID SEARCH of everything returns every UID at once).
WINDOW = 5000
TIMEOUT = 30.0
DEFAULT_PORTS = {"tls": 993, "starttls": 143, "plain": 143}


class MailError(Exception):
    """A sign-in or a read that failed, said in one line ("wrong password", "cannot reach …")."""


@dataclass(frozen=True)
class Folder:
    name: str
    uidvalidity: int
    uidnext: int


@dataclass(frozen=True)
class Headers:
    """One message as fetched: its UID, when the server received it, and its raw header fields."""

    uid: int
    received_at: datetime
    raw: bytes


@contextmanager
def connect(host: str, port: int, security: str, username: str, password: str) -> Iterator[IMAPClient]:
    """A signed-in IMAP session, logged out after the block."""
    where = f"{host}:{port}"
    try:
        client = IMAPClient(host, port=port, ssl=security == "tls", timeout=TIMEOUT, ssl_context=_context())
        if security == "starttls":
            client.starttls(_context())
        # Received times with their offset, as the server gives them (not turned into local time).
        client.normalise_times = False
    except (OSError, IMAPClientError) as exc:
        raise MailError(f"cannot reach {where} ({_reason(exc)})") from None
    try:
        try:
            client.login(username, password)
        except LoginError:
            raise MailError("wrong password (or user name)") from None
        except (OSError, IMAPClientError) as exc:
            raise MailError(f"cannot sign in at {where} ({_reason(exc)})") from None
        try:
            yield client
        except (OSError, IMAPClientError) as exc:
            raise MailError(f"lost {where} while reading ({_reason(exc)})") from None
    finally:
        with contextlib.suppress(OSError, IMAPClientError):
            client.logout()


def _context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _reason(exc: BaseException) -> str:
    """A short reason for a failed connection, without a stack or a password in it."""
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "its certificate is not valid"
    if isinstance(exc, ssl.SSLError):
        return "TLS failed: if this port speaks STARTTLS, or plain IMAP (this machine only), choose that security"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.strip()[:200]


def find_folder(client: IMAPClient, special_use: bytes) -> str | None:
    """The folder a special use (``\\Sent``) marks, or one of the usual names for it."""
    found = client.find_special_folder(special_use)
    return str(found) if found else None


def open_folder(client: IMAPClient, name: str) -> Folder:
    """Select ``name`` read-only; MailError when it does not exist."""
    try:
        answer = client.select_folder(name, readonly=True)
    except IMAPClientError as exc:
        raise MailError(f"no folder {name!r} ({_reason(exc)})") from None
    return Folder(name, int(answer[b"UIDVALIDITY"]), int(answer.get(b"UIDNEXT", 0)))


def headers_after(
    client: IMAPClient, folder: Folder, after_uid: int, *, since: date | None = None
) -> Iterator[list[Headers]]:
    """The headers of the selected folder's messages past ``after_uid`` (received on or after
    ``since``), in UID order, a batch at a time."""
    start = after_uid + 1
    # Without UIDNEXT (a server that does not say), search to the end at once.
    end = folder.uidnext - 1 if folder.uidnext else None
    while end is None or start <= end:
        stop = start + WINDOW - 1
        criteria: list[object] = ["UID", f"{start}:{'*' if end is None else min(stop, end)}"]
        if since is not None:
            criteria += ["SINCE", since]
        uids = sorted(uid for uid in client.search(criteria) if uid >= start)
        for at in range(0, len(uids), BATCH):
            batch = uids[at : at + BATCH]
            answer = client.fetch(batch, ["INTERNALDATE", FETCH_ITEM])
            yield [
                Headers(uid, answer[uid][b"INTERNALDATE"], bytes(answer[uid].get(_ANSWER_KEY) or b""))
                for uid in batch
                if uid in answer
            ]
        if end is None:
            return
        start = stop + 1
