from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kithkin.lib.when import WhenError, parse_date, parse_when

MADRID = ZoneInfo("Europe/Madrid")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("UTC"))  # 11:00 in Madrid, a Sunday


def local(text: str, **kwargs: object) -> datetime:
    return parse_when(text, now=NOW, tz=MADRID, **kwargs).astimezone(MADRID)  # type: ignore[arg-type]


def test_yesterday_at_three_is_read_in_the_users_time_zone():
    assert local("yesterday 15:00") == datetime(2026, 11, 21, 15, 0, tzinfo=MADRID)
    assert local("yesterday 3pm") == datetime(2026, 11, 21, 15, 0, tzinfo=MADRID)


def test_last_friday_without_a_time_means_midday():
    assert local("last friday") == datetime(2026, 11, 20, 12, 0, tzinfo=MADRID)


def test_iso_dates_and_times_are_accepted_with_or_without_an_offset():
    assert local("2026-11-20T09:30") == datetime(2026, 11, 20, 9, 30, tzinfo=MADRID)
    assert parse_when("2026-11-20T09:30+00:00", now=NOW, tz=MADRID) == datetime(
        2026, 11, 20, 9, 30, tzinfo=ZoneInfo("UTC")
    )
    assert local("2026-11-20") == datetime(2026, 11, 20, 12, 0, tzinfo=MADRID)


def test_today_before_midday_means_now_not_a_time_still_to_come():
    assert parse_when("today", now=NOW, tz=MADRID) == NOW


def test_future_phrases_prefer_the_future_with_their_default_time():
    assert local("tomorrow", prefer="future", default_time=time(9)) == datetime(2026, 11, 23, 9, 0, tzinfo=MADRID)
    assert local("friday", prefer="future", default_time=time(9)) == datetime(2026, 11, 27, 9, 0, tzinfo=MADRID)


@pytest.mark.parametrize("text", ["", "   ", "bogus thing", "2026-02-30", "31 feb 2026"])
def test_unreadable_text_is_an_error(text):
    with pytest.raises(WhenError):
        parse_when(text, now=NOW, tz=MADRID)


def test_dates_are_iso_or_phrases_and_impossible_dates_are_refused():
    assert parse_date("1990-05-17") == date(1990, 5, 17)
    assert parse_date("last friday", today=date(2026, 11, 22)) == date(2026, 11, 20)
    with pytest.raises(WhenError, match="not a real date"):
        parse_date("2026-02-30", today=date(2026, 11, 22))
    with pytest.raises(WhenError):
        parse_date("17/05/1990")
