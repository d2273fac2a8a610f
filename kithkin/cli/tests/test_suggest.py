"""`kithkin suggest`: the issue's acceptance through the command line, proposing and hiding."""

import pytest

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.introductions.models import Introduction
from kithkin.testing import make_person, make_user, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def me(kithkin):
    return get_or_create_local_owner()


@pytest.fixture
def cy_and_dee(me):
    return (
        make_person(me, "Cy Ng", needs=["a senior designer"]),
        make_person(me, "Dee Park", offers=["product design mentoring"]),
    )


def test_the_pair_is_suggested_with_its_reason_and_proposing_it_creates_a_proposed_introduction(kithkin, cy_and_dee):
    cy, dee = cy_and_dee
    [found] = run_json(kithkin, "suggest")
    assert (found["person"], found["helper"]) == ({"id": cy.pk, "name": "Cy Ng"}, {"id": dee.pk, "name": "Dee Park"})
    assert found["reason"] == "Cy needs a senior designer; Dee offers product design mentoring."
    assert found["matches"] == [{"source": "offer", "text": "product design mentoring"}]
    assert found["strength"] == {"person": 0, "helper": 0}
    proposed = run_json(kithkin, "suggest", "propose", "Cy Ng", "Dee Park")
    assert proposed["state"] == "proposed"
    assert proposed["why"] == found["reason"]
    assert "product design mentoring" in proposed["draft"]["body"]
    assert Introduction.objects.get().state == Introduction.State.PROPOSED
    assert run_json(kithkin, "suggest") == []


def test_the_list_in_words_says_how_to_act_on_each(kithkin, cy_and_dee):
    cy, dee = cy_and_dee
    code, out, _err = kithkin("suggest", "--limit", "5")
    assert code == 0
    assert "Cy needs a senior designer; Dee offers product design mentoring." in out
    assert f"kithkin suggest propose {cy.pk} {dee.pk}" in out


def test_proposing_prints_the_drafted_first_message(kithkin, cy_and_dee):
    code, out, err = kithkin("suggest", "propose", "Dee Park", "Cy Ng")
    assert (code, err) == (0, "")
    assert "Proposed: introduction" in out and "Dee Park → Cy Ng · proposed" in out
    assert "The message to Dee:" in out and "Subject:" in out


def test_hiding_a_pair_keeps_it_off_the_list_for_good(kithkin, cy_and_dee):
    code, out, _err = kithkin("suggest", "hide", "Cy Ng", "Dee Park")
    assert code == 0 and "will not be suggested again" in out
    assert run_json(kithkin, "suggest") == []
    assert kithkin("suggest", "hide", "Dee Park", "Cy Ng")[0] == 0


def test_another_users_person_is_a_clear_error(kithkin, cy_and_dee):
    theirs = make_person(make_user("bob"), "Bob's Designer", offers=["design mentoring"])
    code, _out, err = kithkin("suggest", "propose", "Cy Ng", str(theirs.pk))
    assert code == 1 and f"B: no person has id {theirs.pk}" in err
    assert not Introduction.objects.exists()


def test_two_people_nothing_of_whom_meets_cannot_be_proposed(kithkin, cy_and_dee, me):
    make_person(me, "Eve Stone", title="Accountant")
    code, _out, err = kithkin("suggest", "propose", "Cy Ng", "Eve Stone")
    assert code == 1 and "nothing Cy Ng needs meets Eve Stone" in err
