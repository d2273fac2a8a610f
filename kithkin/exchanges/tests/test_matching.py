"""Who a link could help, and what the user could give a person."""

from datetime import timedelta

import pytest

from kithkin.exchanges.matching import (
    HELPER_SOURCES,
    Hit,
    NeedIdea,
    Reason,
    Source,
    candidates_for,
    draft_share_message,
    give_ideas,
    match_reasons,
    need_words,
    offer_ideas,
    stem_word,
    stems,
    topic_keys,
    who_fits,
)
from kithkin.exchanges.services import save_resource, share_resource
from kithkin.people.models import Offer
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_topic_stands_for_its_folded_singular_and_plural():
    assert topic_keys("Marathons") == {"marathons", "marathon"}
    assert topic_keys("Café") >= {"café", "cafe", "cafes"}


def test_the_words_of_a_need_leave_out_the_filler():
    assert need_words("Hiring a senior product designers") == ["hiring", "senior", "product", "designer"]
    assert need_words("looking for an intro to someone") == []


def test_a_link_could_help_people_whose_needs_or_interests_match_best_first_with_why(alice):
    runner = make_person(alice, "Ana Ruiz", closeness="wider", interests=["Marathons"])
    needy = make_person(alice, "Bo Chen", closeness="wider", needs=["a coach for marathons"])
    both = make_person(alice, "Carla Diaz", closeness="wider", interests=["marathon"], needs=["marathon shoes"])
    make_person(alice, "Dee Park", interests=["chess"])
    make_person(alice, "Eve Prospect", interests=["marathons"], is_prospect=True, why="Runs a club")
    found = candidates_for(alice, ["marathons"], NOW)
    assert [(c.person, c.why) for c in found] == [
        (both, "interested in marathon; needs marathon shoes"),
        (needy, "needs a coach for marathons"),
        (runner, "interested in Marathons"),
    ]


def test_closer_people_and_those_not_in_touch_for_a_while_come_first_among_equals(alice):
    wider = make_person(alice, "Ana Ruiz", closeness="wider", interests=["fintech"])
    close = make_person(alice, "Bo Chen", closeness="close", interests=["fintech"])
    recent = make_person(alice, "Carla Diaz", closeness="close", interests=["fintech"])
    make_touch(alice, close, "call", NOW - timedelta(days=100))
    make_touch(alice, recent, "call", NOW - timedelta(days=1))
    found = candidates_for(alice, ["fintech"], NOW)
    assert [c.person for c in found] == [close, recent, wider]
    assert [c.person for c in candidates_for(alice, ["fintech"], NOW, exclude=[close.pk], limit=1)] == [recent]


def test_nobody_matches_another_users_people_or_no_topics(alice, bob):
    make_person(bob, "Bo Bob", interests=["fintech"])
    assert candidates_for(alice, ["fintech"], NOW) == []
    assert match_reasons(alice, []) == {}


def test_the_drafted_message_says_why_it_was_sent(alice):
    ana = make_person(alice, "Ana Ruiz")
    resource, _ = save_resource(alice, "https://example.com/guide", title="Pricing guide", topics=["pricing"])
    assert draft_share_message(ana, resource, Reason(interests=["pricing", "SaaS", "B2B"])) == (
        "Hi Ana, I saw this and thought of your work on pricing and SaaS: Pricing guide https://example.com/guide"
    )
    assert draft_share_message(ana, resource, Reason(needs=["a pricing model"])) == (
        "Hi Ana, I saw this and thought of you (you mentioned a pricing model): Pricing guide https://example.com/guide"
    )


def test_what_to_give_someone_names_people_who_could_meet_their_need(alice):
    bo = make_person(alice, "Bo Chen", needs=["hiring a senior designer"])
    carla = make_person(alice, "Carla Diaz", title="Product Designer", organization="Globex", closeness="close")
    dee = make_person(alice, "Dee Park", offers=["referrals to senior designers"])
    make_person(alice, "Eve Stone", title="Accountant")
    make_person(alice, "Finn Prospect", title="Designer", is_prospect=True, why="Runs a club")
    ideas = give_ideas(alice, bo)
    [idea] = ideas.needs
    assert [h.person for h in idea.helpers] == [dee, carla]
    assert idea.sentence(bo) == (
        "Bo is hiring a senior designer: you know 2 who may help — Dee Park (referrals to senior designers),"
        " Carla Diaz (Product Designer at Globex)"
    )


