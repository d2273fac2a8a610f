"""The ranked check-ins: the value function's ordering, and the ranking over the database."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.network import ranking
from kithkin.network.ranking import check_in_value, rank_check_ins
from kithkin.network.signals import Relevance
from kithkin.testing import NOW, make_person, make_touch


def value(**given):
    base = {"strength": 20, "trend": "steady", "status": "active", "overdue_days": 10, "cadence_days": 30}
    return check_in_value(**{**base, **given})


def test_a_fading_strong_tie_comes_before_a_weak_tie_that_is_merely_more_overdue():
    fading, why = value(strength=70, trend="fading", overdue_days=5)
    weak, _ = value(strength=5, overdue_days=900)
    assert fading > weak
    assert why.startswith("strong tie, fading")


def test_someone_you_owe_comes_before_a_weak_tie_that_is_merely_more_overdue():
    owed, why = value(strength=10, found=Relevance(owe_them="Ana helped you on 3 October: the intro to Bo"))
    weak, _ = value(strength=10, overdue_days=900)
    assert owed > weak
    assert why.startswith("Ana helped you on 3 October")


def test_being_more_overdue_counts_but_only_up_to_two_cadences():
    assert value(overdue_days=30)[0] > value(overdue_days=5)[0]
    assert value(overdue_days=60)[0] == value(overdue_days=6000)[0]


def test_overdue_is_counted_in_cadences_so_a_weekly_tie_and_a_yearly_one_compare():
    assert value(overdue_days=14, cadence_days=7)[0] > value(overdue_days=14, cadence_days=180)[0]


def test_a_goal_and_a_need_add_and_say_why():
    plain, _ = value()
    goal, why = value(found=Relevance(goals=("works at Adyen, a target of your goal “a way into Adyen”",)))
    need, _ = value(found=Relevance(needs=("needs a designer: Bo Chen offers design",)))
    assert goal > need > plain
    assert why.startswith("works at Adyen")


def test_a_stronger_tie_is_worth_more_all_else_equal():
    assert value(strength=60)[0] > value(strength=30)[0] > value(strength=0)[0]


def test_a_weak_steady_tie_not_overdue_has_nothing_to_say():
    assert value(strength=5, overdue_days=0) == (2.0, "")


@pytest.mark.usefixtures("frozen")
def test_check_ins_are_ranked_with_a_deterministic_tie_break_and_scoped_to_the_owner(alice, bob):
    people = [make_person(alice, f"Person {i}", closeness="close") for i in range(4)]
    for person in people:
        make_touch(alice, person, "call", NOW - timedelta(days=45))
    make_touch(bob, make_person(bob, "Bob's Friend", closeness="close"), "call", NOW - timedelta(days=300))
    ranked = rank_check_ins(alice, NOW)
    assert ranked.total == 4
    assert [r.follow_up.person.full_name for r in ranked.rows] == [f"Person {i}" for i in range(4)]
    assert [r.rank for r in ranked.rows] == [1, 2, 3, 4]
    top = rank_check_ins(alice, NOW, limit=2, offset=1)
    assert [r.rank for r in top.rows] == [2, 3] and top.total == 4


@pytest.mark.usefixtures("frozen")
def test_ranking_makes_the_same_number_of_queries_for_more_check_ins(alice):
    def add(i):
        person = make_person(alice, f"Person {i}", closeness="close")
        make_touch(alice, person, "coffee", NOW - timedelta(days=40 + i))

    add(0)
    with CaptureQueriesContext(connection) as few:
        rank_check_ins(alice, NOW, limit=5)
    for i in range(1, 30):
        add(i)
    with CaptureQueriesContext(connection) as many:
        ranked = rank_check_ins(alice, NOW, limit=5)
    assert len(ranked.rows) == 5 and ranked.total == 30
    assert len(many) == len(few)


@pytest.mark.usefixtures("frozen")
def test_someone_who_helped_you_lately_ranks_first(alice, monkeypatch):
    people = [make_person(alice, f"Person {i}", closeness="close") for i in range(3)]
    for i, person in enumerate(people):
        make_touch(alice, person, "call", NOW - timedelta(days=60 + 10 * i))
    owed = people[0].pk
    monkeypatch.setattr(
        ranking, "relevance", lambda owner, ids, now: {owed: Relevance(owe_them="helped you in October")}
    )
    first = rank_check_ins(alice, NOW, limit=1).rows[0]
    assert first.follow_up.person_id == owed
    assert "helped you in October" in first.why
