"""When a snoozed or hand-set follow-up comes back: one answer for the web form and the CLI."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kithkin.core.errors import BadInput
from kithkin.followups.services import reminder_time, snooze_until
from kithkin.testing import make_user

LISBON = ZoneInfo("Europe/Lisbon")


@pytest.fixture
def in_lisbon(db):
    return make_user("rita", time_zone="Europe/Lisbon")


# NOW is Sunday 22 November 2026, 10:00 UTC (10:00 in Lisbon).
@pytest.mark.parametrize(
    ("until", "expected"),
    [
        ("tomorrow", datetime(2026, 11, 23, 9, 0, tzinfo=LISBON)),
        ("next_week", datetime(2026, 11, 23, 9, 0, tzinfo=LISBON)),  # the coming Monday
        (date(2026, 12, 1), datetime(2026, 12, 1, 9, 0, tzinfo=LISBON)),
        ("2026-12-01", datetime(2026, 12, 1, 9, 0, tzinfo=LISBON)),
        ("friday 14:00", datetime(2026, 11, 27, 14, 0, tzinfo=LISBON)),
    ],
)
def test_a_snooze_comes_back_at_nine_in_the_users_morning_unless_told_a_time(in_lisbon, frozen, until, expected):
    assert snooze_until(in_lisbon, until) == expected


def test_a_reminder_with_no_time_of_day_falls_due_at_nine(in_lisbon, frozen):
    assert reminder_time(in_lisbon, "tuesday", field="at") == datetime(2026, 11, 24, 9, 0, tzinfo=LISBON)


def test_a_phrase_that_cannot_be_read_is_bad_input_on_the_field(in_lisbon, frozen):
    with pytest.raises(BadInput) as refused:
        snooze_until(in_lisbon, "whenever", field="until")
    assert refused.value.field == "until"
