"""The message each follow-up drafts, from the person's data and the user's templates."""

from datetime import date, datetime, timedelta

import pytest

from kithkin.accounts.services import get_profile
from kithkin.core.errors import BadInput
from kithkin.drafts.services import draft_follow_up, draft_rekindle, set_draft_templates
from kithkin.drafts.wording import DEFAULTS
from kithkin.exchanges.services import record_exchange, record_introduction
from kithkin.followups.milestones import record_milestone
from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder
from kithkin.introductions.services import propose_introduction, step_introduction
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
TUESDAY = datetime(2026, 11, 17, 9, 0, tzinfo=NOW.tzinfo)


@pytest.fixture
def me(alice):
    alice.first_name, alice.last_name = "Alice", "Okafor"
    alice.save()
    return alice


@pytest.fixture
def ana(me):
    return make_person(me, "Ana Ruiz", emails=["ana@acme.example"], interests=["fintech"], needs=["a senior designer"])


def pending(owner, person, kind):
    return FollowUp.objects.for_owner(owner).pending().get(person=person, kind=kind)


def test_a_thank_you_names_the_coffee_its_day_and_the_advice(me, ana):
    make_touch(me, ana, "coffee", NOW - timedelta(hours=2), advice="Talk to five customers first")
    draft = draft_follow_up(me, pending(me, ana, "thank_you"))
    assert draft.kind == "thank_you"
    assert draft.subject == "Thank you for the coffee"
    assert draft.body.startswith("Hi Ana,\n\nThank you for the coffee on Sunday 22 November.")
    assert "your advice: Talk to five customers first." in draft.body
    assert draft.body.endswith("Best,\nAlice Okafor")
    assert (draft.to, draft.missing) == (["ana@acme.example"], [])
    assert draft.mailto.startswith("mailto:ana@acme.example?subject=Thank%20you")


def test_a_thank_you_without_advice_leaves_no_gap(me, ana):
    make_touch(me, ana, "meal", TUESDAY)
    body = draft_follow_up(me, pending(me, ana, "thank_you")).body
    assert "the meal on Tuesday 17 November" in body
    assert "\n\n\n" not in body and "advice" not in body


def test_a_thank_you_for_help_names_the_help_and_for_an_intro_whom(me, ana):
    record_exchange(me, ana, "got", "Feedback on my CV", kind="advice")
    assert "Thank you for your help (Feedback on my CV) on Sunday 22 November." in (
        draft_follow_up(me, pending(me, ana, "thank_you")).body
    )
    bo = make_person(me, "Bo Chen")
    record_introduction(me, bo, "Cy Park")
    assert "Thank you for the introduction to Cy Park" in draft_follow_up(me, pending(me, bo, "thank_you")).body


def test_a_check_in_recalls_the_last_touch_and_asks_about_a_need(me, ana):
    make_touch(me, ana, "coffee", NOW - timedelta(days=60))
    draft = draft_follow_up(me, pending(me, ana, "check_in"))
    assert "It's been a while since our coffee on Wednesday 23 September." in draft.body
    assert "Are you still looking for a senior designer?" in draft.body


def test_a_check_in_with_someone_never_met_falls_back_on_an_interest(me):
    bo = make_person(me, "Bo Chen", closeness="close", interests=["sailing"])
    body = draft_follow_up(me, pending(me, bo, "check_in")).body
    assert "since we were last in touch" in body and "Anything new with sailing?" in body
    assert draft_follow_up(me, pending(me, bo, "check_in")).missing == ["Bo Chen"]


def test_closing_the_loop_says_which_advice_was_tried(me, ana):
    make_touch(me, ana, "coffee", TUESDAY, advice="Talk to five customers first")
    draft = draft_follow_up(me, pending(me, ana, "close_loop"))
    assert draft.kind == "close_loop"
    assert "I tried your advice from the coffee on Tuesday 17 November: Talk to five customers first." in draft.body


