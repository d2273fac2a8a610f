"""Goals: their targets, whom the user knows there, and the next thing to do."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.core.errors import BadInput, NotFound
from kithkin.exchanges.services import record_ask, record_exchange
from kithkin.goals.models import GoalOrganization, GoalPerson
from kithkin.goals.services import (
    add_goal,
    complete_goal,
    edit_goal,
    find_goal,
    goal_overview,
    goal_summaries,
    goals_of,
    reopen_goal,
)
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def acme(alice):
    """Alice's network at Acme: Bo (inner, in touch yesterday), Ana (close, two months ago),
    Cy (an acquaintance, never in touch), and Dee, who used to work there."""
    bo = make_person(alice, "Bo Chen", organization="Acme", closeness="inner")
    ana = make_person(alice, "Ana Ruiz", organization="Acme", closeness="close", title="Engineering manager")
    cy = make_person(alice, "Cy Twombly", organization="Acme", closeness="acquaintance")
    dee = make_person(alice, "Dee Park", organization="Acme")
    edit_person(alice, dee, PersonChanges(organization="Initech"))
    dee.refresh_from_db()
    make_touch(alice, ana, "coffee", NOW - timedelta(days=60))
    make_touch(alice, bo, "call", NOW - timedelta(days=1))
    return {"bo": bo, "ana": ana, "cy": cy, "dee": dee}


def test_a_goal_lists_whom_the_user_knows_at_each_target_strongest_first(alice, acme):
    goal = add_goal(alice, "A way into Acme", organizations=["Acme", "acme ", "Globex"], pitch="I build payments")
    overview = goal_overview(alice, goal)
    assert [t.organization.name for t in overview.organizations] == ["Acme", "Globex"]
    at_acme, at_globex = overview.organizations
    assert [p.full_name for p in at_acme.people] == ["Bo Chen", "Ana Ruiz", "Cy Twombly"]
    assert at_acme.count == 3 and at_acme.more == 0
    assert [pos.person.full_name for pos in at_acme.former] == ["Dee Park"]
    assert at_globex.people == [] and at_globex.count == 0
    assert goal.pitch == "I build payments"


def test_the_next_step_is_the_strongest_tie_there_not_in_touch_lately(alice, acme):
    goal = add_goal(alice, "A way into Acme", organizations=["Acme"])
    step = goal_overview(alice, goal).next_step
    # Bo is closer but was in touch yesterday: ask Ana.
    assert step.person == acme["ana"]
    assert step.text == "Ask Ana (close, last in touch 2 months ago) for a way into Acme"


def test_with_no_one_known_there_the_next_step_is_to_find_a_way_to_a_prospect(alice):
    goal = add_goal(alice, "Move into finance", new_prospects=["Zed Banker"])
    overview = goal_overview(alice, goal)
    (zed,) = overview.prospects
    assert zed.is_prospect and zed.why == "For my goal: Move into finance"
    assert overview.next_step.person == zed
    assert overview.next_step.text.startswith("Find a way to meet Zed Banker")


def test_an_empty_goal_says_to_add_targets(alice):
    goal = add_goal(alice, "Find a mentor")
    assert goal_overview(alice, goal).next_step.text.startswith("Add the organizations and people")


def test_recent_touches_gives_and_asks_with_the_goals_people_are_listed(alice, acme):
    other = make_person(alice, "Eve Other", organization="Hooli")
    record_exchange(alice, acme["ana"], "gave", "A lead on a designer", kind="referral")
    record_ask(alice, acme["bo"], "Advice on the interview", kind="advice")
    record_exchange(alice, other, "gave", "Not about Acme")
    make_touch(alice, other, "call", NOW - timedelta(hours=2))
    goal = add_goal(alice, "A way into Acme", organizations=["Acme"])
    overview = goal_overview(alice, goal)
    assert [e.what for e in overview.exchanges] == ["A lead on a designer"]
    assert [a.what for a in overview.asks] == ["Advice on the interview"]
    people_in_touches = {part.person.full_name for t in overview.touches for part in t.participants.all()}
    assert "Eve Other" not in people_in_touches and {"Ana Ruiz", "Bo Chen"} <= people_in_touches


def test_target_people_and_prospects_at_a_target_organization_are_listed(alice, acme):
    yan = make_person(alice, "Yan Prospect", organization="Acme", is_prospect=True, why="Runs payments")
    goal = add_goal(alice, "A way into Acme", organizations=["Acme"], people=[acme["cy"]])
    overview = goal_overview(alice, goal)
    assert overview.people == [acme["cy"]]
    assert overview.prospects == [yan]


def test_the_overview_takes_a_fixed_number_of_queries(alice, acme):
    goal = add_goal(alice, "A way into Acme", organizations=["Acme", "Globex"], people=[acme["ana"]])
    with CaptureQueriesContext(connection) as few:
        goal_overview(alice, goal)
    for n in range(30):
        person = make_person(alice, f"Person {n}", organization="Acme")
        make_touch(alice, person, "call", NOW - timedelta(days=n + 1))
        record_exchange(alice, person, "gave", f"Help {n}")
    with CaptureQueriesContext(connection) as many:
        overview = goal_overview(alice, goal)
    assert len(many) == len(few) <= 13
    assert len(overview.organizations[0].people) == 12 and overview.organizations[0].more == 21


def test_editing_a_goal_adds_and_removes_targets(alice, acme):
    goal = add_goal(alice, "A way into Acme", organizations=["Acme"])
    edit_goal(alice, goal, text="A job at Acme", add_organizations=["Globex"], add_people=[acme["cy"]])
    acme_org = acme["ana"].organization
    edit_goal(alice, goal, remove_organizations=[acme_org.pk])
    goal.refresh_from_db()
    assert goal.text == "A job at Acme"
    assert [r.organization.name for r in GoalOrganization.objects.for_owner(alice)] == ["Globex"]
    assert [r.person for r in GoalPerson.objects.for_owner(alice)] == [acme["cy"]]


def test_a_goal_needs_words_and_at_most_fifty_targets(alice):
    with pytest.raises(BadInput) as refused:
        add_goal(alice, "   ")
    assert refused.value.field == "TEXT"
    with pytest.raises(BadInput, match="at most 50"):
        add_goal(alice, "Everywhere", organizations=[f"Org {n}" for n in range(51)])


def test_someone_elses_person_cannot_be_a_target(alice, bob):
    bobs = make_person(bob, "Bo Chen")
    with pytest.raises(NotFound):
        add_goal(alice, "A way in", people=[bobs])


def test_goals_are_found_by_id_or_words_and_achieved_ones_sort_last(alice, bob):
    finance = add_goal(alice, "Move into finance")
    acme = add_goal(alice, "A way into Acme")
    add_goal(bob, "Bob's finance goal")
    assert find_goal(alice, f"#{finance.pk}") == finance and find_goal(alice, "acme") == acme
    with pytest.raises(NotFound):
        find_goal(alice, "bob's")
    complete_goal(alice, acme)
    with pytest.raises(BadInput, match="already achieved"):
        complete_goal(alice, acme)
    assert [s.goal.text for s in goal_summaries(alice)] == ["Move into finance", "A way into Acme"]
    assert [s.goal for s in goal_summaries(alice, include_achieved=False)] == [finance]
    reopen_goal(alice, acme)
    assert goal_summaries(alice)[0].goal == acme


def test_a_persons_goals_include_those_about_their_organization(alice, acme):
    goal = add_goal(alice, "A way into Acme", organizations=["Acme"])
    direct = add_goal(alice, "Learn from Dee", people=[acme["dee"]])
    assert goals_of(alice, acme["ana"]) == [goal]
    assert goals_of(alice, acme["dee"]) == [direct]
    complete_goal(alice, goal)
    assert goals_of(alice, acme["ana"]) == []


def test_summaries_count_the_people_known_at_the_targets(alice, acme):
    make_person(alice, "Zed Prospect", organization="Acme", is_prospect=True, why="x")
    add_goal(alice, "A way into Acme", organizations=["Acme"])
    (summary,) = goal_summaries(alice)
    assert summary.known == 3
    assert Person.objects.for_owner(alice).filter(organization__name="Acme").count() == 4
