"""Calendar files (.ics): reading past meetings out of them, and writing Kithkin's own feed.

Reading: a user exports their calendar (Google, Outlook, Apple, Thunderbird) and Kithkin turns
every meeting they had into a ``Meeting`` with its attendees, so that touches can be logged. The
parsing and the expansion of repeating events are left to ``icalendar`` and
``recurring-ical-events``; this module adds what an importer needs on top: the line each event
starts on, a key that stays the same when the same file is imported twice, and a ``Skipped`` for
every event it could not read instead of an exception.

Writing: ``write_feed`` produces the calendar a user subscribes to (follow-ups, routine blocks).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

import x_wr_timezone
from icalendar import Alarm, Calendar, Component, Event, vText
from icalendar.parser import Contentline
from icalendar.timezone import tzp
from recurring_ical_events import Occurrence, Series
from recurring_ical_events.adapters.event import EventAdapter

from kithkin.lib.contacts import FileRejected, Skipped


@dataclass
class Attendee:
    email: str  # lower case, without "mailto:"; empty when the file gives none (Outlook's "invalid:nomail")
    name: str  # the CN parameter as written ("Ruiz, Ana"); empty when absent or just the email again


@dataclass
class Meeting:
    """One occurrence of an event. A repeating series gives one Meeting per occurrence."""

    line: int  # the line of the BEGIN:VEVENT this occurrence comes from (1-based)
    uid: str  # the event's UID; a made-up stable one ("kithkin-…") when the file has none
    key: str  # uid + original start: unique per occurrence and the same on every import of the file
    summary: str
    start: datetime  # aware: UTC for timed events, midday in the reader's zone for all-day ones
    end: datetime | None  # None when the event gives no end; all-day: midday of its last day
    is_all_day: bool
    attendees: list[Attendee] = field(default_factory=list)
    organizer: Attendee | None = None
    description: str = ""
    location: str = ""


@dataclass
class ParsedCalendar:
    meetings: list[Meeting] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# Each BEGIN:VEVENT gets this property added right after it before parsing, so that every
# event still knows the line it came from.
_LINE = "X-KITHKIN-LINE"

# What is read from an event. The rest (alarms, Outlook's dozen X-MICROSOFT-CDO properties,
# Google's conference details) is left out before parsing, which is most of the time spent.
_EVENT_PROPERTIES = frozenset(
    {
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "SEQUENCE",
        "STATUS",
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "ATTENDEE",
        "ORGANIZER",
    }
)
# Which components are read inside which ("" is the top of the file), and which properties of
# them (all of a time zone's). Tasks, journal entries, alarms and the like are left out.
_KEPT_COMPONENTS = {
    "": ("VCALENDAR", "VEVENT"),
    "VCALENDAR": ("VEVENT", "VTIMEZONE"),
    "VTIMEZONE": ("STANDARD", "DAYLIGHT"),
}
_KEPT_PROPERTIES = {"VEVENT": _EVENT_PROPERTIES, "VCALENDAR": frozenset({"X-WR-TIMEZONE"})}
_NAME = re.compile(r"[A-Za-z0-9-]*")
_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")

# Google's birthday calendar writes dates as "RDATE:20131210Z", which is no valid date; the Z
# is dropped so that these repeats are read.
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "RDATE", "EXDATE", "RECURRENCE-ID"})
_DATE_WITH_Z = re.compile(r"(?<=[:,])(\d{8})Z(?=,|\s*$)")

# Frequencies in seconds, to estimate how many occurrences a rule makes before expanding it:
# the expansion walks every occurrence from the first one, so a rule repeating every minute
# since 2005 would take minutes to read.
_PERIOD_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}
_EXPANDING_PARTS = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")
_MAX_EXPANDED = 100_000

# The expansion compares with the span in whatever zone the event is in (or none, for floating
# times): asking for a little more and filtering exactly afterwards is simpler.
_SLACK = timedelta(days=2)
_EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)


def read_meetings(
    data: bytes,
    *,
    until: datetime,
    tz: tzinfo,
    since: datetime | None = None,
    max_per_series: int = 400,
) -> ParsedCalendar:
    """Every meeting in an .ics file that started before ``until`` (and at or after ``since``).

    Repeating events are expanded, keeping the ``max_per_series`` most recent occurrences of
    each series. Cancelled events and occurrences are left out, as are attendees who declined.
    Floating times are read in ``tz`` (or in the calendar's X-WR-TIMEZONE when it has one,
    as Google Calendar does). Raises FileRejected for a file that is not a calendar at all.
    """
    until = _aware(until, tz)
    since = _aware(since, tz) if since is not None else None
    low = (since if since is not None else _EARLIEST) - _SLACK
    high = until + _SLACK
    prepared = _prepare(_decode(data), low.date() if since is not None else None, high.date())
    text = prepared.text()
    try:
        components = Calendar.from_ical(text, multiple=True)
        events = [(event, _calendar_zone(component)) for component in components for event in component.walk("VEVENT")]
    except Exception as exc:  # icalendar is lenient; what it still refuses can be anything
        raise FileRejected(f"the calendar could not be read ({exc})") from exc

    result = ParsedCalendar(skipped=prepared.skipped)
    seen_lines: set[int] = set()
    readable: list[tuple[Component, int]] = []
    for event, zone in events:
        line = _line_of(event)
        seen_lines.add(line)
        try:
            problem = _check_event(event, line, result.skipped)
            if problem is None and zone is not None and _depends_on_zone(event):
                event = x_wr_timezone.UTCChangingWalker(zone).walk_event(event)
        except Exception as exc:  # a value of a kind no calendar program writes; the event alone is lost
            problem = Skipped(line, "VEVENT", f"this event could not be read ({exc})")
        if problem is not None:
            result.skipped.append(problem)
        else:
            readable.append((event, line))
    for line in prepared.event_lines:
        if line not in seen_lines:
            result.skipped.append(Skipped(line, "VEVENT", "this event could not be read"))

    seen_keys: set[str] = set()
    for series in _group_series(readable):
        try:
            meetings = _series_meetings(series, low, high, until, since, tz, max_per_series, result.skipped)
        except Exception as exc:  # as above: no file should get here, but one series must not sink the file
            first_line = min(line for _, line in series)
            result.skipped.append(Skipped(first_line, "VEVENT", f"this event could not be read ({exc})"))
            continue
        for meeting in meetings:
            if meeting.key not in seen_keys:
                seen_keys.add(meeting.key)
                result.meetings.append(meeting)
    result.meetings.sort(key=lambda m: (m.start, m.line))
    result.skipped.sort(key=lambda s: s.line)
    return result


def _aware(moment: datetime, tz: tzinfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise FileRejected("the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif data[1:400:2].count(0) > 150 or data[0:400:2].count(0) > 150:
        # UTF-16 without a byte order mark: every other byte of ASCII text is zero.
        text = data.decode("utf-16-le" if data[1:400:2].count(0) > 150 else "utf-16-be", errors="replace")
    else:
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Older Windows programs write their own code page; cp1252 covers Western Europe.
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise FileRejected("this is not a calendar file: it contains binary data")
    if not text.strip():
        raise FileRejected("the file is empty")
    return text


class _Prepared:
    """The text icalendar is given, built line by line, with the line of each BEGIN:VEVENT in it.

    Only what is read is passed on: events (each followed by its line number), time zones, and
    X-WR-TIMEZONE. Parsing is most of the time spent, so events that do not repeat and start
    well outside the dates asked for are left out too. icalendar refuses a whole file for one
    broken line outside an event, so a time zone it cannot read is left out (and reported), and
    what a damaged file leaves open is closed (it would drop a calendar without its END line).
    """

    def __init__(self, first_day: date | None, last_day: date) -> None:
        self.first_day = first_day
        self.last_day = last_day
        self.out: list[str] = []
        self.event_lines: list[int] = []
        self.skipped: list[Skipped] = []
        self.stack: list[str] = []
        self.skip_from: int | None = None  # components this deep or deeper are left out
        self.keeping = False  # whether the last property was kept, and so its continuation lines
        self.has_calendar = False
        self.block: list[str] | None = None  # an event or time zone, until it is known to be wanted
        self.block_line = 0
        self.block_depth = 0
        self.event_repeats = False
        self.event_day: date | None = None

    def feed(self, number: int, line: str) -> None:
        if line[:1] in (" ", "\t"):
            if self.keeping:
                self.write(line)
            return
        self.keeping = False
        name = _property_name(line)
        if name in ("BEGIN", "END"):
            component = line.partition(":")[2].strip().upper()
            self.has_calendar = self.has_calendar or (name == "BEGIN" and component == "VCALENDAR")
            if component and name == "BEGIN":
                self.begin(component, number)
            elif component in self.stack:
                self.end(component)
            return
        if not self.stack or self.skip_from is not None:
            return
        kept = _KEPT_PROPERTIES.get(self.stack[-1])  # None for a time zone: all of it is kept
        if kept is not None and name not in kept:
            return
        if self.stack[-1] == "VCALENDAR" and not _parses(line):
            return  # icalendar refuses the whole file for a broken line outside an event
        if name in _DATE_PROPERTIES:
            line = _DATE_WITH_Z.sub(r"\1", line)
            if name == "DTSTART" and self.stack[-1] == "VEVENT":
                self.event_day = _day_of(line)
        if name in ("RRULE", "RDATE", "RECURRENCE-ID"):
            self.event_repeats = True
        self.write(line)
        self.keeping = True

    def write(self, line: str) -> None:
        (self.block if self.block is not None else self.out).append(line)

    def begin(self, component: str, number: int) -> None:
        if component == "VEVENT" and self.stack[-1:] == ["VEVENT"] and self.skip_from is None:
            self.end("VEVENT")  # the previous event's END line is missing
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(component)
        if self.skip_from is None and component not in _KEPT_COMPONENTS.get(parent, ()):
            self.skip_from = len(self.stack) - 1
        if self.skip_from is not None:
            return
        if component in ("VEVENT", "VTIMEZONE"):
            self.block, self.block_line, self.block_depth = [f"BEGIN:{component}"], number, len(self.stack) - 1
            self.event_repeats, self.event_day = False, None
            if component == "VEVENT":
                self.block.append(f"{_LINE}:{number}")
        else:
            self.write(f"BEGIN:{component}")

    def end(self, component: str) -> None:
        depth = len(self.stack) - 1 - self.stack[::-1].index(component)
        if self.skip_from is None or depth < self.skip_from:
            for name in reversed(self.stack[depth + 1 : self.skip_from]):
                self.end(name)
            self.write(f"END:{component}")
        del self.stack[depth:]
        if self.skip_from is not None and len(self.stack) <= self.skip_from:
            self.skip_from = None
        if self.block is not None and depth == self.block_depth:
            block, self.block = self.block, None
            if component == "VEVENT" and self._wanted():
                self.out.extend(block)
                self.event_lines.append(self.block_line)
            elif component == "VTIMEZONE" and self._readable(block):
                self.out.extend(block)

    def _wanted(self) -> bool:
        day = self.event_day
        if self.event_repeats or day is None:
            return True
        return (self.first_day is None or day >= self.first_day) and day <= self.last_day

    def _readable(self, block: list[str]) -> bool:
        try:
            Component.from_ical("\r\n".join(block) + "\r\n")
        except Exception as exc:  # whatever icalendar raises for it would sink the whole file
            reason = f"this time zone could not be read; times in it go by its name, or your zone if unknown ({exc})"
            self.skipped.append(Skipped(self.block_line, "VTIMEZONE", reason))
            return False
        return True

    def text(self) -> str:
        if not self.has_calendar:
            raise FileRejected("this is not an iCalendar (.ics) file: it has no BEGIN:VCALENDAR line")
        while self.stack:
            self.end(self.stack[-1])
        return "\r\n".join(self.out) + "\r\n"


def _prepare(text: str, first_day: date | None, last_day: date) -> _Prepared:
    prepared = _Prepared(first_day, last_day)
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        prepared.feed(number, line)
    return prepared


def _parses(line: str) -> bool:
    try:
        Contentline(line).parts()
    except ValueError:
        return False
    return True


def _property_name(line: str) -> str:
    match = _NAME.match(line)
    return match.group().upper() if match else ""


def _day_of(line: str) -> date | None:
    """The day a DTSTART line names, roughly (its zone is not looked at), or None."""
    match = _DAY.match(line.rpartition(":")[2].strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _calendar_zone(component: Component) -> tzinfo | None:
    """The zone Google's X-WR-TIMEZONE names, if it is one we know."""
    name = str(component.get("X-WR-TIMEZONE", "")).strip()
    return tzp.timezone(name) if name else None


