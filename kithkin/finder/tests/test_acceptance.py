"""Issue 15's acceptance: of five people with different places, interests and needs, ``ask``
puts the right one in the top three for a question about place and interest, a past employer,
and a need."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kithkin.finder.services import ask
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def five(alice):
    people = {
        "ana": make_person(
            alice,
            "Ana Ruiz",
            location="Berlin, Germany",
            organization="Atlas Bank",
            title="Head of Payments",
            interests=["fintech", "climbing"],
            offers=["can advise on hiring"],
        ),
        "bo": make_person(
            alice,
            "Bo Chen",
            location="Lisbon",
            organization="Sunny Health",
            title="Software Engineer",
            interests=["marathons"],
            needs=["looking for a co-founder"],
        ),
        "cy": make_person(
            alice,
            "Cy Okafor",
            location="Lagos",
            organization="Northwind",
            title="Recruiter",
            interests=["chess"],
            needs=["wants intros to fintech investors"],
        ),
        "di": make_person(
            alice,
            "Di Novak",
            location="Ljubljana, Slovenia",
            organization="Stripe",
            title="Product Manager",
            interests=["sailing"],
        ),
        "ed": make_person(
            alice,
            "Ed Park",
            location="Berlin",
            organization="Blue Labs",
            title="Designer",
            interests=["photography"],
            needs=["needs a good accountant"],
        ),
    }
    # Di moved on from Stripe: it is a past employer now.
    edit_person(
        alice,
        people["di"],
        PersonChanges(organization="Green Energy", title="Head of Product"),
        now=NOW + timedelta(days=1),
    )
    for person in people.values():
        make_touch(alice, person, "coffee", NOW - timedelta(days=30))
    return people


def top(alice, question):
    return [m.person.full_name for m in ask(alice, question).matches[:3]]


def test_a_question_about_place_and_interest_finds_the_fintech_person_in_berlin(alice, five):
    assert top(alice, "who do I know in Berlin who is into payments")[0] == "Ana Ruiz"


def test_a_question_about_a_past_employer_finds_who_used_to_work_there(alice, five):
    assert "Di Novak" in top(alice, "who used to work at Stripe")


def test_a_question_about_a_need_finds_who_needs_it(alice, five):
    assert "Bo Chen" in top(alice, "who is looking for a cofounder")
    assert "Ed Park" in top(alice, "who needs an accountant")


def test_each_match_says_why_it_matched(alice, five):
    answer = ask(alice, "who do I know in fintech in Berlin who could advise on hiring")
    best = answer.matches[0]
    assert best.person.full_name == "Ana Ruiz"
    # "fintech" found "payments" in her title, a synonym.
    assert best.why == ("Head of Payments at Atlas Bank", "in Berlin, Germany", "offers “can advise on hiring”")
    assert answer.understood == ("fintech", "in berlin", "offers hiring")
    assert best.matched == 3


def test_who_could_introduce_me_to_someone_ranks_the_warm_paths_to_them(alice):
    ana, zoe = make_person(alice, "Ana Ruiz"), make_person(alice, "Zoe Park", is_prospect=True, why="CTO at Acme")
    bo = make_person(alice, "Bo Chen")
    make_touch(alice, [ana, zoe], "coffee", NOW - timedelta(days=20))
    make_touch(alice, ana, "call", NOW - timedelta(days=5))
    answer = ask(alice, "who could introduce me to Zoe Park")
    assert answer.understood == ("a way to Zoe Park",)
    assert [m.person for m in answer.matches][:1] == [ana] and bo not in [m.person for m in answer.matches]
    assert answer.matches[0].why and answer.matches[0].why[0]


def test_an_introduction_to_what_is_neither_a_person_nor_an_organization_asks_who_offers_it(alice, five):
    answer = ask(alice, "who could introduce me to fintech investors")
    assert answer.understood == ("offers fintech investor",)
