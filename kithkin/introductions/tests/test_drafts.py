"""The messages each step drafts: templates, placeholders, subjects and mailto links."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kithkin.accounts.services import get_profile
from kithkin.core.errors import BadInput
from kithkin.introductions import drafts
from kithkin.introductions.services import current_draft, propose_introduction, set_intro_templates, step_introduction
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def intro(alice):
    alice.first_name, alice.last_name = "Alice", "Okafor"
    alice.save()
    ana = make_person(alice, "Ana Ruiz", organization="Acme", title="Product Lead", emails=["ana@acme.example"])
    bo = make_person(alice, "Bo Chen", nicknames=["Bobo"])
    return propose_introduction(alice, ana, bo, "Bo is hiring a senior designer")


def test_the_message_to_a_says_who_b_is_and_why_and_goes_to_her_first_email(alice, intro):
    draft = current_draft(alice, intro)
    assert draft.kind == "ask_a"
    assert draft.subject == "Would you like to meet Bo Chen?"
    assert draft.body.startswith("Hi Ana,\n\nI'd like to introduce you to Bo Chen. Bo is hiring a senior designer.")
    assert "check that Bobo is happy to connect" in draft.body
    assert draft.body.endswith("Best,\nAlice Okafor")
    assert (draft.to, draft.missing) == (["ana@acme.example"], [])


def test_the_draft_follows_the_steps_to_b_then_to_both(alice, intro):
    for action in ("ask-a", "a-yes"):
        step_introduction(alice, intro, action)
    to_b = current_draft(alice, intro)
    assert to_b.kind == "ask_b"
    assert "introduce you to Ana Ruiz (Product Lead at Acme), who would be glad to meet you" in to_b.body
    assert (to_b.to, to_b.missing) == ([], ["Bo Chen"])
    for action in ("ask-b", "b-yes"):
        step_introduction(alice, intro, action)
    both = current_draft(alice, intro)
    assert both.kind == "introduce"
    assert both.subject == "Introduction: Ana and Bobo"
    assert "Ana, meet Bo Chen. Bobo, meet Ana Ruiz (Product Lead at Acme)." in both.body
    assert (both.to, both.missing) == (["ana@acme.example"], ["Bo Chen"])
    step_introduction(alice, intro, "drop")
    assert current_draft(alice, intro) is None


def test_the_mailto_link_carries_the_subject_and_body_encoded(alice, intro):
    draft = current_draft(alice, intro)
    link = urlsplit(draft.mailto)
    assert (link.scheme, link.path) == ("mailto", "ana@acme.example")
    fields = parse_qs(link.query)
    assert fields["subject"] == ["Would you like to meet Bo Chen?"]
    assert fields["body"][0] == draft.body.replace("\n", "\r\n")
    assert " " not in draft.mailto and "\n" not in draft.mailto and "+" not in link.query


def test_a_template_of_the_users_own_is_used_with_its_subject(alice, intro):
    set_intro_templates(alice, ask_a="Subject: Coffee with {b_first}?\r\n\r\nHola {a_first}! {why} ({b_org}) —{me}")
    draft = current_draft(alice, intro)
    assert draft.subject == "Coffee with Bobo?"
    assert draft.body == "Hola Ana! Bo is hiring a senior designer. () —Alice Okafor"


def test_a_template_without_a_subject_line_keeps_kithkins_subject(alice, intro):
    set_intro_templates(alice, ask_a="Hi {a_first}, want to meet {b}?")
    draft = current_draft(alice, intro)
    assert (draft.subject, draft.body) == ("Would you like to meet Bo Chen?", "Hi Ana, want to meet Bo Chen?")


def test_a_template_with_an_unknown_placeholder_is_refused_and_nothing_changes(alice):
    with pytest.raises(BadInput) as refused:
        set_intro_templates(alice, ask_a="Hi {a_first}", ask_b="Hi {b_frist} and {nme}")
    assert refused.value.field == "intro_ask_b_template"
    assert refused.value.message.startswith("unknown placeholders {b_frist}, {nme}; you can use {a}, {a_first}")
    assert get_profile(alice).intro_ask_a_template == ""


def test_kithkins_own_wording_or_an_empty_box_is_stored_as_the_default(alice):
    set_intro_templates(alice, ask_a="Mine {a}", introduce="Also mine")
    profile = set_intro_templates(alice, ask_a=drafts.DEFAULTS["ask_a"] + "\n", introduce="")
    assert (profile.intro_ask_a_template, profile.intro_email_template) == ("", "")


def test_a_template_saved_before_a_placeholder_was_renamed_still_renders(alice, intro):
    profile = get_profile(alice)
    profile.intro_ask_a_template = "Hi {a_first}, {old_name} {} { a } {{b}} {"
    profile.save()
    assert current_draft(alice, intro).body == "Hi Ana, {old_name} {} { a } {Bo Chen} {"


def test_why_becomes_a_sentence_and_a_role_is_said_once():
    assert drafts.sentence("Both run marathons") == "Both run marathons."
    assert drafts.sentence("Both run marathons!") == "Both run marathons!"
    assert drafts.who("Ana Ruiz", "", "Acme") == "Ana Ruiz (Acme)"
    assert drafts.who("Ana Ruiz", "", "") == "Ana Ruiz"


def test_non_ascii_names_survive_the_mailto_link():
    draft = drafts.render("ask_a", "Hi {a_first}", {"a_first": "José 李"}, to=["jose@example.com"], missing=[])
    assert unquote(draft.mailto.split("body=")[1]) == "Hi José 李"


@settings(max_examples=200, deadline=None)
@given(template=st.lists(st.sampled_from([*"{}ab_ \n:", "Subject", "{a}", "{why}", "{zz}"]), max_size=30).map("".join))
def test_rendering_any_template_never_fails(template):
    values = {name: name.upper() for name in drafts.PLACEHOLDERS}
    draft = drafts.render("introduce", template, values, to=[], missing=[])
    assert draft.subject  # Kithkin's subject when the template has none
    assert draft.mailto.startswith("mailto:?subject=")
    try:
        drafts.check_template(template, "t")
    except BadInput as exc:
        assert "unknown placeholder" in exc.message