def _depends_on_zone(event: Component) -> bool:
    """Whether reading the event in its calendar's zone changes it: floating times do, and so do
    the repeats of a series written in UTC (a 10:00 weekly meeting stays at 10:00 across DST)."""
    if _repeats(event):
        return True
    start = _value(event, "DTSTART").dt
    return isinstance(start, datetime) and start.tzinfo is None


def _value(component: Component, name: str) -> Any:
    """A property as icalendar read it: what type it is depends on the file, so the code using
    it checks, rather than mypy."""
    return component.get(name)


def _repeats(event: Component) -> bool:
    names = event.keys()  # upper case already: quicker than asking the component each time
    return "RRULE" in names or "RDATE" in names or "EXDATE" in names or "RECURRENCE-ID" in names


def _line_of(event: Component) -> int:
    value = event.get(_LINE)
    try:
        return int(str(value))
    except ValueError:
        return 0


def _check_event(event: Component, line: int, skipped: list[Skipped]) -> Skipped | None:
    """Why this event cannot be read at all, or None once what is broken in it has been removed
    (an unreadable end is treated as none; unreadable repeats leave the first occurrence)."""
    broken = {name.upper(): message for name, message in event.errors if name}
    problem = _unreadable_start(event, line, broken)
    if problem is not None:
        return problem
    _drop_unreadable_end(event, broken)
    _drop_unreadable_repeats(event, line, broken, skipped)
    return None


