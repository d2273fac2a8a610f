import random
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from kithkin.lib.calendar_files import (
    Attendee,
    FeedEvent,
    Meeting,
    ParsedCalendar,
    read_meetings,
    write_feed,
)
from kithkin.lib.contacts import FileRejected

FIXTURES = Path(__file__).parents[2] / "tests" / "fixtures" / "ics"
MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
UNTIL = datetime(2025, 1, 1, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(data: bytes | str, **kwargs) -> ParsedCalendar:
    if isinstance(data, str):
        data = data.encode()
    kwargs.setdefault("until", UNTIL)
    kwargs.setdefault("tz", MADRID)
    return read_meetings(data, **kwargs)


def calendar(*events: str, header: str = "") -> str:
    """A small calendar around the given VEVENT bodies (without BEGIN/END lines)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Test//EN"]
    lines += [line for line in header.splitlines() if line]
    for body in events:
        lines += ["BEGIN:VEVENT", *body.strip().splitlines(), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def by_summary(parsed: ParsedCalendar, summary: str) -> list[Meeting]:
    return [m for m in parsed.meetings if m.summary == summary]


# -- The Google Calendar export ------------------------------------------------------------------


@pytest.fixture(scope="module")
def google() -> ParsedCalendar:
    return read_meetings(fixture("kithkin__google_export.ics"), until=UNTIL, tz=NEW_YORK)


def test_a_google_weekly_one_to_one_is_expanded_without_its_excluded_date_and_with_its_moved_one(google):
    starts = [m.start for m in google.meetings if m.uid.startswith("5n3cbk0f")]
    assert [s.date() for s in starts] == [
        date(2024, 9, 2),
        date(2024, 9, 9),
        # 16 September is an EXDATE
        date(2024, 9, 23),
        date(2024, 9, 30),
        date(2024, 10, 10),  # moved from Monday 7 October to Thursday at 16:00
        date(2024, 10, 14),
        date(2024, 10, 21),
        date(2024, 10, 28),
        date(2024, 11, 4),
    ]


def test_a_weekly_meeting_keeps_its_local_time_when_summer_time_ends(google):
    one_to_ones = [m for m in google.meetings if m.summary == "1:1 Ana / José María"]
    assert {m.start.astimezone(MADRID).time() for m in one_to_ones} == {time(10, 0)}
    assert one_to_ones[0].start == datetime(2024, 9, 2, 8, 0, tzinfo=UTC)
    assert one_to_ones[-1].start == datetime(2024, 11, 4, 9, 0, tzinfo=UTC)
    assert one_to_ones[-1].end == datetime(2024, 11, 4, 9, 30, tzinfo=UTC)


def test_a_moved_occurrence_has_its_own_text_and_line_and_the_key_of_its_original_start(google):
    [moved] = by_summary(google, "1:1 Ana / José María (jueves)")
    assert moved.start == datetime(2024, 10, 10, 14, 0, tzinfo=UTC)
    assert moved.key == "5n3cbk0f6ot9mq8r4e9v8u2jpl@google.com/2024-10-07T08:00:00Z"
    assert moved.line == 55
    assert moved.description == "Movido al jueves por el puente."


def test_every_meeting_names_the_line_of_its_begin_vevent(google):
    lines = fixture("kithkin__google_export.ics").decode().split("\r\n")
    for meeting in google.meetings:
        assert lines[meeting.line - 1] == "BEGIN:VEVENT"
    assert {m.line for m in google.meetings} == {26, 55, 76, 106}


def test_keys_are_unique_and_the_same_when_the_file_is_read_again(google):
    again = read_meetings(fixture("kithkin__google_export.ics"), until=UNTIL, tz=NEW_YORK)
    keys = [m.key for m in google.meetings]
    assert len(set(keys)) == len(keys)
    assert keys == [m.key for m in again.meetings]
    assert "3q0v7k2m1h8d9s6f5g4j3k2l1z@google.com/2024-10-15T10:30:00Z" in keys


def test_cancelled_and_future_events_are_left_out_without_being_reported_as_skipped(google):
    summaries = {m.summary for m in google.meetings}
    assert "Lunch with Bob" not in summaries
    assert "Planning 2025 (future)" not in summaries
    assert google.skipped == []


def test_declined_attendees_and_meeting_rooms_are_dropped_and_names_keep_accents_commas_and_scripts(google):
    [review] = by_summary(google, "Quarterly review")
    assert review.attendees == [
        Attendee("bob@example.org", "Bob Smith"),
        Attendee("ana.ruiz@example.com", "Ana Ruiz"),
        Attendee("layla.haddad@example.com", "ليلى حداد"),
        Attendee("wang.xiaoming@example.cn", "王小明"),
        Attendee("carla@example.net", ""),  # Google writes the email as the CN when it knows no name
    ]
    assert review.organizer == Attendee("bob@example.org", "Bob Smith")
    assert review.location == "Madrid-3-Sala Retiro (8)"
    assert review.description == "Agenda:\n- Q3 numbers, budget\n- Hiring plan"


def test_attendee_emails_are_lower_case_and_a_cn_with_a_comma_is_kept_whole(google):
    first = google.meetings[0]
    assert Attendee("josemaria.nunez@example.com", "Núñez, José María") in first.attendees


def test_an_all_day_event_starts_at_midday_in_the_readers_time_zone_and_ends_on_its_last_day(google):
    [wedding] = by_summary(google, "Boda de Lucía y Martín")
    assert wedding.is_all_day
    assert wedding.start == datetime(2024, 10, 12, 12, 0, tzinfo=NEW_YORK)
    assert wedding.end == datetime(2024, 10, 13, 12, 0, tzinfo=NEW_YORK)
    assert wedding.key == "0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com/2024-10-12"
    assert wedding.attendees == [] and wedding.organizer is None


def test_meetings_come_sorted_by_start_with_aware_times(google):
    starts = [m.start for m in google.meetings]
    assert starts == sorted(starts)
    assert all(s.tzinfo is not None for s in starts)


# -- The Outlook export --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outlook() -> ParsedCalendar:
    return read_meetings(fixture("kithkin__outlook_export.ics"), until=UNTIL, tz=MADRID)


def test_outlook_windows_time_zone_names_give_the_right_local_time(outlook):
    [budget] = by_summary(outlook, "Presupuesto Q2")
    assert budget.start == datetime(2024, 3, 5, 10, 30, tzinfo=MADRID)
    assert budget.end == datetime(2024, 3, 5, 11, 30, tzinfo=MADRID)
    syncs = by_summary(outlook, "Weekly sync with Peter")
    assert syncs[0].start == datetime(2024, 1, 10, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def test_an_outlook_organizer_written_last_name_first_keeps_the_comma(outlook):
    [budget] = by_summary(outlook, "Presupuesto Q2")
    assert budget.organizer == Attendee("ana.ruiz@contoso.example", "Ruiz, Ana")
    assert budget.attendees == [
        Attendee("luis.garcia@contoso.example", "García, Luis"),
        Attendee("juergen.mueller@fabrikam.example", "Müller, Jürgen"),
        Attendee("zoe.obrien@fabrikam.example", "Zoë O'Brien"),
    ]
    assert budget.description.startswith("Revisión del presupuesto, segundo trimestre.\n")


def test_an_outlook_series_drops_its_excluded_date_and_its_cancelled_occurrence(outlook):
    syncs = by_summary(outlook, "Weekly sync with Peter")
    assert [m.start.date() for m in syncs] == [
        date(2024, 1, 10),
        date(2024, 1, 17),
        date(2024, 1, 31),
        date(2024, 2, 14),
    ]
    assert not any("Canceled" in m.summary for m in outlook.meetings)


def test_an_outlook_attendee_without_an_address_keeps_their_name(outlook):
    sync = by_summary(outlook, "Weekly sync with Peter")[0]
    assert sync.attendees == [
        Attendee("peter.jones@contoso.example", "Peter Jones"),
        Attendee("", "Asistente sin correo"),
    ]


def test_an_outlook_all_day_event_is_read(outlook):
    [holiday] = by_summary(outlook, "Día de San José")
    assert holiday.is_all_day
    assert holiday.start == holiday.end == datetime(2024, 3, 19, 12, 0, tzinfo=MADRID)
    assert outlook.skipped == []


# -- Files from other projects -------------------------------------------------------------------


CORPUS = sorted(p.name for p in FIXTURES.glob("*.ics"))


@pytest.mark.parametrize("name", CORPUS)
def test_every_sample_file_reads(name):
    parsed = read_meetings(fixture(name), until=datetime(2030, 1, 1, tzinfo=UTC), tz=MADRID)
    assert all(isinstance(m, Meeting) for m in parsed.meetings)


def test_sample_events_with_and_without_attendees_are_read():
    google_alarms = read(fixture("icalendar__alarm_google_future.ics"), until=datetime(2030, 1, 1, tzinfo=UTC))
    thunderbird = read(fixture("icalendar__alarm_thunderbird_future.ics"), until=datetime(2030, 1, 1, tzinfo=UTC))
    assert [(m.summary, m.start) for m in google_alarms.meetings] == [
        ("event with alarms", datetime(2024, 10, 4, 18, 15, tzinfo=UTC))
    ]
    assert [m.summary for m in thunderbird.meetings] == ["event with alarms"]
    assert thunderbird.meetings[0].start == datetime(2024, 10, 23, 15, 0, tzinfo=ZoneInfo("Europe/London"))


def test_a_file_of_tasks_only_gives_no_meetings():
    parsed = read(fixture("vobject__vtodo.ics"))
    assert parsed.meetings == [] and parsed.skipped == []


def test_a_calendar_with_a_byte_order_mark_and_no_events_is_empty_not_rejected():
    assert read(fixture("icalendar__bom_calendar.ics")).meetings == []
    assert read(fixture("icalendar__calendar_with_unicode.ics")).meetings == []


def test_googles_birthday_calendar_gives_one_all_day_meeting_per_year_and_event():
    parsed = read(fixture("icaljs__google_birthday.ics"))
    assert [(m.start.date(), m.line) for m in parsed.meetings] == [
        (date(2012, 12, 10), 8),
        (date(2012, 12, 10), 27),
        (date(2013, 12, 10), 8),
        (date(2013, 12, 10), 48),
        (date(2014, 12, 10), 8),
        (date(2014, 12, 10), 69),
    ]
    assert all(m.is_all_day and m.summary == "PErson #2's birthday" for m in parsed.meetings)
    assert all(m.attendees == [] for m in parsed.meetings)  # the "@virtual" Contacts guest is not a person
    assert parsed.skipped == []  # "RDATE:20131210Z" is read as the date Google means


# -- Files that are not calendars ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n", "BEGIN:VCALENDAR"),
        (b"Name,Email\r\nAna,ana@example.com\r\n", "BEGIN:VCALENDAR"),
        (b"BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nEND:VALARM\r\n", "BEGIN:VCALENDAR"),  # a fragment
    ],
)
def test_a_file_that_is_not_a_calendar_is_rejected_with_a_clear_message(data, message):
    with pytest.raises(FileRejected) as rejected:
        read(data)
    assert message in rejected.value.message


# -- What real programs write --------------------------------------------------------------------

SIMPLE = """
UID:simple@example.com
DTSTART:20240610T090000Z
DTEND:20240610T100000Z
SUMMARY:Coffee with Ana
ATTENDEE;CN=Ana:MAILTO:Ana@Example.COM
"""


def test_lf_crlf_and_a_byte_order_mark_give_the_same_meetings():
    text = calendar(SIMPLE)
    crlf = read(text)
    assert read(text.replace("\r\n", "\n")) == crlf
    assert read(b"\xef\xbb\xbf" + text.encode()) == crlf
    assert crlf.meetings[0].attendees == [Attendee("ana@example.com", "Ana")]


def test_utf16_and_windows_1252_files_keep_their_accents():
    text = calendar(SIMPLE.replace("Coffee with Ana", "Café con María"))
    assert read(text.encode("utf-16")).meetings[0].summary == "Café con María"
    assert read(text.encode("cp1252")).meetings[0].summary == "Café con María"


def test_an_event_without_a_start_is_skipped_with_its_line_and_the_others_are_read():
    text = calendar("UID:a\nSUMMARY:No start", SIMPLE)
    parsed = read(text)
    assert [m.summary for m in parsed.meetings] == ["Coffee with Ana"]
    [skipped] = parsed.skipped
    assert (skipped.line, skipped.field) == (4, "DTSTART")
    assert "no start" in skipped.reason


def test_an_unreadable_start_is_skipped_with_its_line_and_what_was_wrong():
    parsed = read(calendar(SIMPLE, "UID:b\nDTSTART:2024-13-45\nSUMMARY:Bad start"))
    [skipped] = parsed.skipped
    assert (skipped.line, skipped.field) == (11, "DTSTART")
    assert "2024-13-45" in skipped.reason
    assert len(parsed.meetings) == 1


def test_floating_times_are_read_in_the_readers_time_zone():
    parsed = read(calendar("UID:f\nDTSTART:20240610T090000\nDTEND:20240610T093000\nSUMMARY:Floating"), tz=NEW_YORK)
    assert parsed.meetings[0].start == datetime(2024, 6, 10, 9, 0, tzinfo=NEW_YORK)
    assert parsed.meetings[0].key == "f/2024-06-10T09:00:00"


def test_floating_times_in_a_calendar_with_x_wr_timezone_are_read_in_that_zone():
    text = calendar("UID:f\nDTSTART:20240610T090000\nSUMMARY:Floating", header="X-WR-TIMEZONE:Europe/Madrid")
    assert read(text, tz=NEW_YORK).meetings[0].start == datetime(2024, 6, 10, 9, 0, tzinfo=MADRID)


def test_a_windows_time_zone_name_is_understood_even_without_its_vtimezone():
    text = calendar('UID:w\nDTSTART;TZID="W. Europe Standard Time":20240610T090000\nSUMMARY:Outlook')
    assert read(text, tz=NEW_YORK).meetings[0].start == datetime(2024, 6, 10, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_an_unknown_time_zone_is_read_as_the_readers_own():
    text = calendar("UID:u\nDTSTART;TZID=Customized Time Zone 7:20240610T090000\nSUMMARY:Unknown zone")
    assert read(text, tz=NEW_YORK).meetings[0].start == datetime(2024, 6, 10, 9, 0, tzinfo=NEW_YORK)


def test_an_event_without_an_end_has_none_and_an_end_before_its_start_is_ignored():
    parsed = read(
        calendar(
            "UID:n\nDTSTART:20240610T090000Z\nSUMMARY:No end",
            "UID:b\nDTSTART:20240611T090000Z\nDTEND:20240611T080000Z\nSUMMARY:Backwards",
            "UID:d\nDTSTART:20240612T090000Z\nDURATION:PT45M\nSUMMARY:Duration",
        )
    )
    ends = {m.summary: (m.start, m.end) for m in parsed.meetings}
    assert ends["No end"] == (datetime(2024, 6, 10, 9, 0, tzinfo=UTC), None)
    assert ends["Backwards"] == (datetime(2024, 6, 11, 9, 0, tzinfo=UTC), None)
    assert ends["Duration"][1] == datetime(2024, 6, 12, 9, 45, tzinfo=UTC)


def test_events_without_a_uid_get_a_key_that_is_the_same_on_every_read():
    text = calendar("DTSTART:20240610T090000Z\nSUMMARY:One", "DTSTART:20240611T090000Z\nSUMMARY:Two")
    first, second = read(text), read(text)
    keys = [m.key for m in first.meetings]
    assert keys == [m.key for m in second.meetings]
    assert len(set(keys)) == 2 and all(k.startswith("kithkin-") for k in keys)


def test_unrelated_events_sharing_a_uid_are_all_read():
    parsed = read(
        calendar("UID:same\nDTSTART:20240610T090000Z\nSUMMARY:One", "UID:same\nDTSTART:20240611T090000Z\nSUMMARY:Two")
    )
    assert [m.summary for m in parsed.meetings] == ["One", "Two"]


def test_a_cut_short_file_still_gives_the_events_it_has():
    text = calendar(SIMPLE, "UID:second\nDTSTART:20240611T090000Z\nSUMMARY:Second")
    cut = text[: text.index("SUMMARY:Second")]
    parsed = read(cut)
    assert [m.key for m in parsed.meetings] == [
        "simple@example.com/2024-06-10T09:00:00Z",
        "second/2024-06-11T09:00:00Z",
    ]


def test_an_event_missing_its_end_line_does_not_swallow_the_next_one():
    text = calendar(SIMPLE, "UID:next\nDTSTART:20240611T090000Z\nSUMMARY:Next").replace("END:VEVENT\r\n", "", 1)
    assert [m.summary for m in read(text).meetings] == ["Coffee with Ana", "Next"]


def test_text_around_the_calendar_and_broken_lines_inside_it_are_ignored():
    text = "Content-Type: text/calendar\r\n\r\n" + calendar(SIMPLE.replace("SUMMARY", "this line is garbage\nSUMMARY"))
    parsed = read(text + "trailing text\r\n")
    assert [m.summary for m in parsed.meetings] == ["Coffee with Ana"]


def test_vtodo_vjournal_and_alarms_inside_events_are_ignored():
    text = calendar(SIMPLE.replace("SUMMARY", "BEGIN:VALARM\nTRIGGER:-PT5M\nACTION:DISPLAY\nEND:VALARM\nSUMMARY"))
    text = text.replace(
        "END:VCALENDAR", "BEGIN:VTODO\r\nUID:t\r\nDTSTART:20240601T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR"
    )
    parsed = read(text)
    assert [m.summary for m in parsed.meetings] == ["Coffee with Ana"]


def test_since_and_until_bound_what_is_read_and_a_meeting_at_until_is_in_the_future():
    text = calendar(
        "UID:old\nDTSTART:20230101T090000Z\nSUMMARY:Old",
        "UID:mid\nDTSTART:20240601T090000Z\nSUMMARY:Mid",
        "UID:edge\nDTSTART:20250101T000000Z\nSUMMARY:At until",
        "UID:weekly\nDTSTART:20231225T090000Z\nRRULE:FREQ=WEEKLY\nSUMMARY:Weekly",
    )
    parsed = read(text, since=datetime(2024, 12, 15, tzinfo=UTC))
    assert [(m.summary, m.start.date()) for m in parsed.meetings] == [
        ("Weekly", date(2024, 12, 16)),
        ("Weekly", date(2024, 12, 23)),
        ("Weekly", date(2024, 12, 30)),
    ]
    assert "Mid" in {m.summary for m in read(text, since=datetime(2024, 6, 1, 9, tzinfo=UTC)).meetings}


def test_only_the_most_recent_occurrences_of_a_long_series_are_kept_and_the_cut_is_reported():
    text = calendar(
        "UID:standup\nDTSTART;TZID=Europe/Madrid:20200106T093000\nRRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR\nSUMMARY:Standup"
    )
    parsed = read(text, max_per_series=50)
    assert len(parsed.meetings) == 50
    assert parsed.meetings[-1].start == datetime(2024, 12, 31, 9, 30, tzinfo=MADRID)
    [cut] = parsed.skipped
    assert (cut.line, cut.field) == (4, "RRULE")
    assert "only the 50 most recent" in cut.reason


def test_a_rule_repeating_every_minute_is_reported_instead_of_expanded():
    parsed = read(calendar("UID:m\nDTSTART:20000101T000000Z\nRRULE:FREQ=MINUTELY\nSUMMARY:Spam", SIMPLE))
    assert [m.summary for m in parsed.meetings] == ["Coffee with Ana"]
    assert parsed.skipped[0].field == "RRULE" and "too often" in parsed.skipped[0].reason


@pytest.mark.parametrize(
    "event",
    [
        # A floating start with an end years before it, in a zone: the two cannot be compared, so
        # the end is left in, and the expansion walks that much further past the window.
        "UID:m\nDTSTART:20241229T000000\nRRULE:FREQ=MINUTELY\nDTEND;TZID=Europe/Madrid:20220318T000000",
        # A rule that ends before it starts (and an end the reader repairs): the expansion walked
        # it for a year, minute by minute.
        "UID:m\nDTSTART:20241229T000000\nRRULE:FREQ=MINUTELY;UNTIL=20240101T000000Z\nDTEND;TZID=Europe/Madrid:20220318Z",
    ],
)
def test_a_rule_the_expansion_would_walk_far_past_the_window_is_reported_not_walked(event):
    parsed = read(calendar(event + "\nSUMMARY:Spam", SIMPLE))
    assert [m.summary for m in parsed.meetings] == ["Coffee with Ana"]
    assert parsed.skipped[0].field == "RRULE" and "too often" in parsed.skipped[0].reason


def test_an_unreadable_repeat_rule_keeps_the_first_occurrence_and_says_so():
    parsed = read(calendar("UID:r\nDTSTART:20240610T090000Z\nRRULE:FREQ=FORTNIGHTLY\nSUMMARY:Odd rule"))
    assert [m.start for m in parsed.meetings] == [datetime(2024, 6, 10, 9, 0, tzinfo=UTC)]
    [skipped] = parsed.skipped
    assert (skipped.line, skipped.field) == (4, "RRULE")
    assert "only the first occurrence" in skipped.reason


def test_a_cancelled_series_gives_nothing():
    text = calendar("UID:c\nDTSTART:20240610T090000Z\nRRULE:FREQ=WEEKLY;COUNT=4\nSTATUS:CANCELLED\nSUMMARY:Gone")
    assert read(text).meetings == []


def test_a_large_calendar_read_from_a_recent_date_keeps_every_repeating_series(benchmark_calendar):
    parsed = read(benchmark_calendar, since=datetime(2024, 1, 1, tzinfo=UTC))
    weekly = [m for m in parsed.meetings if m.uid.startswith("weekly")]
    assert len({m.uid for m in weekly}) == 20
    assert all(m.start >= datetime(2024, 1, 1, tzinfo=UTC) for m in parsed.meetings)
    assert 1500 < len(parsed.meetings) - len(weekly) < 2500  # about a tenth of 20,000 single events


@pytest.fixture(scope="module")
def benchmark_calendar() -> bytes:
    return ten_years_of_meetings(singles=20_000, weekly=20)


def ten_years_of_meetings(singles: int, weekly: int) -> bytes:
    """A Google-like export: single meetings with guests spread over 2015-2024, weekly series."""
    rng = random.Random(7)
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0"]
    lines += ["X-WR-TIMEZONE:Europe/Madrid"]
    first = datetime(2015, 1, 1, 8, 0)
    for n in range(singles):
        start = first + timedelta(minutes=30 * rng.randrange(10 * 365 * 24 * 2))
        lines += [
            "BEGIN:VEVENT",
            f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
            f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%S}Z",
        ]
        lines += [
            "DTSTAMP:20250101T000000Z",
            f"UID:single{n}@google.com",
            "ORGANIZER;CN=Ana Ruiz:mailto:ana@example.com",
        ]
        lines += [
            f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Guest {g};X-NUM-GUESTS=0:mailto:g{g}.{n}@example.com"
            for g in range(rng.randrange(4))
        ]
        lines += ["CREATED:20240101T000000Z", f"DESCRIPTION:Meeting {n}", "SEQUENCE:0", "STATUS:CONFIRMED"]
        lines += [f"SUMMARY:Meeting {n}", "TRANSP:OPAQUE", "END:VEVENT"]
    for n in range(weekly):
        start = first + timedelta(days=rng.randrange(3000))
        lines += ["BEGIN:VEVENT", f"DTSTART;TZID=Europe/Madrid:{start:%Y%m%dT%H%M%S}", "RRULE:FREQ=WEEKLY"]
        lines += [f"UID:weekly{n}@google.com", f"SUMMARY:Weekly {n}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


# -- Anything at all -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_parsed_calendar_or_a_rejection(data):
    try:
        parsed = read(data)
    except FileRejected as rejected:
        assert rejected.message
    else:
        assert isinstance(parsed, ParsedCalendar)


MOMENTS = st.tuples(
    st.integers(2020, 2026), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.sampled_from([0, 30, 61])
).map(lambda t: f"{t[0]:04d}{t[1]:02d}{t[2]:02d}T{t[3]:02d}{t[4]:02d}00")
DAYS = st.tuples(st.integers(2020, 2026), st.integers(1, 12), st.integers(1, 28)).map(
    lambda t: f"{t[0]:04d}{t[1]:02d}{t[2]:02d}"
)
VALUES = st.one_of(
    MOMENTS,
    MOMENTS.map(lambda m: m + "Z"),
    DAYS,
    DAYS.map(lambda d: d + "Z"),
    st.text(max_size=12),
    st.sampled_from(["", "2024-13-45", "PT1H", "20240101T100000Z,20240108T100000Z"]),
)
ZONE_PARAMS = st.sampled_from(
    ["", ";TZID=Europe/Madrid", ';TZID="W. Europe Standard Time"', ";TZID=Nowhere/Else", ";VALUE=DATE"]
)
STARTS = st.builds(lambda z, v: f"DTSTART{z}:{v}", ZONE_PARAMS, VALUES)
EVENT_LINES = st.one_of(
    st.builds(
        lambda n, z, v: f"{n}{z}:{v}",
        st.sampled_from(["DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"]),
        ZONE_PARAMS,
        VALUES,
    ),
    st.builds(
        lambda f, extra: f"RRULE:FREQ={f}{extra}",
        st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "NEVER"]),
        st.sampled_from(
            ["", ";COUNT=3", ";INTERVAL=2", ";UNTIL=20240101T000000Z", ";UNTIL=20240101", ";BYDAY=MO,WE", ";COUNT=x"]
        ),
    ),
    st.sampled_from(
        ["UID:a", "UID:b", "UID:", "STATUS:CANCELLED", "DURATION:PT30M", "DURATION:-PT1H", "DURATION:garbage"]
    ),
    st.sampled_from(["BEGIN:VALARM", "END:VALARM", "SEQUENCE:2", "SEQUENCE:x", " folded continuation"]),
    st.builds(lambda t: f"SUMMARY:{t}", st.text(max_size=20)),
    st.builds(
        lambda p, a: f"ATTENDEE{p}:{a}",
        st.sampled_from(
            ["", ";CN=Ana", ';CN="Ruiz, Ana"', ";PARTSTAT=DECLINED", ";CUTYPE=ROOM", ";CN", ';CN="unclosed']
        ),
        st.sampled_from(["mailto:ana@example.com", "MAILTO:Bob@Example.org", "invalid:nomail", ""]),
    ),
    st.text(max_size=30),
)
OUTSIDE_LINES = st.one_of(
    st.sampled_from(
        [
            "X-WR-TIMEZONE:Europe/Madrid",
            "X-WR-TIMEZONE:Not/AZone",
            "BEGIN:VTIMEZONE\nTZID:Nowhere/Else\nBEGIN:STANDARD\nTZOFFSETTO:garbage\nEND:STANDARD\nEND:VTIMEZONE",
            "BEGIN:VTODO\nDTSTART:20240101\nEND:VTODO",
            "DTSTART:garbage",
            "END:VCALENDAR",
            "BEGIN:VCALENDAR",
        ]
    ),
    st.text(max_size=30),
)


@st.composite
def icalendar_like(draw: st.DrawFn) -> str:
    lines = ["BEGIN:VCALENDAR", *draw(st.lists(OUTSIDE_LINES, max_size=3))]
    for _ in range(draw(st.integers(0, 5))):
        body = draw(st.lists(EVENT_LINES, max_size=10))
        if draw(st.integers(0, 4)):
            body.insert(0, draw(STARTS))
        lines += ["BEGIN:VEVENT", *body]
        if draw(st.integers(0, 9)):
            lines.append("END:VEVENT")
        lines += draw(st.lists(OUTSIDE_LINES, max_size=1))
    if draw(st.booleans()):
        lines.append("END:VCALENDAR")
    return draw(st.sampled_from(["\r\n", "\n"])).join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(icalendar_like())
def test_any_icalendar_like_text_gives_a_parsed_calendar_or_a_rejection(text):
    try:
        parsed = read(text, max_per_series=20)
    except FileRejected as rejected:
        assert rejected.message
    else:
        assert all(m.start < UNTIL and m.start.tzinfo is not None for m in parsed.meetings)
        assert len({m.key for m in parsed.meetings}) == len(parsed.meetings)
        assert all(s.line > 0 and s.reason for s in parsed.skipped)


# -- The feed ------------------------------------------------------------------------------------

NOW = datetime(2024, 11, 22, 10, 0, tzinfo=UTC)


def parse_feed(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_the_feed_has_the_calendar_properties_subscribing_apps_look_for():
    feed = parse_feed(write_feed([], name="Kithkin — Ana's follow-ups", now=NOW))
    assert str(feed["PRODID"]) == "-//Kithkin//Kithkin//EN"
    assert str(feed["VERSION"]) == "2.0"
    assert str(feed["CALSCALE"]) == "GREGORIAN"
    assert str(feed["METHOD"]) == "PUBLISH"
    assert str(feed["X-WR-CALNAME"]) == "Kithkin — Ana's follow-ups"
    assert feed["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert feed["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(feed["X-PUBLISHED-TTL"]) == "PT1H"


def test_an_all_day_follow_up_lasts_one_day_with_an_alarm_and_a_link():
    event = FeedEvent(
        uid="followup-17@kithkin",
        summary="Call back José María",
        start=date(2024, 12, 2),
        end=None,
        description="He asked about the Madrid office.\nMention the hiring plan; ask about Q1.",
        url="https://kithkin.example/people/42/",
        alarm_before=timedelta(hours=2),
    )
    [parsed] = parse_feed(write_feed([event], name="Kithkin", now=NOW)).walk("VEVENT")
    assert str(parsed["UID"]) == "followup-17@kithkin"
    assert parsed["DTSTAMP"].dt == NOW
    assert parsed["DTSTART"].dt == date(2024, 12, 2) and parsed["DTSTART"].params["VALUE"] == "DATE"
    assert parsed["DTEND"].dt == date(2024, 12, 3)
    assert str(parsed["SUMMARY"]) == "Call back José María"
    assert str(parsed["DESCRIPTION"]) == event.description
    assert str(parsed["URL"]) == "https://kithkin.example/people/42/"
    [alarm] = parsed.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == -timedelta(hours=2)


def test_an_alarm_can_fall_after_the_start_of_an_all_day_event():
    morning = FeedEvent("c", "Check in with Ana", date(2024, 12, 2), None, alarm_before=-timedelta(hours=9))
    data = write_feed([morning], name="K", now=NOW)
    assert b"TRIGGER:PT9H" in data
    [alarm] = parse_feed(data).walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(hours=9)


def test_a_weekly_block_repeats_on_its_weekday_in_its_named_time_zone_with_that_zone_included():
    block = FeedEvent(
        uid="block-3@kithkin",
        summary="Reach out: 3 people",
        start=datetime(2024, 12, 2, 9, 0, tzinfo=MADRID),
        end=datetime(2024, 12, 2, 9, 30, tzinfo=MADRID),
        weekly_on=0,
        until=date(2025, 6, 30),
    )
    data = write_feed([block], name="Kithkin", now=NOW)
    feed = parse_feed(data)
    assert [str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")] == ["Europe/Madrid"]
    [parsed] = feed.walk("VEVENT")
    assert b"DTSTART;TZID=Europe/Madrid:20241202T090000" in data
    assert parsed["DTSTART"].dt == block.start
    assert parsed["DTEND"].dt == block.end
    rule = parsed["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO"]
    assert rule["UNTIL"] == [datetime(2025, 6, 30, 21, 59, 59, tzinfo=UTC)]  # the end of 30 June in Madrid


def test_a_weekly_block_starting_on_another_day_moves_to_its_weekday():
    block = FeedEvent(uid="b", summary="Block", start=datetime(2024, 12, 4, 9, tzinfo=MADRID), end=None, weekly_on=0)
    [parsed] = parse_feed(write_feed([block], name="K", now=NOW)).walk("VEVENT")
    assert parsed["DTSTART"].dt == datetime(2024, 12, 9, 9, tzinfo=MADRID)
    assert "DTEND" not in parsed


def test_a_time_in_a_fixed_offset_is_written_in_utc_because_apps_know_no_name_for_it():
    start = datetime(2024, 12, 2, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    [parsed] = parse_feed(write_feed([FeedEvent("x", "X", start, None)], name="K", now=NOW)).walk("VEVENT")
    assert parsed["DTSTART"].dt == start and parsed["DTSTART"].dt.utcoffset() == timedelta(0)


def test_the_feed_is_valid_icalendar_with_crlf_lines_folded_at_75_octets():
    long_text = "Señora Núñez-Ölçer 王小明 " * 20
    data = write_feed(
        [FeedEvent("u", long_text, date(2024, 12, 2), None, description=long_text)], name=long_text, now=NOW
    )
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in lines:
        line.decode("utf-8")  # folding never splits a character
    assert str(parse_feed(data).walk("VEVENT")[0]["SUMMARY"]) == long_text


def test_control_characters_are_removed_and_carriage_returns_become_line_breaks():
    event = FeedEvent("u", "Bell\x07 and\x00 nul", date(2024, 12, 2), None, description="one\r\ntwo\rthree")
    [parsed] = parse_feed(write_feed([event], name="K", now=NOW)).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == "Bell and nul"
    assert str(parsed["DESCRIPTION"]) == "one\ntwo\nthree"


def test_the_feed_reads_back_as_meetings():
    events = [
        FeedEvent("a", "Call Ana", datetime(2024, 12, 2, 9, tzinfo=MADRID), datetime(2024, 12, 2, 10, tzinfo=MADRID)),
        FeedEvent("b", "Write to Bob", date(2024, 12, 3), None),
    ]
    parsed = read(write_feed(events, name="K", now=NOW), until=datetime(2025, 1, 1, tzinfo=UTC))
    assert [(m.key, m.summary) for m in parsed.meetings] == [
        ("a/2024-12-02T08:00:00Z", "Call Ana"),
        ("b/2024-12-03", "Write to Bob"),
    ]


ZONES = [ZoneInfo(name) for name in ("Europe/Madrid", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC")]
TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t"), max_size=80)


@st.composite
def feed_events(draw: st.DrawFn) -> FeedEvent:
    all_day = draw(st.booleans())
    day = draw(st.dates(date(1990, 1, 1), date(2037, 12, 31)))
    if all_day:
        start: date | datetime = day
        end: date | datetime | None = draw(st.none() | st.just(day + timedelta(days=draw(st.integers(0, 5)))))
    else:
        zone = draw(st.sampled_from(ZONES))
        start = datetime.combine(
            day, time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))), tzinfo=zone
        )
        end = draw(st.none() | st.just(start + timedelta(minutes=draw(st.integers(15, 600)))))
    weekly = draw(st.none() | st.just(start.weekday()))
    return FeedEvent(
        uid=draw(st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)),
        summary=draw(TEXT),
        start=start,
        end=end,
        description=draw(TEXT),
        url=draw(st.sampled_from(["", "https://kithkin.example/people/1/", "https://example.com/a?b=c&d=é"])),
        alarm_before=draw(st.none() | st.integers(0, 7 * 24 * 60).map(lambda m: timedelta(minutes=m))),
        weekly_on=weekly,
        until=draw(st.none() | st.just(day + timedelta(days=draw(st.integers(0, 400)))))
        if weekly is not None
        else None,
    )


def test_a_backslash_and_an_n_in_the_text_stay_what_they_are():
    """icalendar's own escaping reads a backslash and N as a line break: a folder path in a note
    came back broken in two (found by the property test below)."""
    text = "C:\\Notes\\New; a, b\\n\nnext line"
    event = FeedEvent(uid="u1", summary=text, start=date(2026, 12, 7), end=None, description=text)
    feed = parse_feed(write_feed([event], name="Mine \\N", now=NOW))
    [back] = feed.walk("VEVENT")
    assert str(back["SUMMARY"]) == str(back["DESCRIPTION"]) == text
    assert str(feed["X-WR-CALNAME"]) == "Mine \\N"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(feed_events(), max_size=4), TEXT)
def test_random_feed_events_read_back_as_they_went_in(events, name):
    feed = parse_feed(write_feed(events, name=name, now=NOW))
    assert str(feed["X-WR-CALNAME"]) == name.replace("\n", " ")
    parsed = feed.walk("VEVENT")
    assert len(parsed) == len(events)
    for event, back in zip(events, parsed, strict=True):
        assert str(back["UID"]) == event.uid
        assert str(back["SUMMARY"]) == event.summary
        assert str(back.get("DESCRIPTION", "")) == event.description
        assert str(back.get("URL", "")) == event.url
        assert back["DTSTART"].dt == event.start
        assert type(back["DTSTART"].dt) is type(event.start)
        if isinstance(event.start, datetime):
            assert back["DTSTART"].dt.utcoffset() == event.start.utcoffset()
            assert (back["DTEND"].dt if "DTEND" in back else None) == event.end
        else:
            last = event.end if event.end is not None else event.start
            assert back["DTEND"].dt == last + timedelta(days=1)
        alarms = back.walk("VALARM")
        if event.alarm_before is None:
            assert alarms == []
        else:
            assert [a["TRIGGER"].dt for a in alarms] == [-event.alarm_before]
        if event.weekly_on is None:
            assert "RRULE" not in back
        else:
            assert back["RRULE"]["BYDAY"] == [("MO", "TU", "WE", "TH", "FR", "SA", "SU")[event.weekly_on]]
            assert ("UNTIL" in back["RRULE"]) == (event.until is not None)