def test_who_could_meet_a_need_follows_every_change_to_who_they_are(alice):
    bo = make_person(alice, "Bo Chen", needs=["a good accountant"])
    eve = make_person(alice, "Eve Stone", title="Designer", organization="Globex")

    def helpers():
        return [h.person for h in give_ideas(alice, bo).needs[0].helpers]

    assert helpers() == []
    Offer.objects.create(
        owner=alice, person=eve, text="introductions to accountants", key="introductions to accountants"
    )
    assert helpers() == [eve]
    eve.is_prospect = True
    eve.save()
    assert helpers() == []
    carla = make_person(alice, "Carla Diaz", title="Accountant")
    assert helpers() == [carla]


@pytest.mark.parametrize(
    ("need", "lead"),
    [
        ("a good accountant", "Bo needs a good accountant"),
        ("needs a good accountant", "Bo needs a good accountant"),
        ("need a good accountant", "Bo needs a good accountant"),
        ("looking for a flat in Lisbon", "Bo is looking for a flat in Lisbon"),
        ("raising a seed round", "Bo is raising a seed round"),
    ],
)
def test_a_need_reads_as_a_sentence_however_it_was_written(alice, need, lead):
    bo = make_person(alice, "Bo Chen")
    assert NeedIdea(need, [], 0).lead(bo) == lead


def test_a_need_nobody_can_meet_is_still_an_idea(alice):
    bo = make_person(alice, "Bo Chen", needs=["a good accountant"])
    [idea] = give_ideas(alice, bo).needs
    assert idea.helpers == [] and idea.sentence(bo) == "Bo needs a good accountant: nobody you know matches yet."


def test_links_not_yet_sent_that_match_their_interests_or_needs_are_ideas_too(alice):
    bo = make_person(alice, "Bo Chen", interests=["fintech"], needs=["a pricing model"])
    fintech, _ = save_resource(alice, "https://example.com/fintech", topics=["Fintech", "banks"])
    pricing, _ = save_resource(alice, "https://example.com/pricing", topics=["pricing"])
    save_resource(alice, "https://example.com/chess", topics=["chess"])
    ideas = give_ideas(alice, bo)
    assert [(r.resource, r.topics) for r in ideas.resources] == [(pricing, ["pricing"]), (fintech, ["Fintech"])]
    share_resource(alice, pricing, [bo])
    assert [r.resource for r in give_ideas(alice, bo).resources] == [fintech]


def test_someone_with_no_needs_and_no_matching_links_has_no_ideas(alice):
    bo = make_person(alice, "Bo Chen")
    assert not give_ideas(alice, bo)


def test_words_come_to_one_stem_whatever_their_ending_and_a_few_synonyms_meet():
    assert stems("a senior designer") == ("senior", "design")
    assert stems("product design mentoring") == ("product", "design", "mentor")
    assert stems("Engineering managers") == stems("engineer manager") == ("engine", "manag")
    assert stems("hiring recruiters") == ("hire",)
    assert stem_word("companies") == "company" and stem_word("glass") == "glass"


def test_one_matcher_finds_who_a_text_fits_through_the_sources_asked_for(alice):
    bo = make_person(alice, "Bo Chen", offers=["product design mentoring"], interests=["chess"])
    carla = make_person(alice, "Carla Diaz", title="Senior Designer", organization="Globex")
    make_person(alice, "Dee Park", title="Senior Accountant")
    make_person(alice, "Finn Prospect", title="Designer", is_prospect=True, why="Runs a club")
    fits = who_fits(alice, "a senior designer", HELPER_SOURCES)
    assert set(fits) == {bo.pk, carla.pk}
    assert fits[carla.pk].best == Hit("role", "Senior Designer") and fits[carla.pk].score == 4.0
    assert fits[bo.pk].best == Hit("offer", "product design mentoring")
    assert who_fits(alice, "a senior designer", [Source.INTEREST]) == {}
    assert set(who_fits(alice, "a senior designer", HELPER_SOURCES, exclude={bo.pk})) == {carla.pk}


def test_who_could_use_an_offer_names_people_whose_needs_or_interests_it_fits(alice):
    dee = make_person(alice, "Dee Park", offers=["product design mentoring", "can review CVs"])
    cy = make_person(alice, "Cy Ng", needs=["a senior designer"])
    eve = make_person(alice, "Eve Stone", interests=["design"], closeness="close")
    make_person(alice, "Finn Lee", interests=["chess"])
    [idea] = offer_ideas(alice, dee)
    assert idea.lead(dee) == "Dee offers product design mentoring"
    assert [(p, fit.best.source) for p, fit in idea.users] == [(cy, "need"), (eve, "interest")]
    assert idea.count == 2