def _unreadable_start(event: Component, line: int, broken: dict[str, str]) -> Skipped | None:
    """Why the event's start, or the occurrence it changes, cannot be read; None when both can."""
    if "DTSTART" in broken:
        return Skipped(line, "DTSTART", f"the start is not a date or time ({broken['DTSTART']})")
    start = event.get("DTSTART")
    if start is None:
        return Skipped(line, "DTSTART", "the event has no start (DTSTART)")
    if isinstance(start, list) or not isinstance(start.dt, date):
        return Skipped(line, "DTSTART", "the start is not a date or time")
    if "RECURRENCE-ID" in broken:
        return Skipped(line, "RECURRENCE-ID", f"cannot tell which occurrence this changes ({broken['RECURRENCE-ID']})")
    if isinstance(event.get("RECURRENCE-ID"), list):
        return Skipped(line, "RECURRENCE-ID", "the event names more than one occurrence it changes")
    return None


def _drop_unreadable_end(event: Component, broken: dict[str, str]) -> None:
    """An end or duration that cannot be read, or comes before the start, is treated as none."""
    for name in ("DTEND", "DURATION"):
        if name in broken or isinstance(event.get(name), list):
            event.pop(name)
    end = event.get("DTEND")
    if end is not None and _before(end.dt, event.get("DTSTART").dt):
        event.pop("DTEND")
    duration = event.get("DURATION")
    if duration is not None and (not isinstance(duration.dt, timedelta) or duration.dt < timedelta(0)):
        event.pop("DURATION")


