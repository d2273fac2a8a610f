"""What the calendar tests share: calendars written as a calendar program would, an iCal address
served on 127.0.0.1, and a CalDAV account on a real Radicale server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from caldav.davclient import DAVClient

from kithkin.testing import DavServer

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Event:
    uid: str
    start: datetime
    summary: str = "Meeting"
    attendees: Sequence[str] = ()
    minutes: int = 60
    rrule: str = ""
    status: str = "CONFIRMED"


def vevent(event: Event) -> str:
    end = event.start.timestamp() + event.minutes * 60
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        "DTSTAMP:20261101T000000Z",
        f"DTSTART:{event.start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{datetime.fromtimestamp(end, event.start.tzinfo):%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{event.summary}",
        f"STATUS:{event.status}",
        "ORGANIZER;CN=Alice:mailto:alice@example.com",
        *(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{email}" for email in event.attendees),
    ]
    if event.rrule:
        lines.append(f"RRULE:{event.rrule}")
    return "\r\n".join([*lines, "END:VEVENT"])


def calendar(*events: Event) -> bytes:
    """A calendar of ``events``, as Google's iCal address gives it."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN"]
    return ("\r\n".join([*head, *(vevent(e) for e in events), "END:VCALENDAR"]) + "\r\n").encode()


@dataclass
class Served:
    """An iCal address on 127.0.0.1: ``body`` is what it answers, ``status`` with what code."""

    url: str
    body: bytes = b""
    status: int = 200
    redirect: str = ""  # answers a redirect there instead, when set
    requests: list[str] = field(default_factory=list)


@contextmanager
def ical_address(
    body: bytes = b"", *, path: str = "/calendar/ical/ana%40example.com/private-5ecret/basic.ics"
) -> Iterator[Served]:
    """A local web server answering ``path`` with the served body (changed by the test as the
    calendar changes); stopped after the block."""
    served = Served("", body)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            if served.redirect and self.path == path:
                self.send_response(302)
                self.send_header("Location", served.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            found = self.path in (path, "/moved.ics")
            status = served.status if found else 404
            payload = served.body if found and status == 200 else b"not here"
            self.send_response(status)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_port}{path}"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class Account:
    """The test's own hands on the Radicale account: calendars made, events put and deleted, as
    the user's calendar program would."""

    def __init__(self, dav: DavServer) -> None:
        self.client = DAVClient(url=dav.url, username=dav.username, password=dav.password, timeout=10)
        self.principal = self.client.principal()

    def calendar(self, name: str) -> Any:
        return self.principal.make_calendar(name=name)

    def put(self, calendar: Any, event: Event) -> Any:
        body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", vevent(event), "END:VCALENDAR"])
        return calendar.save_event(body + "\r\n")

    def delete(self, calendar: Any, uid: str) -> None:
        calendar.event_by_uid(uid).delete()