def test_a_congratulation_names_the_milestone_or_the_birthday(me, ana):
    record_milestone(me, ana, "Head of Product at Initech", kind="new_job", organization="Initech")
    draft = draft_follow_up(me, pending(me, ana, "congratulate"))
    assert draft.subject == "Congratulations on your new job at Initech!"
    bo = make_person(me, "Bo Chen", birthday=date(1990, 11, 25))
    birthday = draft_follow_up(me, pending(me, bo, "congratulate"))
    assert birthday.subject == "Happy birthday!" and birthday.body.startswith("Hi Bo,\n\nHappy birthday!")


def test_the_introducer_hears_whom_they_introduced_and_when_you_met(me, ana):
    record_introduction(me, ana, "Bo Chen", on=TUESDAY.date())
    bo = FollowUp.objects.get(kind="thank_you").cause.to_person
    make_touch(me, bo, "coffee", NOW - timedelta(days=1))
    draft = draft_follow_up(me, pending(me, ana, "close_loop"))
    assert draft.kind == "report_back"
    assert (
        "Thank you again for introducing me to Bo Chen. A quick update: we met for coffee on Saturday 21 November."
        in (draft.body)
    )


def test_an_introduction_step_is_the_introductions_own_message(me, ana):
    bo = make_person(me, "Bo Chen")
    intro = propose_introduction(me, ana, bo, "Bo is hiring a senior designer")
    step_introduction(me, intro, "ask-a")
    nudge = draft_follow_up(me, pending(me, ana, "introduction"))
    assert (nudge.kind, nudge.subject) == ("ask_a", "Would you like to meet Bo Chen?")
    for action in ("a-yes", "ask-b", "b-yes", "introduce"):
        step_introduction(me, intro, action)
    how = draft_follow_up(me, pending(me, ana, "introduction"))
    assert (how.kind, how.subject) == ("how_it_went", "How did meeting Bo Chen go?")


def test_a_reminder_set_by_hand_has_its_reason_as_the_body(me, ana):
    follow_up = add_reminder(me, ana, "Send the pricing article", NOW + timedelta(days=1))
    draft = draft_follow_up(me, follow_up)
    assert draft.kind == "reminder" and "Hi Ana,\n\nSend the pricing article\n\nBest," in draft.body


def test_the_rekindle_message_wraps_the_opener_and_the_suggestion(me, ana):
    draft = draft_rekindle(
        me, ana, "It's been a while since our coffee in March.", suggestion="Would you be up for a coffee soon?"
    )
    assert draft.kind == "rekindle"
    assert draft.body == (
        "Hi Ana,\n\nIt's been a while since our coffee in March.\n\nWould you be up for a coffee soon?"
        "\n\nBest,\nAlice Okafor"
    )


def test_a_custom_template_is_used_and_kithkins_wording_is_stored_empty(me, ana):
    set_draft_templates(me, {"thank_you": "Subject: Cheers {first}\n\nThanks for {what}, {day}! {advice}\n-- {me}"})
    make_touch(me, ana, "coffee", TUESDAY, advice="Ship it")
    draft = draft_follow_up(me, pending(me, ana, "thank_you"))
    assert (draft.subject, draft.body) == (
        "Cheers Ana",
        "Thanks for the coffee, Tuesday 17 November! Ship it\n-- Alice Okafor",
    )
    profile = set_draft_templates(me, {"thank_you": DEFAULTS["thank_you"] + "\n", "rekindle": ""})
    assert (profile.draft_thank_you_template, profile.draft_rekindle_template) == ("", "")


def test_an_unknown_placeholder_is_refused_naming_the_field_and_the_known_ones(me):
    with pytest.raises(BadInput) as refused:
        set_draft_templates(me, {"check_in": "Hi {frist}"})
    assert refused.value.field == "draft_check_in_template"
    assert refused.value.message.startswith("unknown placeholder {frist}; you can use {first}, {name}, {last_touch}")
    assert get_profile(me).draft_check_in_template == ""


def test_another_users_follow_up_is_not_drafted(me, ana, bob):
    make_touch(me, ana, "coffee", TUESDAY)
    with pytest.raises(BadInput):
        draft_follow_up(bob, pending(me, ana, "thank_you"))