def _drop_unreadable_repeats(event: Component, line: int, broken: dict[str, str], skipped: list[Skipped]) -> None:
    """Repeats that cannot be read are all dropped, leaving the first occurrence, with a word why."""
    for name in ("RRULE", "RDATE", "EXDATE"):
        if name in broken:
            for repeat in ("RRULE", "RDATE", "EXDATE"):
                event.pop(repeat, None)
            reason = f"the repeats could not be read, so only the first occurrence was ({broken[name]})"
            skipped.append(Skipped(line, name, reason))
            break


def _before(end: Any, start: Any) -> bool:
    """Whether an end comes before the start, when the two can be compared at all."""
    if isinstance(end, datetime) and isinstance(start, datetime):
        if (end.tzinfo is None) != (start.tzinfo is None):
            return False
        return bool(end < start)
    if not isinstance(end, datetime) and not isinstance(start, datetime):
        return bool(end < start)
    return False


def _uid(event: Component) -> str:
    uid = event.get("UID")
    if isinstance(uid, list):
        uid = uid[0]
    text = str(uid).strip() if uid is not None else ""
    if text:
        return text
    # Without a UID, the event's own start and title are what stays the same between imports.
    seed = _value(event, "DTSTART").to_ical() + b"\n" + str(event.get("SUMMARY", "")).encode()
    return "kithkin-" + hashlib.sha1(seed).hexdigest()[:16]


