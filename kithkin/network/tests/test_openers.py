"""The rekindle opener: a sentence for each thing known, never one for what is not."""

from datetime import UTC, datetime, timedelta

import pytest

from kithkin.exchanges.services import save_resource
from kithkin.network.openers import Facts, LastTouch, opener, opener_facts, suggestion_for, touch_sentence
from kithkin.testing import NOW, make_person, make_touch

MARCH = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def test_the_last_touch_at_an_event_names_the_event_and_the_month():
    last = LastTouch("coffee", MARCH, 1, event="the Fintech Breakfast")
    assert touch_sentence(last, NOW) == "It's been a while since our coffee at the Fintech Breakfast in March."


def test_several_coffees_are_our_coffees():
    assert "our coffees" in touch_sentence(LastTouch("coffee", MARCH, 12), NOW)


def test_a_touch_over_a_year_ago_gives_the_year():
    assert "in March 2024" in touch_sentence(LastTouch("call", MARCH.replace(year=2024), 1), NOW)


def test_someone_never_touched_gets_no_made_up_meeting():
    text = opener(Facts(first_name="Aki"), NOW)
    assert text.startswith("Hi Aki,\n\n")
    assert "our " not in text and "0 " not in text


def test_only_the_facts_that_exist_become_sentences():
    bare = opener(Facts("Fran", LastTouch("coffee", MARCH, 1), silence_days=30, usual_days=14), NOW)
    assert "advice" not in bare and "congratulations" not in bare and "interest" not in bare
    full = opener(
        Facts(
            "Fran",
            LastTouch("coffee", MARCH, 1),
            advice="price by value, not by cost.",
            milestone="joined Adyen as head of product",
            interest="pricing",
            resource_title="Pricing 101",
            resource_url="https://example.com/pricing",
            silence_days=30,
            usual_days=14,
        ),
        NOW,
    )
    assert "your advice (price by value, not by cost)" in full
    assert "joined Adyen as head of product" in full
    assert "“Pricing 101”" in full and "https://example.com/pricing" in full


def test_advice_whose_loop_you_closed_is_thanked_for_rather_than_reported_on():
    text = opener(Facts("Fran", advice="ship weekly", advice_loop_closed=True), NOW)
    assert "grateful" in text and "how it went" not in text


@pytest.mark.parametrize(
    ("silence", "usual", "in_person", "suggested"),
    [
        (30, 14, True, "message"),
        (200, 14, True, "coffee"),
        (200, 14, False, "call"),
        (100, 20, True, "coffee"),  # past four usual intervals
        (None, 90, False, "call"),
    ],
)
def test_after_a_long_silence_it_suggests_meeting_rather_than_a_message(silence, usual, in_person, suggested):
    facts = Facts("Fran", silence_days=silence, usual_days=usual, met_in_person=in_person)
    assert suggestion_for(facts) == suggested


def test_the_facts_come_from_touches_milestones_interests_and_unshared_resources(alice, frozen):
    from kithkin.people.models import Milestone

    fran = make_person(alice, "Fran Ortega", interests=["Pricing"])
    make_touch(alice, fran, "coffee", NOW - timedelta(days=100), advice="raise your prices")
    make_touch(alice, fran, "coffee", NOW - timedelta(days=60))
    Milestone.objects.create(
        owner=alice,
        person=fran,
        kind="new_job",
        text="joined Adyen",
        happened_on=(NOW - timedelta(days=20)).date(),
        created_at=NOW,
    )
    save_resource(alice, "https://example.com/pricing", title="Pricing 101", topics=["pricing"])
    facts = opener_facts(alice, [fran], {fran.pk: (60.0, 40.0)}, now=NOW)[fran.pk]
    assert facts.last_touch is not None and facts.last_touch.same_kind == 2
    assert facts.met_in_person and facts.advice == "raise your prices" and not facts.advice_loop_closed
    assert facts.milestone == "joined Adyen"
    assert (facts.interest, facts.resource_title) == ("Pricing", "Pricing 101")
