"""Today: what is due, worded for today; birthdays; the week's progress; recent touches; first run."""

from datetime import date, timedelta

import pytest

from kithkin.followups.models import FollowUp
from kithkin.followups.services import headline
from kithkin.people.services import upcoming_birthdays
from kithkin.testing import NOW, UTC, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.mark.parametrize(
    ("ago", "kind", "expected"),
    [
        (timedelta(hours=2), "coffee", "Thank Ana for today's coffee"),
        (timedelta(days=1), "meal", "Thank Ana for yesterday's meal"),
        (timedelta(days=5), "coffee", "Thank Ana for Tuesday's coffee"),
        (timedelta(days=6), "informational_interview", "Thank Ana for Monday's informational interview"),
        (timedelta(days=9), "meeting", "Thank Ana for the meeting on Friday 13 November"),
    ],
)
def test_the_drafted_sentence_reads_as_you_would_say_it_today(alice, ago, kind, expected):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, kind, NOW - ago, thank=True)
    thanks = FollowUp.objects.select_related("person", "touch").get(kind="thank_you")
    assert headline(thanks, NOW, UTC) == expected


def test_close_the_loop_and_check_in_sentences(alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2), advice="Talk to customers")
    rows = {f.kind: f for f in FollowUp.objects.select_related("person", "touch")}
    assert headline(rows["close_loop"], NOW, UTC) == "Tell Ana how you used their advice from Friday's coffee"
    assert headline(rows["check_in"], NOW, UTC) == "Check in with Ana: last in touch 2 days ago"


def test_someone_born_on_29_february_celebrates_on_the_28th_in_other_years(alice):
    leap = make_person(alice, "Lea Pyear", birthday=date(2000, 2, 29))
    (found,), total = upcoming_birthdays(alice, date(2027, 2, 20))
    assert (found.person, found.on, found.age, total) == (leap, date(2027, 2, 28), 27, 1)
    (in_a_leap_year,), _ = upcoming_birthdays(alice, date(2028, 2, 20))
    assert in_a_leap_year.on == date(2028, 2, 29)