def _group_series(events: list[tuple[Component, int]]) -> list[list[tuple[Component, int]]]:
    """Events grouped into the series they belong to: one UID, one master event.

    Some programs give unrelated events the same UID; the expansion would keep only one of
    them, so masters with different starts become series of their own.
    """
    by_uid: dict[str, list[tuple[Component, int]]] = defaultdict(list)
    for event, line in events:
        event["UID"] = _uid(event)
        by_uid[str(event["UID"])].append((event, line))
    groups: list[list[tuple[Component, int]]] = []
    for members in by_uid.values():
        if len(members) == 1:
            groups.append(members)
            continue
        masters: dict[bytes, list[tuple[Component, int]]] = defaultdict(list)
        changes = []
        for event, line in members:
            if "RECURRENCE-ID" in event:
                changes.append((event, line))
            else:
                masters[_value(event, "DTSTART").to_ical()].append((event, line))
        if len(masters) <= 1:
            groups.append(members)
            continue
        series = list(masters.values())
        repeating = [s for s in series if any("RRULE" in e or "RDATE" in e for e, _ in s)]
        (repeating or series)[0].extend(changes)
        groups.extend(series)
    return groups


class _Adapter(EventAdapter):
    """An event as the expansion sees it, keeping the event and its line within reach."""

    def __init__(self, event: Component, line: int) -> None:
        super().__init__(event)
        self.event = event
        self.line = line
        self.is_cancelled = _text(event.get("STATUS")).upper() == "CANCELLED"


class _Occurrence(Occurrence):
    def __init__(self, adapter: _Adapter, start: date | None = None, end: date | None = None) -> None:
        super().__init__(adapter, start, end)
        self.event = adapter.event
        self.line = adapter.line
        self.is_cancelled = adapter.is_cancelled


class _Series(Series):
    def occurrence(self, adapter: _Adapter, start: date | None = None, end: date | None = None) -> _Occurrence:
        return _Occurrence(adapter, start, end)


def _occurrences(series: list[tuple[Component, int]], low: datetime, high: datetime) -> list[_Occurrence]:
    if len(series) == 1 and not _repeats(series[0][0]):
        # An event that does not repeat needs none of the expansion's machinery.
        adapter = _Adapter(*series[0])
        return [_Occurrence(adapter, adapter.start, adapter.end)]
    # At most one more than the cap: the estimate below cannot foresee every way the expansion
    # reads a rule (an UNTIL it does not honour), and one series must not take minutes.
    expansion = _Series([_Adapter(event, line) for event, line in series]).between(low, high)
    return list(islice(expansion, _MAX_EXPANDED + 1))


