"""Reading a question in plain words into what to look for (pure functions)."""

from __future__ import annotations

import pytest

from kithkin.finder.parse import Known, organization_keys, parse, place_keys
from kithkin.finder.vocabulary import VocabularyError, built_in, read_vocabulary, singular

KNOWN = Known(
    organization_keys([(1, "Stripe, Inc."), (2, "Blue Analytics"), (3, "Atlas Bank")]),
    place_keys(["Berlin, Germany", "Ljubljana", "Piran"]),
)


def kinds(question: str) -> list[tuple[str, str]]:
    return [(c.kind, c.said) for c in parse(question, KNOWN).concepts]


def test_the_issue_question_reads_as_an_industry_a_place_and_an_offer():
    assert kinds("who do I know in fintech in Berlin who could advise on hiring") == [
        ("industry", "fintech"),
        ("place", "berlin"),
        ("offer", "hiring"),
    ]


def test_an_industry_stands_for_its_synonyms():
    (fintech,) = parse("fintech", KNOWN).concepts
    assert {"fintech", "payments", "banking tech"} <= fintech.terms[0]


def test_a_role_stands_for_its_synonyms_in_the_plural_too():
    (role,) = parse("engineers", KNOWN).concepts
    assert role.kind == "role" and {"developer", "swe", "software engineer"} <= role.terms[0]
    (vc,) = parse("a VC", KNOWN).concepts
    assert {"investor", "venture capital"} <= vc.terms[0]
    (people_ops,) = parse("people ops", KNOWN).concepts
    assert {"hr", "recruiter"} <= people_ops.terms[0]


def test_an_organization_of_the_user_is_matched_by_name_without_its_legal_suffix():
    (org,) = parse("who is at stripe", KNOWN).concepts
    assert (org.kind, org.organizations, org.said) == ("organization", (1,), "Stripe, Inc.")


@pytest.mark.parametrize(
    ("question", "past"),
    [
        ("who used to work at Stripe", True),
        ("who worked at Blue Analytics", True),
        ("ex Stripe people", True),
        ("who works at Stripe now", False),
        ("anyone at Stripe", None),
    ],
)
def test_an_organization_is_current_or_past_as_the_question_says(question, past):
    (org,) = [c for c in parse(question, KNOWN).concepts if c.kind == "organization"]
    assert org.past is past


def test_a_country_stands_for_its_cities():
    (place,) = parse("who is in Germany", KNOWN).concepts
    assert {"germany", "berlin", "munich"} <= place.terms[0]


def test_a_place_where_the_users_people_live_is_a_place_even_if_not_built_in():
    assert kinds("anyone in Piran") == [("place", "piran")]


def test_accents_and_case_are_folded():
    assert kinds("Who lives in MÜNCHEN") == [("place", "munchen")]


def test_needs_and_offers_take_the_words_after_them_up_to_the_next_clause():
    assert kinds("who needs a senior data engineer in London") == [
        ("need", "senior data engineer"),
        ("place", "london"),
    ]
    assert kinds("who can help with pricing and fundraising") == [("offer", "pricing"), ("offer", "fundraising")]
    assert kinds("who is hiring") == [("need", "hiring")]
    assert kinds("who could mentor me") == [("offer", "mentoring")]


def test_a_need_or_offer_keeps_its_synonyms_word_by_word():
    (need,) = parse("who is looking for a data engineer", KNOWN).concepts
    assert {"data engineer", "data engineering"} <= need.terms[0]


def test_interests_follow_their_words():
    assert kinds("former colleagues into marathons") == [("circle", "former colleague"), ("interest", "marathon")]
    (interest,) = parse("who is interested in running", KNOWN).concepts
    assert interest.kind == "interest" and "marathon" in interest.terms[0]


def test_circles_and_closeness_are_read_as_choices():
    concepts = parse("close friends in Ljubljana", KNOWN).concepts
    assert [(c.kind, c.values) for c in concepts[:2]] == [("closeness", ("inner", "close")), ("circle", ("friend",))]
    assert parse("my clients", KNOWN).concepts[0].values == ("client",)


def test_who_could_introduce_me_to_splits_off_the_target():
    question = parse("who could introduce me to Atlas Bank", KNOWN)
    assert question.introduce_to == "atlas bank"
    # Read as well as who works there, or who offers intros to what is not an organization.
    assert [(c.kind, c.said) for c in question.concepts] == [("organization", "Atlas Bank")]
    assert kinds("who could introduce me to angel investors") == [("offer", "angel investor")]
    assert parse("get me an intro to Maria Lopez", KNOWN).introduce_to == "maria lopez"
    assert parse("who can put me in touch with Bo", KNOWN).introduce_to == "bo"


def test_other_words_are_looked_for_everywhere_and_filler_is_dropped():
    assert kinds("who do I know that plays chess") == [("word", "play"), ("topic", "chess")]
    assert kinds("who do I know") == []


def test_the_built_in_vocabulary_holds_a_few_hundred_synonyms():
    assert built_in().size() > 600


def test_the_vocabulary_file_is_read_strictly():
    with pytest.raises(VocabularyError, match="line 1"):
        read_vocabulary("[colours]\nred, crimson")
    with pytest.raises(VocabularyError, match="before any section"):
        read_vocabulary("red, crimson")
    vocabulary = read_vocabulary("[roles]\ncoder, hacker\n[places]\nslovenia | ljubljana")
    assert vocabulary.roles[("hacker",)] == {"coder", "hacker"}
    assert vocabulary.places[("slovenia",)] == {"slovenia", "ljubljana"}
    assert vocabulary.places[("ljubljana",)] == {"ljubljana"}


def test_plurals_are_read_as_singulars_roughly():
    assert [singular(w) for w in ("engineers", "cities", "analysis", "boss", "bus")] == [
        "engineer",
        "city",
        "analysis",
        "boss",
        "bus",
    ]
