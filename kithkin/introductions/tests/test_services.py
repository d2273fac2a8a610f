"""The double opt-in steps: states, follow-ups made and closed, gives recorded once."""

from datetime import timedelta

import pytest

from kithkin.core.errors import BadInput, NotFound
from kithkin.exchanges.models import Exchange
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.introductions.models import DeclinedMatch, Introduction
from kithkin.introductions.services import (
    decline_match,
    declined_pairs,
    history,
    next_step,
    parse_state,
    propose_introduction,
    step_introduction,
)
from kithkin.people.merge import merge_people
from kithkin.testing import NOW, make_person, make_user

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def pair(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    bo = make_person(alice, "Bo Chen", emails=["bo@globex.example"])
    return ana, bo


@pytest.fixture
def intro(alice, pair):
    return propose_introduction(alice, *pair, "Bo is hiring a senior designer and Ana is looking")


def pending(alice):
    rows = FollowUp.objects.filter(owner=alice, kind=FollowUp.Kind.INTRODUCTION).exclude(status="done")
    return sorted((f.person.full_name, f.reason, f.due_at) for f in rows.exclude(status="skipped"))


def test_a_proposed_introduction_waits_for_the_user_to_ask_a(alice, intro):
    assert intro.state == Introduction.State.PROPOSED
    assert (intro.created_at, intro.updated_at) == (NOW, NOW)
    assert next_step(intro) == "Ask Ana whether they would like to meet Bo"
    assert pending(alice) == []


def test_asking_a_sets_a_nudge_five_days_later_that_her_answer_closes(alice, intro, frozen):
    step = step_introduction(alice, intro, "ask-a")
    assert step.introduction.state == "asked_a"
    assert step.introduction.asked_a_at == NOW
    assert pending(alice) == [("Ana Ruiz", "Nudge Ana: no answer yet about meeting Bo", NOW + timedelta(days=5))]
    assert [(f.cause, f.cause_key) for f in step.follow_ups] == [(intro, "ask-a")]
    frozen.shift(timedelta(days=2))
    answered = step_introduction(alice, intro, "a-yes")
    assert answered.closed == 1 and answered.introduction.state == "a_agreed"
    assert pending(alice) == []
    assert FollowUp.objects.caused_by(intro, keys=("ask-a",)).get().completed_at == NOW + timedelta(days=2)


def test_a_full_introduction_reaches_the_outcome_with_a_give_to_both_recorded_once(alice, intro, pair):
    ana, bo = pair
    for action in ("ask-a", "a-yes", "ask-b"):
        step_introduction(alice, intro, action)
    assert pending(alice) == [("Bo Chen", "Nudge Bo: no answer yet about meeting Ana", NOW + timedelta(days=5))]
    step_introduction(alice, intro, "b-yes")
    assert pending(alice) == []
    done = step_introduction(alice, intro, "introduce")
    assert done.introduction.state == "introduced"
    assert pending(alice) == [
        ("Ana Ruiz", "Ask Ana how meeting Bo went", NOW + timedelta(days=14)),
        ("Bo Chen", "Ask Bo how meeting Ana went", NOW + timedelta(days=14)),
    ]
    gives = Exchange.objects.filter(owner=alice, introduction=intro)
    assert sorted((g.person_id, g.direction, g.kind, g.what) for g in gives) == sorted(
        [(ana.pk, "gave", "intro", "Introduction to Bo Chen"), (bo.pk, "gave", "intro", "Introduction to Ana Ruiz")]
    )
    # A give is being in touch: it counts as a touch with each of them.
    assert Touch.objects.filter(owner=alice, kind=Touch.Kind.HELP).count() == 2
    with pytest.raises(BadInput):
        step_introduction(alice, intro, "introduce")
    finished = step_introduction(alice, intro, "outcome", text="Bo hired Ana  as lead designer")
    assert finished.closed == 2
    assert (finished.introduction.state, finished.introduction.outcome) == ("done", "Bo hired Ana as lead designer")
    assert pending(alice) == []
    assert gives.count() == 2
    assert [line.what for line in history(finished.introduction)] == [
        "Proposed",
        "Asked Ana",
        "Ana agreed",
        "Asked Bo",
        "Bo agreed",
        "Introduced Ana and Bo",
        "Outcome recorded",
    ]


def test_a_declined_introduction_stops_and_asks_nothing_of_b(alice, intro):
    step_introduction(alice, intro, "ask-a")
    declined = step_introduction(alice, intro, "a-no", text="Too busy until spring")
    assert declined.introduction.state == "a_declined"
    assert declined.introduction.outcome == "Too busy until spring"
    assert declined.introduction.asked_b_at is None
    assert pending(alice) == []
    assert not FollowUp.objects.filter(person__full_name="Bo Chen").exclude(kind="check_in").exists()
    with pytest.raises(BadInput) as refused:
        step_introduction(alice, intro, "ask-b")
    assert refused.value.message == f"introduction #{intro.pk} is 'A declined': it is closed, nothing comes next"
    assert next_step(declined.introduction) == "Ana declined: nothing was asked of Bo"


def test_an_introduction_gone_with_one_of_its_people_leaves_no_nudge_behind(alice, intro):
    step_introduction(alice, intro, "ask-a")
    assert pending(alice) != []

    intro.person_b.delete()

    assert pending(alice) == []
    assert not FollowUp.objects.for_owner(alice).filter(kind=FollowUp.Kind.INTRODUCTION).exists()


def test_b_declining_closes_the_nudge_and_records_no_give(alice, intro):
    for action in ("ask-a", "a-yes", "ask-b"):
        step_introduction(alice, intro, action)
    declined = step_introduction(alice, intro, "b-no")
    assert (declined.introduction.state, declined.closed) == ("b_declined", 1)
    assert FollowUp.objects.caused_by(intro, keys=("ask-b",)).get().status == "done"
    assert pending(alice) == []
    assert not Exchange.objects.filter(owner=alice, introduction=intro).exists()
    assert next_step(declined.introduction) == "Bo declined"


def test_an_impossible_step_names_the_state_and_what_can_come_next(alice, intro):
    step_introduction(alice, intro, "ask-a")
    with pytest.raises(BadInput) as refused:
        step_introduction(alice, intro, "introduce")
    assert refused.value.field == "action"
    assert refused.value.message == f"introduction #{intro.pk} is 'asked A': next is a-yes, a-no or drop"
    assert Introduction.objects.get(pk=intro.pk).state == "asked_a"


def test_actions_are_read_however_they_are_typed_and_unknown_ones_are_listed(alice, intro):
    assert step_introduction(alice, intro, "Ask_A").introduction.state == "asked_a"
    with pytest.raises(BadInput, match="unknown action 'ask-c'; choose one of ask-a, a-yes"):
        step_introduction(alice, intro, "ask-c")


def test_the_outcome_needs_text_and_other_steps_take_none(alice, intro):
    with pytest.raises(BadInput, match="ask-a takes no text"):
        step_introduction(alice, intro, "ask-a", text="hello")
    for action in ("ask-a", "a-yes", "ask-b", "b-yes", "introduce"):
        step_introduction(alice, intro, action)
    with pytest.raises(BadInput) as refused:
        step_introduction(alice, intro, "outcome", text="   ")
    assert refused.value.field == "text"


def test_dropping_skips_whatever_was_waiting(alice, intro):
    for action in ("ask-a", "a-yes", "ask-b"):
        step_introduction(alice, intro, action)
    dropped = step_introduction(alice, intro, "drop", text="Bo's team froze hiring")
    assert dropped.introduction.state == "dropped" and dropped.introduction.dropped_at == NOW
    assert dropped.closed == 1
    assert FollowUp.objects.caused_by(intro, keys=("ask-b",)).get().status == "skipped"
    assert pending(alice) == []
    with pytest.raises(BadInput, match="it is closed"):
        step_introduction(alice, intro, "drop")


def test_an_introduction_needs_two_different_people_and_a_reason(alice, pair):
    ana, bo = pair
    with pytest.raises(BadInput, match="choose two different people"):
        propose_introduction(alice, ana, ana, "why not")
    with pytest.raises(BadInput) as refused:
        propose_introduction(alice, ana, bo, "  ")
    assert refused.value.field == "why"


def test_the_same_pair_cannot_have_two_open_introductions_but_can_after_one_closes(alice, intro, pair):
    ana, bo = pair
    with pytest.raises(BadInput, match=f"already have an open introduction: #{intro.pk}, 'proposed'"):
        propose_introduction(alice, bo, ana, "Again, the other way round")
    step_introduction(alice, intro, "drop")
    assert propose_introduction(alice, bo, ana, "Bo asked me to try again").state == "proposed"


def test_someone_elses_people_and_introductions_are_not_found(alice, bob, intro, pair):
    stranger = make_person(bob, "Sam Stranger")
    with pytest.raises(NotFound):
        propose_introduction(alice, pair[0], stranger, "no")
    with pytest.raises(NotFound):
        step_introduction(bob, intro, "ask-a")
    assert Introduction.objects.get(pk=intro.pk).state == "proposed"


def test_a_state_filter_takes_open_closed_or_one_state():
    assert "asked_a" in parse_state("open") and "done" in parse_state("closed")
    assert parse_state("asked A") == ("asked_a",)
    assert parse_state("outcome recorded") == ("done",)
    with pytest.raises(BadInput, match="unknown state 'finished'"):
        parse_state("finished")


def test_each_owner_has_their_own_introductions(db):
    carol = make_user("carol")
    ana, bo = make_person(carol, "Ana"), make_person(carol, "Bo")
    intro = propose_introduction(carol, ana, bo, "Both run marathons")
    assert intro.owner == carol


def test_a_pair_hidden_as_not_a_good_match_stays_hidden_when_one_of_them_is_merged(alice):
    ana, ana_again = make_person(alice, "Ana Ruiz"), make_person(alice, "Ana R.")
    bo, cy = make_person(alice, "Bo Chen"), make_person(alice, "Cy Ng")
    decline_match(alice, ana_again, bo)
    decline_match(alice, ana_again, ana)
    decline_match(alice, ana, cy)
    decline_match(alice, ana_again, cy)
    merge_people(alice, ana, ana_again)
    assert declined_pairs(alice) == {(min(ana.pk, bo.pk), max(ana.pk, bo.pk)), (ana.pk, cy.pk)}
    assert DeclinedMatch.objects.count() == 2


def test_the_migration_takes_the_ids_out_of_follow_ups_already_made(alice, bob, intro):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps as django_apps
    from django.db import connection

    from kithkin.followups.services import add_reminder

    drop_ids = import_module("kithkin.introductions.migrations.0003_follow_up_reasons_without_ids").drop_ids
    step_introduction(alice, intro, "ask-a")
    nudge = FollowUp.objects.get(owner=alice, kind="introduction")
    FollowUp.objects.filter(pk=nudge.pk).update(reason=f"{nudge.reason} (intro #{intro.pk})")
    other = make_person(bob, "Cy Park")
    kept = add_reminder(bob, other, "Ask Cy about it (intro #3)", NOW + timedelta(days=1))

    drop_ids(django_apps, SimpleNamespace(connection=connection))

    assert FollowUp.objects.get(pk=nudge.pk).reason == "Nudge Ana: no answer yet about meeting Bo"
    assert FollowUp.objects.get(pk=kept.pk).reason == "Ask Cy about it (intro #3)"  # a user's own words