def _series_meetings(
    series: list[tuple[Component, int]],
    low: datetime,
    high: datetime,
    until: datetime,
    since: datetime | None,
    tz: tzinfo,
    max_per_series: int,
    skipped: list[Skipped],
) -> list[Meeting]:
    masters = [(event, line) for event, line in series if "RECURRENCE-ID" not in event]
    line = masters[0][1] if masters else min(line for _, line in series)
    estimate = max((_estimate_count(event, high) for event, _ in masters), default=0)
    if estimate > _MAX_EXPANDED:
        skipped.append(Skipped(line, "RRULE", f"this event repeats too often to read (about {estimate:,} times)"))
        return []
    try:
        occurrences = _occurrences(series, low, high)
    except Exception as exc:  # the expansion raises whatever dateutil or icalendar raise on odd rules
        # Mixing dates and times in one rule is the usual cause; the event itself is still good.
        for event, _ in masters:
            for name in ("RRULE", "RDATE", "EXDATE"):
                event.pop(name, None)
        reason = f"the repeats of this event could not be worked out, so only its first occurrence was read ({exc})"
        skipped.append(Skipped(line, "RRULE", reason))
        occurrences = _occurrences(series, low, high)
    if len(occurrences) > _MAX_EXPANDED:
        skipped.append(Skipped(line, "RRULE", f"this event repeats too often to read (over {_MAX_EXPANDED:,} times)"))
        return []
    found = []
    for occurrence in occurrences:
        start = _moment(occurrence.start, tz)
        if start < until and (since is None or start >= since) and not occurrence.is_cancelled:
            found.append((start, occurrence))
    found.sort(key=lambda pair: pair[0])
    if len(found) > max_per_series:
        first_kept = found[-max_per_series][0].date().isoformat()
        reason = f"this event repeats {len(found)} times; only the {max_per_series} most recent were read (from {first_kept})"
        skipped.append(Skipped(line, "RRULE", reason))
        found = found[-max_per_series:]
    details: dict[int, _Details] = {}
    meetings = []
    for start, occurrence in found:
        event = occurrence.event
        if id(event) not in details:
            details[id(event)] = _details(event)
        meetings.append(_meeting(occurrence, start, details[id(event)], tz))
    return meetings


def _estimate_count(event: Component, high: datetime) -> int:
    """About how many occurrences the rules of an event make up to ``high``, erring high."""
    rules = event.get("RRULE")
    if rules is None:
        return 1
    start = _value(event, "DTSTART").dt
    start_day = start.date() if isinstance(start, datetime) else start
    # An end before the start that was left in widens the span the expansion walks by as much:
    # count that far past ``high`` too.
    high = high + _end_before_start(event, start_day)
    total = 0
    for rule in rules if isinstance(rules, list) else [rules]:
        try:
            period = _PERIOD_SECONDS.get(str(rule.get("FREQ", ["DAILY"])[0]).upper(), 86400)
            interval = max(int(rule.get("INTERVAL", [1])[0]), 1)
            last_day = high.date()
            for end in rule.get("UNTIL", []):
                end_day = end.date() if isinstance(end, datetime) else end
                # A rule that ends before it starts is one the expansion may not keep to (it
                # walked a minutely rule for a year): count it to ``high``.
                if end_day >= start_day:
                    last_day = min(last_day, end_day)
            count = ((last_day - start_day).days * 86400) // (period * interval) + 1
            for part in _EXPANDING_PARTS:
                count *= max(len(rule.get(part, [])), 1)
            if "COUNT" in rule:
                count = min(count, int(rule["COUNT"][0]))
        except (TypeError, ValueError, AttributeError, IndexError):
            count = 1  # the expansion will report the rule it cannot read
        total += max(count, 0)
    return total


