"""Calendars that log meetings by themselves: an iCal address (the secret address Google,
Outlook and Apple give) or a CalDAV account (Nextcloud, Fastmail, iCloud with an app password).

A sync fetches the calendar as iCalendar and hands it to the file import's planner
(``imports.plan.plan_calendar``) and touch writer (``imports.services.log_meetings``): a past
meeting with people of the network becomes a touch exactly as importing the file would make it,
and no stranger is ever added. Unlike a file, a calendar changes: the source keeps, in
``source.state``, which touch each of its meetings made, so that a meeting moved in the calendar
moves its touch, and one deleted or cancelled there removes it. Only touches the sync made and
nobody changed since are ever moved or removed; one the user deleted is not brought back.

Each sync is an import (``imports.services.recording``): listed with its counts, and undoable.
The iCal address is itself the secret, so it is sealed like a password and never shown again.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import niquests
from caldav.davclient import DAVClient
from caldav.lib import error as dav_error
from django.contrib.auth.models import User
from icalendar import Calendar

from kithkin.accounts.services import get_profile
from kithkin.capture.models import Source
from kithkin.capture.secrets import SecretLost, seal, unseal
from kithkin.capture.services import Synced
from kithkin.core import clock
from kithkin.core.errors import BadFile, BadInput
from kithkin.imports.models import Import
from kithkin.imports.plan import ImportOptions, MeetingRow, plan_calendar
from kithkin.imports.services import Recording, log_meetings, recording, refresh_touched, snapshot
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.lib.calendar_files import Meeting, read_meetings
from kithkin.lib.contacts import FileRejected
from kithkin.lib.hosts import is_loopback

logger = logging.getLogger(__name__)

KINDS = (Source.Kind.CALENDAR, Source.Kind.CALDAV)
# Seconds to connect, then to wait for each part of the answer: a calendar server that takes
# longer is reported as not answering, and the other calendars carry on.
TIMEOUT = 30
# The largest calendar read (an iCal address's body; all of a CalDAV account's events together).
# A busy ten-year work calendar exported by Google is about 15 MB.
MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
# A meeting of a series whose key is no longer among the planner's (it keeps the most recent
# ``MAX_OCCURRENCES`` of each series) is looked for again this far before its time, with no cap,
# before it is taken as deleted.
_LOOKBACK = timedelta(days=2)
# Never shown whole: the touch's fields a sync moves, recorded for undo.
_MOVED_FIELDS = ("happened_at", "source_key")


class SyncFailed(Exception):
    """A calendar that could not be read: the message is one line, naming no secret."""


# --- adding -------------------------------------------------------------------------------------


def add_calendar_url(owner: User, url: str, *, now: datetime | None = None) -> Source:
    """Follow a calendar by its secret iCal address (``webcal://`` is read as ``https://``).
    It is fetched once first: an address that gives no calendar is refused, in one line."""
    address = _checked_url(url)
    host = urlsplit(address).hostname or ""
    for known in Source.objects.for_owner(owner).filter(kind=Source.Kind.CALENDAR):
        if _unsealed(known) == address:
            raise BadInput("url", f"you already follow this calendar (id {known.pk})")
    try:
        data = _fetch_address(address)
    except SyncFailed as exc:
        raise BadInput("url", str(exc)) from None
    _check_calendar(data)
    return Source.objects.create(
        owner=owner,
        kind=Source.Kind.CALENDAR,
        name=_address_name(address),
        host=host,
        port=urlsplit(address).port,
        security=Source.Security.TLS if address.startswith("https:") else Source.Security.PLAIN,
        secret=seal(address),
        created_at=now or clock.now(),
    )


def add_caldav_account(
    owner: User,
    url: str,
    *,
    username: str,
    password: str,
    calendars: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Source:
    """Connect a CalDAV account: every calendar of it, or only those named (by the names the
    calendar program shows). It signs in first; a wrong password or a calendar it does not have
    is refused in one line, and nothing is saved."""
    address = _checked_url(url)
    username = username.strip()
    if not username:
        raise BadInput("username", "give the account's user name")
    if not password:
        raise BadInput("password", "give the account's password (an app password, where the service has them)")
    names = [name.strip() for name in calendars or () if name.strip()]
    parts = urlsplit(address)
    host = parts.hostname or ""
    if Source.objects.for_owner(owner).filter(kind=Source.Kind.CALDAV, url=address, username=username).exists():
        raise BadInput("url", f"{username} on {host} is connected already")
    try:
        _caldav_calendars(address, username, password, names)
    except SyncFailed as exc:
        raise BadInput("url", str(exc)) from None
    return Source.objects.create(
        owner=owner,
        kind=Source.Kind.CALDAV,
        name=f"{username} on {host}"[:300],
        host=host,
        port=parts.port,
        security=Source.Security.TLS if address.startswith("https:") else Source.Security.PLAIN,
        username=username,
        url=address,
        secret=seal(password),
        options={"calendars": names} if names else {},
        created_at=now or clock.now(),
    )


def _checked_url(url: str) -> str:
    """The address to fetch: https, or plain http only to this machine (a local bridge or test
    server), where nothing crosses a network unencrypted."""
    address = url.strip()
    lower = address.lower()
    for prefix in ("webcal://", "webcals://"):
        if lower.startswith(prefix):
            address, lower = "https://" + address[len(prefix) :], "https://" + lower[len(prefix) :]
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 -- a port that is no number raises here
    except ValueError:
        raise BadInput("url", "that is not a web address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput("url", "give the calendar's https:// (or webcal://) address")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise BadInput("url", f"plain http is refused for {parts.hostname}: use its https:// address")
    return address


def _address_name(address: str) -> str:
    """What the user sees of an iCal address: its host and a short hint telling two apart,
    never its path (which is the secret)."""
    hint = hashlib.sha256(address.encode()).hexdigest()[:4]
    return f"{urlsplit(address).hostname} (…{hint})"


def _unsealed(source: Source) -> str:
    try:
        return unseal(source.secret)
    except SecretLost:
        return ""


# --- fetching -----------------------------------------------------------------------------------


def _fetch_address(address: str) -> bytes:
    """The body of an iCal address, at most ``MAX_BYTES``; SyncFailed (one line, without the
    address) otherwise. Redirects are followed by hand, so that each is held to the same rules."""
    try:
        with niquests.Session() as session:
            for _ in range(MAX_REDIRECTS + 1):
                response = session.get(address, timeout=TIMEOUT, stream=True, allow_redirects=False)
                try:
                    location = response.headers.get("Location") if response.is_redirect else None
                    if location:
                        try:
                            address = _checked_url(urljoin(address, location))
                        except BadInput:
                            raise SyncFailed("the calendar address sends elsewhere, over plain http: refused") from None
                        continue
                    return _body(response)
                finally:
                    response.close()
            raise SyncFailed("the calendar address sends elsewhere too many times")
    except niquests.exceptions.Timeout:
        raise SyncFailed(f"the calendar's server did not answer within {TIMEOUT} seconds") from None
    except niquests.exceptions.SSLError:
        raise SyncFailed("the calendar's server has a certificate that could not be verified") from None
    except niquests.exceptions.RequestException:
        raise SyncFailed("the calendar's server could not be reached") from None


def _body(response: Any) -> bytes:
    status = int(response.status_code or 0)
    if status in (401, 403):
        raise SyncFailed(f"the calendar address was refused ({status}): it may have been reset; copy it again")
    if status == 404:
        raise SyncFailed("there is no calendar at this address any more (404): copy it again")
    if status >= 400:
        raise SyncFailed(f"the calendar's server answered with an error ({status})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            raise SyncFailed(f"the calendar is larger than {MAX_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_calendar(data: bytes) -> None:
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise BadInput("url", "this address does not give a calendar (no BEGIN:VCALENDAR)")


def _caldav_calendars(url: str, username: str, password: str, names: Sequence[str]) -> list[Any]:
    """The account's calendars (those named, when names are given), signed in; SyncFailed in one
    line for a wrong password, a server that does not answer, or a name it does not have."""
    try:
        client = DAVClient(url=url, username=username, password=password, timeout=TIMEOUT)
        found = client.principal().calendars()
        if not names:
            return list(found)
        by_name = {str(calendar.get_display_name() or "").strip(): calendar for calendar in found}
        missing = [name for name in names if name not in by_name]
        if missing:
            have = ", ".join(sorted(n for n in by_name if n)) or "none"
            raise SyncFailed(f"the account has no calendar named {missing[0]!r} (it has: {have})")
        return [by_name[name] for name in names]
    except dav_error.AuthorizationError:
        raise SyncFailed("the server refused the user name or password") from None
    except niquests.exceptions.Timeout:
        raise SyncFailed(f"the server did not answer within {TIMEOUT} seconds") from None
    except niquests.exceptions.SSLError:
        raise SyncFailed("the server has a certificate that could not be verified") from None
    except niquests.exceptions.RequestException:
        raise SyncFailed("the server could not be reached") from None
    except dav_error.DAVError as exc:
        raise SyncFailed(f"the server does not answer as a CalDAV server ({type(exc).__name__})") from None


def _caldav_events(source: Source) -> bytes:
    """Every event of the account's calendars (or the named ones) as one VCALENDAR, with the
    time zones they use: what an export of them would be."""
    password = unseal(source.secret)
    calendars = _caldav_calendars(source.url, source.username, password, source.options.get("calendars", []))
    joined = Calendar()
    joined.add("prodid", "-//Kithkin//calendar sync//EN")
    joined.add("version", "2.0")
    zones: set[str] = set()
    size = 0
    try:
        for calendar in calendars:
            for item in calendar.events():
                text = item.data or ""
                size += len(text)
                if size > MAX_BYTES:
                    raise SyncFailed(f"the calendars are larger than {MAX_BYTES // (1024 * 1024)} MB together")
                for component in _components(text):
                    if component.name == "VTIMEZONE":
                        tzid = str(component.get("TZID", ""))
                        if tzid in zones:
                            continue
                        zones.add(tzid)
                    joined.add_component(component)
    except dav_error.AuthorizationError:
        raise SyncFailed("the server refused the user name or password") from None
    except niquests.exceptions.RequestException:
        raise SyncFailed("the server stopped answering while the events were read") from None
    except dav_error.DAVError as exc:
        raise SyncFailed(f"the server's events could not be read ({type(exc).__name__})") from None
    return bytes(joined.to_ical())


def _components(text: str) -> Iterator[Any]:
    """The events and time zones of one calendar object; one that cannot be read is left out
    (the rest of the calendar still counts), and logged without its contents."""
    try:
        parsed = Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises whatever a broken object makes it raise
        logger.warning("left out a calendar object that could not be read (%s)", type(exc).__name__)
        return
    for component in parsed.subcomponents:
        if component.name in ("VEVENT", "VTIMEZONE"):
            yield component


def fetch_events(source: Source) -> bytes:
    """The source's events as iCalendar bytes; SyncFailed in one line when they cannot be had."""
    try:
        if source.kind == Source.Kind.CALDAV:
            return _caldav_events(source)
        data = _fetch_address(unseal(source.secret))
    except SecretLost:
        raise SyncFailed("its stored address or password cannot be read with this secret key: add it again") from None
    try:
        _check_calendar(data)
    except BadInput:
        raise SyncFailed("the address no longer gives a calendar") from None
    return data


# --- syncing ------------------------------------------------------------------------------------


@dataclass
class _Tracked:
    """A meeting of this calendar that the sync logged as a touch, as ``source.state`` keeps it."""

    touch: int
    uid: str
    at: datetime  # the touch's time as the sync last left it

    def to_json(self) -> dict[str, Any]:
        return {"touch": self.touch, "uid": self.uid, "at": self.at.isoformat()}


def _read_state(source: Source) -> tuple[dict[str, _Tracked], set[str]]:
    meetings = source.state.get("meetings", {}) if isinstance(source.state, dict) else {}
    tracked = {
        key: _Tracked(int(entry["touch"]), str(entry["uid"]), datetime.fromisoformat(entry["at"]))
        for key, entry in meetings.items()
    }
    return tracked, set(source.state.get("dropped", [])) if isinstance(source.state, dict) else set()


def sync_source(owner: User, source: Source, *, now: datetime) -> Synced:
    """Log the calendar's past meetings with people of the network, move the touches of meetings
    that moved, and remove those of meetings deleted or cancelled. A failure is kept on the
    source and returned, never raised."""
    synced = Synced(source)
    try:
        data = fetch_events(source)
        with recording(owner, Import.Format.CALENDAR_SYNC, source.name, now=now) as rec:
            _apply(owner, source, data, rec, now)
            synced.counts = {k: v for k, v in rec.counts.items() if v}
    except SyncFailed as exc:
        return _failed(source, synced, str(exc), now)
    except BadFile as exc:
        return _failed(source, synced, f"the calendar could not be read: {exc.message}", now)
    except Exception as exc:
        # Whatever else went wrong (the database busy too long, a bug): this calendar's sync
        # stops, undone whole by ``recording``, and the other calendars carry on. Network errors,
        # whose messages hold the address, were all turned into SyncFailed above.
        logger.exception("the sync of calendar source %s failed", source.pk)
        return _failed(source, synced, f"the sync failed ({type(exc).__name__}); try again later", now)
    synced.import_id = rec.run.pk  # None when the sync changed nothing: no import was kept
    return synced


def _failed(source: Source, synced: Synced, message: str, now: datetime) -> Synced:
    synced.error = f"{source.name}: {message}"[:500]
    source.last_error = synced.error
    source.last_synced_at = now
    source.save(update_fields=["last_error", "last_synced_at"])
    return synced


def _apply(owner: User, source: Source, data: bytes, rec: Recording, now: datetime) -> None:
    me = frozenset({source.username.lower()} if "@" in source.username else ())
    # No stranger is ever added by a sync: only the people of the network get touches.
    plan = plan_calendar(owner, data, filename=source.name, options=ImportOptions(me=me), now=now)
    tracked, dropped = _read_state(source)
    with rec.chunk():
        touches = _current_touches(owner, tracked)
        _forget_changed(tracked, dropped, touches)
        rows = {row.meeting.key: row for row in plan.meetings}
        gone = _gone(owner, data, tracked, rows, now)
        moves = _moves(owner, tracked, gone, rows, dropped)
        people: set[int] = set()
        moved = 0
        for key, meeting in moves.items():
            entry = tracked.pop(key)
            touch = touches[entry.touch]
            people |= _move(rec, touch, meeting)
            tracked[meeting.key] = _Tracked(touch.pk, meeting.uid, touch.happened_at)
            moved += 1
        for key in gone - set(moves):
            entry = tracked.pop(key)
            people |= _remove(owner, touches[entry.touch])
        new = [
            (row.meeting, row.person_ids)
            for row in plan.meetings
            if row.status == "new" and row.meeting.key not in dropped and row.meeting.key not in tracked
        ]
        logged = log_meetings(owner, rec, new, now=now)
        for meeting, ids in new:
            if meeting.key in logged:
                tracked[meeting.key] = _Tracked(logged[meeting.key], meeting.uid, meeting.start)
                people.update(ids)
        refresh_touched(owner, people, now=now)
        rec.counts.update(touches_created=len(logged), touches_moved=moved, touches_removed=len(gone) - len(moves))
        source.state = {
            "meetings": {key: entry.to_json() for key, entry in sorted(tracked.items())},
            "dropped": sorted(dropped),
        }
        source.last_synced_at = now
        source.last_error = ""
        source.save(update_fields=["state", "last_synced_at", "last_error"])


def _current_touches(owner: User, tracked: dict[str, _Tracked]) -> dict[int, Touch]:
    ids = [entry.touch for entry in tracked.values()]
    found: dict[int, Touch] = {}
    for start in range(0, len(ids), 500):
        found.update(Touch.objects.for_owner(owner).in_bulk(ids[start : start + 500]))
    return found


def _forget_changed(tracked: dict[str, _Tracked], dropped: set[str], touches: dict[int, Touch]) -> None:
    """Stop following the touches the user deleted or changed (by hand, or by undoing a sync):
    the sync never changes them again, nor logs their meeting again."""
    for key, entry in list(tracked.items()):
        touch = touches.get(entry.touch)
        # A touch keeps the first 300 characters of its meeting's key (``log_meetings``).
        if touch is None or touch.source_key != key[:300] or touch.happened_at != entry.at:
            del tracked[key]
            dropped.add(key)


def _gone(
    owner: User, data: bytes, tracked: dict[str, _Tracked], rows: dict[str, MeetingRow], now: datetime
) -> set[str]:
    """The followed meetings no longer in the calendar's past: deleted, cancelled, or moved (to
    another time, or into the future). The planner keeps only the most recent occurrences of a
    series; an older one it left out is looked for again before being taken as gone."""
    missing = {key for key in tracked if key not in rows}
    if not missing:
        return set()
    since = min(tracked[key].at for key in missing) - _LOOKBACK
    tz = get_profile(owner).tz
    try:
        parsed = read_meetings(data, until=now, tz=tz, since=since, max_per_series=1_000_000)
    except FileRejected:
        return set()  # the planner read it a moment ago; never remove on a read that failed
    return missing - {meeting.key for meeting in parsed.meetings}


def _moves(
    owner: User, tracked: dict[str, _Tracked], gone: set[str], rows: dict[str, MeetingRow], dropped: set[str]
) -> dict[str, Meeting]:
    """Which followed meetings moved, and where to: one whose start changed under the same key
    (an occurrence of a series moved alone), and a gone one whose event (its UID) now has a
    meeting of another key that no touch has yet (an event moved: its key holds its start),
    paired in order of time."""
    moves: dict[str, Meeting] = {}
    for key, entry in tracked.items():
        row = rows.get(key)
        if row is not None and row.meeting.start != entry.at:
            moves[key] = row.meeting
    if not gone:
        return moves
    by_uid: dict[str, list[Meeting]] = defaultdict(list)
    for row in rows.values():
        key = row.meeting.key
        if row.status in ("new", "same") and key not in tracked and key not in dropped:
            by_uid[row.meeting.uid].append(row.meeting)
    candidates = [m.key for found in by_uid.values() for m in found]
    taken = set(Touch.objects.for_owner(owner).filter(source_key__in=candidates).values_list("source_key", flat=True))
    gone_by_uid: dict[str, list[str]] = defaultdict(list)
    for key in sorted(gone, key=lambda k: tracked[k].at):
        gone_by_uid[tracked[key].uid].append(key)
    # Only an event all of whose followed meetings are gone has moved: an occurrence of a series
    # cancelled while others stay is removed, and the series' new occurrences are logged anew.
    staying = {entry.uid for key, entry in tracked.items() if key not in gone}
    for uid, keys in gone_by_uid.items():
        if uid in staying:
            continue
        free = sorted((m for m in by_uid.get(uid, []) if m.key not in taken), key=lambda m: m.start)
        for key, meeting in zip(keys, free, strict=False):
            moves[key] = meeting
    return moves


def _move(rec: Recording, touch: Touch, meeting: Meeting) -> set[int]:
    """Move a touch to its meeting's new time (recorded, for undo); returns its people."""
    before = snapshot(touch, _MOVED_FIELDS)
    touch.happened_at = meeting.start
    touch.source_key = meeting.key[:300]
    touch.save(update_fields=list(_MOVED_FIELDS))
    participants = TouchParticipant.objects.for_owner(touch.owner_id).filter(touch=touch)
    participants.update(happened_at=meeting.start)
    rec.updated(Touch, touch.pk, before, snapshot(touch, _MOVED_FIELDS))
    return set(participants.values_list("person_id", flat=True))


def _remove(owner: User, touch: Touch) -> set[int]:
    """Remove the touch of a meeting gone from the calendar; returns the people it was with."""
    people = set(TouchParticipant.objects.for_owner(owner).filter(touch=touch).values_list("person_id", flat=True))
    touch.delete()
    return people


# --- the faces' helpers -------------------------------------------------------------------------


def list_calendars(owner: User) -> list[Source]:
    return list(Source.objects.for_owner(owner).filter(kind__in=KINDS).order_by("name", "id"))


def describe(counts: dict[str, int]) -> str:
    """What a sync did, in words: "2 touches logged, 1 moved", or "nothing new"."""
    parts = [
        f"{counts[key]} {word}"
        for key, word in (("touches_created", "logged"), ("touches_moved", "moved"), ("touches_removed", "removed"))
        if counts.get(key)
    ]
    if not parts:
        return "nothing new"
    first = parts[0].split(" ", 1)
    noun = "touch" if first[0] == "1" else "touches"
    return ", ".join([f"{first[0]} {noun} {first[1]}", *parts[1:]])


def source_data(source: Source) -> dict[str, Any]:
    """What the faces show of a calendar source: never its address (an iCal one is the secret)
    nor its password."""
    return {
        "id": source.pk,
        "kind": source.kind,
        "name": source.name,
        "calendars": list(source.options.get("calendars", [])),
        "meetings_followed": len(source.state.get("meetings", {})) if isinstance(source.state, dict) else 0,
        "created_at": source.created_at.isoformat(),
        "last_synced_at": source.last_synced_at.isoformat() if source.last_synced_at else None,
        "last_error": source.last_error,
    }
