"""The issue's three people, through the services: strength, trend and status as the network
changes, with time frozen."""

from datetime import timedelta

import pytest

from kithkin.interactions.models import Touch
from kithkin.network.models import Strength
from kithkin.network.services import assess_person, order_by_strength, person_strength, refresh_strengths
from kithkin.network.tests.scenarios import three_ties
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def three(alice):
    return three_ties(alice)


def test_an_acquaintance_met_once_long_ago_is_weaker_than_a_friend_or_a_colleague(alice, three):
    friend, colleague, acquaintance = three
    weakest = assess_person(alice, acquaintance).strength
    assert weakest < assess_person(alice, friend).strength
    assert weakest < assess_person(alice, colleague).strength


def test_a_friend_gone_quiet_for_four_months_is_fading_and_dormant(alice, three):
    friend, _colleague, _acquaintance = three
    found = assess_person(alice, friend)
    assert found.trend == "fading"
    assert found.status in {"at_risk", "dormant"}


def test_a_colleague_called_every_month_is_active_and_not_fading(alice, three):
    _friend, colleague, _acquaintance = three
    found = assess_person(alice, colleague)
    assert found.status == "active"
    assert found.trend != "fading"


def test_a_coffee_today_with_the_quiet_friend_raises_their_strength_and_turns_them_rising(alice, three):
    friend, _colleague, _acquaintance = three
    before = assess_person(alice, friend)
    make_touch(alice, friend, "coffee", NOW - timedelta(hours=1))
    after = assess_person(alice, friend)
    assert after.strength > before.strength
    assert after.trend == "rising"
    assert after.status == "active"


def test_strength_falls_as_days_pass_without_the_row_being_written(alice, three, frozen):
    friend, _colleague, _acquaintance = three
    written = Strength.objects.get(person=friend).computed_at
    today = assess_person(alice, friend).strength
    frozen.shift(timedelta(days=90))
    assert assess_person(alice, friend).strength < today
    assert Strength.objects.get(person=friend).computed_at == written


def test_working_out_everyone_from_scratch_gives_what_the_hooks_kept(alice, three):
    kept = {row.person_id: (row.log_key, row.peak, row.usual) for row in Strength.objects.all()}
    refresh_strengths(alice)
    again = {row.person_id: (row.log_key, row.peak, row.usual) for row in Strength.objects.all()}
    assert again.keys() == kept.keys()
    for pk, (key, peak, usual) in kept.items():
        assert again[pk][0] == pytest.approx(key)
        assert again[pk][1:] == pytest.approx((peak, usual))


def test_people_sort_strongest_first_with_no_history_last(alice, three):
    friend, colleague, acquaintance = three
    never = make_person(alice, "Nev Er")
    ordered = list(order_by_strength(Person.objects.for_owner(alice), NOW))
    assert ordered[-1] == never
    assert ordered.index(acquaintance) > ordered.index(friend)
    assert ordered.index(acquaintance) > ordered.index(colleague)


def test_the_person_page_says_why_a_tie_counts(alice, three):
    friend, _colleague, _acquaintance = three
    shown = person_strength(alice, friend)
    assert any("coffee" in reason for reason in shown.why)
    assert len(shown.why) <= 3
    assert len(shown.curve) == 25
    assert shown.curve[-1] < max(shown.curve)


def test_help_received_counts_and_an_introduction_is_named(alice):
    from kithkin.exchanges.services import record_introduction

    ana = make_person(alice, "Ana Ruiz")
    bo = make_person(alice, "Bo Chen")
    record_introduction(alice, ana, bo, now=NOW)
    shown = person_strength(alice, ana)
    assert shown.assessment.strength > 0
    assert "Ana introduced you to Bo Chen" in shown.why


def test_strength_is_scoped_to_its_owner(alice, bob, three):
    assert Strength.objects.for_owner(bob).count() == 0
    assert Strength.objects.for_owner(alice).count() == 3


def test_a_tie_worked_out_again_is_rewritten_in_place_and_one_with_no_history_left_goes(alice, three):
    friend, colleague, _acquaintance = three
    row = Strength.objects.get(person=friend)
    Touch.objects.for_owner(alice).filter(participants__person=colleague).delete()
    make_touch(alice, friend, "call", NOW - timedelta(hours=1))
    refresh_strengths(alice, [friend.pk, colleague.pk])
    again = Strength.objects.get(person=friend)
    assert (again.pk, again.events) == (row.pk, row.events + 1)
    assert not Strength.objects.filter(person=colleague).exists()