def _end_before_start(event: Component, start_day: date) -> timedelta:
    """How far an event's DTEND lies before its start. An end before the start is dropped when
    the two can be compared (``_drop_unreadable_end``); one that cannot (a floating start, an end
    in a zone) is left, and the expansion, comparing them its own way, walks that much further."""
    try:
        end = _value(event, "DTEND").dt if "DTEND" in event else None
    except (TypeError, ValueError, AttributeError):
        return timedelta(0)
    if not isinstance(end, date):
        return timedelta(0)
    end_day = end.date() if isinstance(end, datetime) else end
    return max(start_day - end_day, timedelta(0))


@dataclass
class _Details:
    """What all occurrences of one event share, read once."""

    uid: str
    summary: str
    description: str
    location: str
    attendees: list[Attendee]
    organizer: Attendee | None


def _details(event: Component) -> _Details:
    fields = dict(event.items())  # names are upper case already; a plain dict is quicker to ask
    return _Details(
        uid=str(fields["UID"]),
        summary=_text(fields.get("SUMMARY")),
        description=_text(fields.get("DESCRIPTION")),
        location=_text(fields.get("LOCATION")),
        attendees=_attendees(fields.get("ATTENDEE", [])),
        organizer=_person(fields.get("ORGANIZER")),
    )


def _meeting(occurrence: _Occurrence, start: datetime, details: _Details, tz: tzinfo) -> Meeting:
    is_all_day = not isinstance(occurrence.start, datetime)
    end: datetime | None = None
    if is_all_day:
        # DTEND of an all-day event is the day after its last one.
        last_day = occurrence.start
        if not isinstance(occurrence.end, datetime) and occurrence.end > occurrence.start:
            last_day = occurrence.end - timedelta(days=1)
        end = _moment(last_day, tz)
    elif occurrence.end != occurrence.start:  # the expansion makes an event without an end end at its start
        end = _moment(occurrence.end, tz)
    original = occurrence.start
    changed = occurrence.event.get("RECURRENCE-ID")
    if changed is not None and str(changed.params.get("RANGE", "")).upper() != "THISANDFUTURE":
        original = changed.dt
    return Meeting(
        line=occurrence.line,
        uid=details.uid,
        key=f"{details.uid}/{_key_time(original)}",
        summary=details.summary,
        start=start,
        end=end,
        is_all_day=is_all_day,
        attendees=list(details.attendees),
        organizer=details.organizer,
        description=details.description,
        location=details.location,
    )


def _moment(value: date, tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(12), tzinfo=tz)
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _key_time(value: date) -> str:
    """The original start as text: UTC for zoned times, as written for floating ones and dates."""
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def _attendees(values: Any) -> list[Attendee]:
    people = []
    for value in values if isinstance(values, list) else [values]:
        params = getattr(value, "params", {})
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        if str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"):
            continue  # meeting rooms and projectors are invited like people, but are not people
        person = _person(value)
        # Google's birthday calendar invites a made-up "Contacts" address ending in "@virtual".
        if person is not None and not person.email.endswith("@virtual"):
            people.append(person)
    return people


_MAILTO = re.compile(r"^\s*mailto:", re.IGNORECASE)


def _person(value: Any) -> Attendee | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
        if value is None:
            return None
    params = getattr(value, "params", {})
    address = _MAILTO.sub("", str(value)).strip().strip("<>").strip()
    if "@" not in address:
        address = str(params.get("EMAIL", "")).strip()
    email = address.lower() if "@" in address else ""
    name = _printable(str(params.get("CN", ""))).strip().strip('"').strip()
    if name.lower() == email:
        name = ""
    if not email and not name:
        return None
    return Attendee(email=email, name=name)


# -- Writing the feed ---------------------------------------------------------------------------


