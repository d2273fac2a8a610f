from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kithkin.accounts.when import parse_user_day, parse_user_when
from kithkin.core.errors import BadInput
from kithkin.testing import make_user

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def in_tokyo(db):
    return make_user("kenji", time_zone="Asia/Tokyo")


def test_a_phrase_is_read_in_the_users_time_zone(in_tokyo, frozen):
    # NOW is 10:00 UTC on 22 November: 19:00 that day in Tokyo.
    assert parse_user_when(in_tokyo, "tomorrow 9am", field="at", prefer="future") == datetime(
        2026, 11, 23, 9, 0, tzinfo=TOKYO
    )


def test_a_date_alone_gets_the_default_time(in_tokyo, frozen):
    got = parse_user_when(in_tokyo, "2026-12-01", field="at", prefer="future", default_time=time(9, 0))
    assert got == datetime(2026, 12, 1, 9, 0, tzinfo=TOKYO)


def test_a_day_phrase_counts_from_the_users_today(in_tokyo, frozen):
    assert parse_user_day(in_tokyo, "yesterday", field="on") == date(2026, 11, 21)


def test_no_day_given_is_none(in_tokyo):
    assert parse_user_day(in_tokyo, None, field="on") is None


def test_a_birthday_takes_no_phrases(in_tokyo, frozen):
    with pytest.raises(BadInput) as refused:
        parse_user_day(in_tokyo, "yesterday", field="birthday", phrases=False)
    assert refused.value.field == "birthday"


def test_what_cannot_be_read_is_bad_input_on_the_field_it_came_from(in_tokyo, frozen):
    with pytest.raises(BadInput) as refused:
        parse_user_when(in_tokyo, "the day after never", field="when")
    assert refused.value.field == "when"
    assert refused.value.message.startswith("cannot read 'the day after never'")
