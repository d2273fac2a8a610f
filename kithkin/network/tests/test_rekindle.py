"""Rekindle: which quiet ties are worth reviving, in what order, and what the user does about them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.core.errors import NotFound
from kithkin.goals.services import add_goal
from kithkin.network.rekindle import keep_in_mind, let_go, reached_out, rekindle_list, rekindle_score, snooze_rekindle
from kithkin.network.services import refresh_strengths
from kithkin.network.tests.scenarios import three_ties
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def three(alice):
    return three_ties(alice)


def names(owner, **kwargs):
    return [c.person.full_name for c in rekindle_list(owner, **kwargs)]


def test_the_quiet_friend_is_first_with_an_opener_about_your_coffees_and_the_colleague_is_absent(alice, three):
    found = rekindle_list(alice)
    assert found[0].person.full_name == "Fran Ortega"
    assert "coffees" in found[0].opener
    assert found[0].opener.startswith("Hi Fran,")
    assert found[0].assessment.status in {"at_risk", "dormant"}
    assert "Cole Baptiste" not in names(alice)


def test_a_coffee_today_takes_the_friend_off_the_list(alice, three):
    friend, _colleague, _acquaintance = three
    make_touch(alice, friend, "coffee", NOW - timedelta(hours=1))
    assert "Fran Ortega" not in names(alice)


def test_reaching_out_logs_a_touch_you_started_and_takes_them_off(alice, three):
    friend, _colleague, _acquaintance = three
    touch = reached_out(alice, friend, now=NOW)
    assert touch.kind == "message" and touch.initiated_by == "me"
    assert "Fran Ortega" not in names(alice)


def test_snoozing_keeps_them_off_for_a_quarter_then_they_come_back(alice, three, frozen):
    friend, _colleague, _acquaintance = three
    choice = snooze_rekindle(alice, friend, now=NOW)
    assert choice.snoozed_until == NOW + timedelta(days=91)
    assert "Fran Ortega" not in names(alice)
    frozen.shift(timedelta(days=92))
    assert "Fran Ortega" in names(alice)


def test_letting_go_removes_them_until_you_keep_them_in_mind_again(alice, three):
    friend, _colleague, _acquaintance = three
    let_go(alice, friend, now=NOW)
    assert "Fran Ortega" not in names(alice)
    keep_in_mind(alice, friend)
    assert "Fran Ortega" in names(alice)


def test_another_users_person_cannot_be_snoozed_or_let_go(alice, bob, three):
    friend, _colleague, _acquaintance = three
    with pytest.raises(NotFound):
        snooze_rekindle(bob, friend, now=NOW)
    with pytest.raises(NotFound):
        let_go(bob, friend, now=NOW)
    assert names(bob) == []


def test_a_thousand_imported_acquaintances_never_touched_are_not_a_flood(alice, three):
    Person.objects.bulk_create(
        Person(owner=alice, full_name=f"Link {k}", closeness="acquaintance", created_at=NOW, updated_at=NOW)
        for k in range(1000)
    )
    assert names(alice) == ["Fran Ortega"]


def test_an_acquaintance_at_a_target_of_your_goals_is_worth_reviving(alice, three):
    make_person(alice, "Ada Adyen", closeness="acquaintance", organization="Adyen")
    add_goal(alice, "a way into Adyen", organizations=["Adyen"], now=NOW)
    found = {c.person.full_name: c for c in rekindle_list(alice)}
    assert "Ada Adyen" in found
    assert any("Adyen" in reason for reason in found["Ada Adyen"].reasons)
    assert found["Ada Adyen"].suggestion == "call"


def test_prospects_are_never_on_the_list(alice):
    add_goal(alice, "a way into Adyen", organizations=["Adyen"], new_prospects=["Pat Prospect"], now=NOW)
    assert "Pat Prospect" not in names(alice)


def test_the_draft_goes_to_their_email_signed_with_your_name(alice, three):
    friend, _colleague, _acquaintance = three
    alice.first_name, alice.last_name = "Alice", "Liddell"
    alice.save()
    friend.emails.create(owner=alice, address="fran@example.com")
    first = rekindle_list(alice)[0]
    assert first.draft.to == ["fran@example.com"]
    assert first.draft.body.endswith("Best,\nAlice Liddell")
    assert first.draft.mailto.startswith("mailto:fran@example.com?subject=")


def test_the_list_is_a_fixed_number_of_queries_whatever_the_network(alice, three):
    def old_friends(start, stop):
        for k in range(start, stop):
            person = make_person(alice, f"Old Friend {k}", circle="friend", interests=["jazz"])
            for j in range(6):
                make_touch(alice, person, "coffee", NOW - timedelta(days=300 + 14 * j), advice="read" if j == 0 else "")
        refresh_strengths(alice)

    def count():
        rekindle_list(alice)  # everyone's relevance is remembered once worked out: count what follows
        with CaptureQueriesContext(connection) as queries:
            rekindle_list(alice)
        return len(queries)

    old_friends(0, 1)
    few = count()
    old_friends(1, 16)
    assert len(rekindle_list(alice)) == 17
    assert count() == few


def test_the_order_is_by_score_then_name(alice):
    for name in ("Zoe Z", "Amy A"):
        person = make_person(alice, name, circle="friend")
        for j in range(6):
            make_touch(alice, person, "coffee", NOW - timedelta(days=200 + 14 * j))
    assert names(alice) == ["Amy A", "Zoe Z"]


def test_closeness_weighs_more_than_silence_and_relevance_adds():
    close = rekindle_score(peak=90, silence_days=120, usual_days=14, relevance_points=0)
    loose = rekindle_score(peak=30, silence_days=400, usual_days=14, relevance_points=0)
    assert close > loose
    assert rekindle_score(peak=30, silence_days=400, usual_days=14, relevance_points=12) > loose


def test_silence_counts_up_to_eight_usual_intervals():
    at_eight = rekindle_score(peak=50, silence_days=8 * 30, usual_days=30, relevance_points=0)
    assert rekindle_score(peak=50, silence_days=80 * 30, usual_days=30, relevance_points=0) == at_eight
    assert rekindle_score(peak=50, silence_days=2 * 30, usual_days=30, relevance_points=0) < at_eight