@dataclass
class FeedEvent:
    """One entry of Kithkin's calendar feed.

    ``start`` is a date for an all-day entry (``end``, if given, is then its last day) or an aware
    datetime in a named zone (ZoneInfo) so that calendar apps show the right local time.
    ``weekly_on`` (0 = Monday … 6 = Sunday) makes it a weekly block, repeating until ``until``
    (inclusive) or forever; the first occurrence is ``start``, moved forward to that weekday.
    """

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None
    description: str = ""
    url: str = ""
    alarm_before: timedelta | None = None
    weekly_on: int | None = None
    until: date | None = None


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def write_feed(events: Iterable[FeedEvent], *, name: str, now: datetime) -> bytes:
    """An iCalendar document for calendar apps to subscribe to, refreshed hourly.

    UIDs are written as given, so an app updates an entry it already has instead of adding it again.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Kithkin//Kithkin//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _printable(name).replace("\n", " "))  # apps show it on one line
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = now.astimezone(UTC) if now.tzinfo is not None else now.replace(tzinfo=UTC)  # DTSTAMP must be UTC
    days = [now.date()]
    for item in events:
        calendar.add_component(_feed_event(item, stamp))
        days.append(item.start.date() if isinstance(item.start, datetime) else item.start)
    # Time zone definitions have to cover every date shown, weekly blocks repeating for years.
    calendar.add_missing_timezones(
        first_date=min(days) - timedelta(days=366),
        last_date=max(max(days) + timedelta(days=366), date(2038, 1, 1)),
    )
    return bytes(calendar.to_ical())


def _feed_event(item: FeedEvent, stamp: datetime) -> Event:
    start = _feed_time(item.start)
    end = _feed_time(item.end) if item.end is not None else None
    if item.weekly_on is not None:
        if not 0 <= item.weekly_on <= 6:
            raise ValueError(f"weekly_on must be 0 (Monday) to 6 (Sunday), not {item.weekly_on}")
        shift = timedelta(days=(item.weekly_on - start.weekday()) % 7)
        start = start + shift
        end = end + shift if end is not None else None
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    if not isinstance(start, datetime):
        last_day = end if end is not None and not isinstance(end, datetime) and end > start else start
        event.add("dtend", last_day + timedelta(days=1))
    elif isinstance(end, datetime) and (end.tzinfo is None) == (start.tzinfo is None) and end > start:
        event.add("dtend", end)
    event.add("summary", _Text(_printable(item.summary)))
    if item.description:
        event.add("description", _Text(_printable(item.description)))
    if item.url:
        event.add("url", _printable(item.url).strip())
    if item.weekly_on is not None:
        rule: dict[str, Any] = {"freq": "weekly", "byday": _WEEKDAYS[item.weekly_on]}
        if item.until is not None:
            rule["until"] = _rule_until(item.until, start)
        event.add("rrule", rule)
    if item.alarm_before is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _Text(_printable(item.summary) or "Reminder"))
        alarm.add("trigger", -item.alarm_before)
        event.add_component(alarm)
    return event


def _feed_time(value: date) -> date:
    """Zones other than ZoneInfo ones (fixed offsets, pytz) have no name apps know: use UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None and not isinstance(value.tzinfo, ZoneInfo):
        return value.astimezone(UTC)
    return value


def _rule_until(until: date, start: date) -> date:
    """The end of the ``until`` day, written as RFC 5545 wants it for this kind of start."""
    if not isinstance(start, datetime):
        return until
    last = datetime.combine(until, time(23, 59, 59), tzinfo=start.tzinfo)
    return last.astimezone(UTC) if start.tzinfo is not None else last


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class _Text(vText):
    """Text escaped as RFC 5545 says, and nothing more: icalendar's own escaping first reads a
    backslash and N already in the text as a line break (so a note saying ``C:\\Notes`` came
    back from the feed broken in two)."""

    def to_ical(self) -> bytes:
        escaped = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        return escaped.encode(getattr(self, "encoding", "utf-8"))


def _printable(text: str) -> str:
    """Text without the control characters iCalendar cannot carry; line breaks become ``\\n``."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
