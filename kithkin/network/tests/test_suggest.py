"""Suggested introductions: whose need meets whose offer, interest, role or organization."""

from datetime import timedelta

import pytest

from kithkin.core.errors import BadInput, NotFound
from kithkin.exchanges.matching import Hit
from kithkin.introductions.models import DeclinedMatch, Introduction
from kithkin.introductions.services import decline_match, propose_introduction, step_introduction
from kithkin.network.suggest import propose_suggestion, suggestion_between, suggestions
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def cy_and_dee(alice):
    cy = make_person(alice, "Cy Ng", needs=["a senior designer"])
    dee = make_person(alice, "Dee Park", offers=["product design mentoring"])
    return cy, dee


def pairs(found):
    return [(s.person.full_name, s.helper.full_name) for s in found]


def test_a_need_meets_an_offer_that_shares_its_stem_with_the_reason_in_a_sentence(alice, cy_and_dee):
    cy, dee = cy_and_dee
    [found] = suggestions(alice)
    assert (found.person, found.helper, found.need) == (cy, dee, "a senior designer")
    assert found.reason == "Cy needs a senior designer; Dee offers product design mentoring."
    assert found.matches == (Hit("offer", "product design mentoring"),)


def test_a_role_an_interest_or_an_organization_meets_a_need_too(alice):
    bo = make_person(alice, "Bo Chen", needs=["hiring a data engineer"])
    eve = make_person(alice, "Eve Stone", title="Data Engineer", organization="Globex")
    finn = make_person(alice, "Finn Lee", interests=["data engineering"])
    gil = make_person(alice, "Gil Roy", organization="Data Engines Ltd")
    hal = make_person(alice, "Hal Oz", title="Accountant")
    assert suggestion_between(alice, bo, eve).reason == "Bo is hiring a data engineer; Eve is Data Engineer at Globex."
    assert suggestion_between(alice, finn, bo).reason == (
        "Bo is hiring a data engineer; Finn is interested in data engineering."
    )
    assert suggestion_between(alice, bo, gil).reason == "Bo is hiring a data engineer; Gil works at Data Engines Ltd."
    assert suggestion_between(alice, bo, hal) is None


def test_an_offer_and_a_title_that_both_meet_are_both_said(alice):
    bo = make_person(alice, "Bo Chen", needs=["a mentor in design leadership"])
    dee = make_person(alice, "Dee Park", title="Head of Design", offers=["happy to mentor juniors"])
    assert suggestion_between(alice, bo, dee).reason == (
        "Bo needs a mentor in design leadership; Dee is happy to mentor juniors and is Head of Design."
    )


def test_one_person_is_in_at_most_two_of_the_suggestions_shown(alice):
    make_person(alice, "Dee Park", offers=["design reviews"])
    for name in ("Ana Ruiz", "Bo Chen", "Cy Ng"):
        make_person(alice, name, needs=["a designer"])
    found = suggestions(alice)
    assert [s.helper.full_name for s in found] == ["Dee Park", "Dee Park"]


def test_stronger_ties_with_both_rank_first(alice):
    far = make_person(alice, "Ana Ruiz", needs=["a good accountant"])
    near = make_person(alice, "Bo Chen", needs=["a tax accountant"])
    helper = make_person(alice, "Carla Diaz", title="Accountant")
    for _ in range(3):
        make_touch(alice, [near, helper], "coffee", NOW - timedelta(days=3))
    found = suggestions(alice)
    assert pairs(found) == [("Bo Chen", "Carla Diaz"), ("Ana Ruiz", "Carla Diaz")]
    assert found[0].person_strength > 0 and found[0].helper_strength > 0
    assert found[1].person_strength == 0
    assert [s.person for s in suggestions(alice, limit=1)] == [near]
    assert far.pk  # the weaker pair is still suggested, only lower


def test_pairs_already_introduced_in_any_state_and_either_order_are_left_out(alice, cy_and_dee):
    cy, dee = cy_and_dee
    intro = propose_introduction(alice, cy, dee, "design")
    assert suggestions(alice) == []
    step_introduction(alice, intro, "drop")
    assert suggestions(alice) == []


def test_prospects_and_a_person_with_themselves_are_never_suggested(alice):
    make_person(alice, "Cy Ng", needs=["a senior designer"], offers=["design reviews"])
    make_person(alice, "Pat Prospect", title="Designer", is_prospect=True, why="Runs a studio")
    assert suggestions(alice) == []


def test_not_a_good_match_hides_the_pair_for_good(alice, cy_and_dee):
    cy, dee = cy_and_dee
    hidden = decline_match(alice, dee, cy)
    assert (hidden.first_id, hidden.second_id) == (min(cy.pk, dee.pk), max(cy.pk, dee.pk))
    assert decline_match(alice, cy, dee) == hidden
    make_touch(alice, [cy, dee], "coffee")
    assert suggestions(alice) == []
    assert suggestion_between(alice, cy, dee) is not None  # asked for by name, it still reads


def test_another_users_network_is_never_read(alice, bob, cy_and_dee):
    make_person(bob, "Bob's Designer", title="Senior Designer")
    make_person(bob, "Bob's Cy", needs=["a senior designer"])
    assert pairs(suggestions(alice)) == [("Cy Ng", "Dee Park")]
    assert pairs(suggestions(bob)) == [("Bob's Cy", "Bob's Designer")]


def test_proposing_a_suggestion_creates_the_introduction_at_proposed_asking_the_helper_first(alice, cy_and_dee):
    cy, dee = cy_and_dee
    intro = propose_suggestion(alice, cy, dee)
    assert intro.state == Introduction.State.PROPOSED
    assert (intro.person_a, intro.person_b) == (dee, cy)
    assert intro.why == "Cy needs a senior designer; Dee offers product design mentoring."
    assert suggestions(alice) == []


def test_proposing_two_people_nothing_of_whom_meets_says_so_and_changes_nothing(alice, cy_and_dee):
    cy, _dee = cy_and_dee
    other = make_person(alice, "Eve Stone", title="Accountant")
    with pytest.raises(BadInput, match="nothing Cy Ng needs meets Eve Stone"):
        propose_suggestion(alice, cy, other)
    assert not Introduction.objects.exists()


def test_another_users_people_cannot_be_proposed_or_hidden(alice, bob, cy_and_dee):
    cy, _dee = cy_and_dee
    theirs = make_person(bob, "Bob's Designer", offers=["design mentoring"])
    with pytest.raises(NotFound):
        propose_suggestion(alice, cy, theirs)
    with pytest.raises(NotFound):
        decline_match(alice, cy, theirs)
    assert not Introduction.objects.exists() and not DeclinedMatch.objects.exists()


def test_a_limit_below_one_is_refused(alice):
    with pytest.raises(BadInput, match="limit"):
        suggestions(alice, limit=0)
