"""The weekly routine: progress on the three targets, the streak of weeks met, the review."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.accounts.services import update_settings
from kithkin.core.errors import BadInput
from kithkin.exchanges.services import record_ask, record_exchange
from kithkin.followups.models import FollowUp
from kithkin.followups.services import complete_follow_up, skip_follow_up
from kithkin.goals.week import recent_weeks, routine, week_progress, week_review
from kithkin.introductions.services import propose_introduction, step_introduction
from kithkin.people.models import HistoryEntry
from kithkin.testing import NOW, UTC, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")

# NOW is Sunday 22 November 2026: this week began on Monday the 16th.
MONDAY = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)


def a_good_week(owner, monday: datetime, n: int) -> None:
    """One new person met, one touch and one give in the week starting ``monday``."""
    person = make_person(owner, f"Met {n}", met_on=monday.date() + timedelta(days=2))
    make_touch(owner, person, "call", monday + timedelta(days=2, hours=10))
    record_exchange(owner, person, "gave", f"A link {n}", kind="resource", on=monday.date() + timedelta(days=3))


@pytest.fixture
def one_of_each(alice):
    update_settings(alice, weekly_touch_goal=2, weekly_new_people_goal=1, weekly_gives_goal=1)
    return alice


def test_the_week_counts_touches_new_people_and_gives_since_monday(one_of_each, alice):
    ana = make_person(alice, "Ana Ruiz", met_on=date(2026, 11, 10))  # met last week
    make_touch(alice, ana, "call", MONDAY + timedelta(minutes=30))
    make_touch(alice, ana, "email", MONDAY - timedelta(minutes=30))  # Sunday night: last week
    record_exchange(alice, ana, "gave", "An intro to Bo", kind="intro", on=date(2026, 11, 20))
    progress = week_progress(alice)
    assert (progress.first_day, progress.last_day) == (date(2026, 11, 16), date(2026, 11, 22))
    # The give counts as a touch too.
    assert [(t.name, t.done, t.goal) for t in progress.targets] == [
        ("touches", 2, 2),
        ("new people", 0, 1),
        ("gives", 1, 1),
    ]
    assert not progress.is_met
    assert week_progress(alice, weeks_ago=1).target("new people").done == 1


def test_the_week_follows_the_users_time_zone(one_of_each, alice):
    update_settings(alice, time_zone="Asia/Tokyo")  # Monday 00:00 in Tokyo is Sunday 15:00 UTC
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "call", datetime(2026, 11, 15, 16, 0, tzinfo=UTC))
    assert week_progress(alice).target("touches").done == 1


def test_imported_people_without_a_met_day_are_not_new_this_week(one_of_each, alice):
    ana = make_person(alice, "Ana Ruiz")
    bo = make_person(alice, "Bo Chen")
    HistoryEntry.objects.create(owner=alice, person=bo, kind="imported", text="Imported", happened_at=NOW)
    make_person(alice, "Cy Wants", is_prospect=True, why="Runs payments")
    assert [p.full_name for p in week_review(alice).new_people] == [ana.full_name]


def test_the_streak_counts_weeks_in_a_row_with_every_target_met(one_of_each, alice):
    update_settings(alice, weekly_touch_goal=1)
    for n, weeks_ago in enumerate([1, 2, 3, 5]):  # week 4 missed: the run stops there
        a_good_week(alice, MONDAY - timedelta(weeks=weeks_ago), n)
    found = routine(alice)
    assert not found.week.is_met and found.streak == 3  # this week is still going
    a_good_week(alice, MONDAY, 9)
    found = routine(alice)
    assert found.week.is_met and found.streak == 4 and not found.is_longest_shown


def test_a_past_week_short_of_touches_breaks_the_streak(one_of_each, alice):
    a_good_week(alice, MONDAY - timedelta(weeks=1), 1)  # two touches: the give's and the call
    a_good_week(alice, MONDAY - timedelta(weeks=2), 2)
    update_settings(alice, weekly_touch_goal=3)
    assert routine(alice).streak == 0
    update_settings(alice, weekly_touch_goal=2)
    assert routine(alice).streak == 2


def test_with_every_target_off_there_is_no_routine(alice):
    update_settings(alice, weekly_touch_goal=0, weekly_new_people_goal=0, weekly_gives_goal=0)
    assert routine(alice) is None


def test_the_routine_takes_the_same_few_queries_whatever_the_streak(one_of_each, alice):
    routine(alice)
    with CaptureQueriesContext(connection) as none:
        assert routine(alice).streak == 0
    update_settings(alice, weekly_touch_goal=1)
    for n in range(1, 8):
        a_good_week(alice, MONDAY - timedelta(weeks=n), n)
    routine(alice)
    with CaptureQueriesContext(connection) as long:
        assert routine(alice).streak == 7
    assert len(long) <= len(none) + 1 <= 5


def test_thank_yous_sent_within_24_hours_make_the_discipline_share(one_of_each, alice, frozen):
    ana = make_person(alice, "Ana Ruiz")
    bo = make_person(alice, "Bo Chen")
    cy = make_person(alice, "Cy Twombly")
    dee = make_person(alice, "Dee Park")
    make_touch(alice, ana, "coffee", MONDAY + timedelta(days=1, hours=12))  # due Wednesday noon
    make_touch(alice, bo, "coffee", MONDAY + timedelta(days=2, hours=12))  # due Thursday noon
    make_touch(alice, cy, "coffee", MONDAY + timedelta(days=3, hours=12))  # due Friday noon
    make_touch(alice, dee, "coffee", MONDAY + timedelta(days=4, hours=12))  # due Saturday noon
    thanks = {f.person_id: f for f in FollowUp.objects.for_owner(alice).filter(kind=FollowUp.Kind.THANK_YOU)}
    complete_follow_up(alice, thanks[ana.pk], now=MONDAY + timedelta(days=1, hours=20))
    complete_follow_up(alice, thanks[bo.pk], now=MONDAY + timedelta(days=4))
    skip_follow_up(alice, thanks[cy.pk], now=MONDAY + timedelta(days=4))
    d = week_review(alice).discipline
    assert (d.due, d.on_time, d.late, d.skipped, d.waiting, d.share) == (4, 1, 1, 1, 1, 25)
    assert week_review(alice, weeks_ago=1).discipline.share is None


def test_the_review_lists_gives_asks_help_and_introductions_of_the_week(one_of_each, alice, frozen):
    ana = make_person(alice, "Ana Ruiz")
    bo = make_person(alice, "Bo Chen")
    record_exchange(alice, ana, "gave", "A lead", kind="referral", on=date(2026, 11, 17))
    record_exchange(alice, bo, "got", "Advice on pricing", kind="advice", on=date(2026, 11, 18))
    record_exchange(alice, ana, "gave", "Last week's", on=date(2026, 11, 13))
    record_ask(alice, bo, "An intro to Globex", on=date(2026, 11, 19))
    intro = propose_introduction(alice, ana, bo, "Both in payments", now=MONDAY + timedelta(hours=9))
    for action in ("ask-a", "a-yes", "ask-b", "b-yes", "introduce"):
        step_introduction(alice, intro, action, now=MONDAY + timedelta(days=1))
    review = week_review(alice)
    assert [e.what for e in review.gives if e.introduction_id is None] == ["A lead"]
    assert [e.what for e in review.received] == ["Advice on pricing"]
    assert [a.what for a in review.asks] == ["An intro to Globex"]
    assert [(i.person_a, i.person_b) for i in review.introductions] == [(ana, bo)]
    assert review.is_this_week and review.touch_count == review.progress.target("touches").done


def test_a_week_too_far_back_is_refused(alice):
    with pytest.raises(BadInput):
        week_review(alice, weeks_ago=-1)


def test_recent_weeks_are_newest_first_in_three_queries(one_of_each, alice, django_assert_num_queries):
    a_good_week(alice, MONDAY - timedelta(weeks=2), 1)
    routine(alice)  # the profile is loaded
    with django_assert_num_queries(3):
        weeks = recent_weeks(alice, count=4)
    assert [w.first_day for w in weeks] == [
        date(2026, 11, 16),
        date(2026, 11, 9),
        date(2026, 11, 2),
        date(2026, 10, 26),
    ]
    assert [w.target("gives").done for w in weeks] == [0, 0, 1, 0]
    assert [w.target("touches").done for w in weeks] == [0, 0, 2, 0]


def test_the_weeks_counts_are_kept_until_something_they_count_changes(one_of_each, alice, django_assert_num_queries):
    routine(alice), recent_weeks(alice), week_progress(alice)
    with django_assert_num_queries(0):
        assert routine(alice).week.target("touches").done == 0
        assert recent_weeks(alice)[0].target("touches").done == 0
        assert week_progress(alice).target("touches").done == 0
    ana = make_person(alice, "Ana Ruiz", met_on=MONDAY.date())
    assert routine(alice).week.target("new people").done == 1
    touch = make_touch(alice, ana, "call", MONDAY + timedelta(hours=9))
    assert recent_weeks(alice)[0].target("touches").done == 1
    give = record_exchange(alice, ana, "gave", "A link", kind="resource", on=MONDAY.date())
    assert week_progress(alice).target("gives").done == 1
    found = routine(alice)  # the give is a touch too: every target met
    assert found.week.is_met and found.streak == 1
    give.delete()
    touch.delete()
    found = routine(alice)
    assert [t.done for t in found.week.targets] == [1, 1, 0] and found.streak == 0
    HistoryEntry.objects.create(owner=alice, person=ana, kind="imported", text="Imported", happened_at=NOW)
    ana.met_on = None
    ana.save()
    assert routine(alice).week.target("new people").done == 0
    update_settings(alice, weekly_touch_goal=7)
    assert routine(alice).week.target("touches").goal == 7


def test_one_owners_kept_counts_are_not_anothers(one_of_each, alice, bob):
    update_settings(bob, weekly_touch_goal=2, weekly_new_people_goal=1, weekly_gives_goal=1)
    routine(alice), routine(bob)
    make_touch(bob, make_person(bob, "Bo Chen"), "call", MONDAY + timedelta(hours=9))
    assert routine(bob).week.target("touches").done == 1
    assert routine(alice).week.target("touches").done == 0


# Issue 13, item 21e
def test_a_thank_you_sent_before_it_falls_due_counts_as_on_time_in_the_review(alice, frozen):
    friday = MONDAY + timedelta(days=4, hours=9)
    frozen.move_to(friday)
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "coffee", friday - timedelta(hours=1))  # due Saturday 08:00
    (thanks,) = FollowUp.objects.for_owner(alice).filter(kind=FollowUp.Kind.THANK_YOU)
    complete_follow_up(alice, thanks)
    d = week_review(alice).discipline
    assert (d.due, d.on_time, d.late, d.share) == (1, 1, 0, 100)
