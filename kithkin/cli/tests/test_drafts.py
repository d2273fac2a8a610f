"""`kithkin draft ID` and `kithkin draft-templates`, end to end, in process, with a frozen clock."""

import pytest

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.followups.models import FollowUp
from kithkin.testing import make_person, make_touch, make_user, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def thank_you(kithkin):
    """A coffee with Ana last Tuesday (the clock stands on Sunday 22 November 2026), with advice."""
    run_json(kithkin, "settings", "--name", "Alice Okafor")
    run_json(kithkin, "add", "Ana Ruiz", "--email", "ana@acme.example")
    run_json(kithkin, "log", "coffee", "Ana", "--at", "2026-11-17 09:00", "--advice", "Talk to five customers first")
    return next(f for f in run_json(kithkin, "due", "--within", "30") if f["kind"] == "thank_you")["id"]


def test_a_thank_you_after_a_coffee_with_advice_names_the_person_the_day_and_the_advice(kithkin, thank_you):
    code, out, err = kithkin("draft", str(thank_you))
    assert (code, err) == (0, "")
    assert "To: ana@acme.example" in out
    assert "Subject: Thank you for the coffee" in out
    assert "Hi Ana,\n\nThank you for the coffee on Tuesday 17 November." in out
    assert "Talk to five customers first" in out
    assert "Best,\nAlice Okafor" in out
    assert out.rstrip().splitlines()[-1].startswith("mailto:ana@acme.example?subject=")


def test_the_json_draft_has_the_id_kind_subject_body_recipients_and_link(kithkin, thank_you):
    data = run_json(kithkin, "draft", f"#{thank_you}")
    assert list(data) == ["id", "kind", "subject", "body", "to", "missing", "mailto"]
    assert (data["id"], data["kind"], data["to"], data["missing"]) == (thank_you, "thank_you", ["ana@acme.example"], [])
    assert "Tuesday 17 November" in data["body"]


def test_someone_without_an_email_is_named_as_missing(kithkin):
    run_json(kithkin, "add", "Bo Chen", "--closeness", "close")
    check_in = next(f for f in run_json(kithkin, "due", "--within", "60") if f["kind"] == "check_in")["id"]
    code, out, _err = kithkin("draft", str(check_in))
    assert code == 0 and "No email address for Bo Chen" in out and "To:" not in out


def test_an_unknown_or_another_users_follow_up_is_one_line_not_found(kithkin):
    get_or_create_local_owner()
    other = make_user("bob")
    bos = make_touch(other, make_person(other, "Bo Secret"), "coffee")
    theirs = FollowUp.objects.get(touch=bos).pk
    for ref in ("999999", str(theirs)):
        code, out, err = kithkin("draft", ref)
        assert (code, out) == (1, "")
        assert err.startswith("kithkin: error: ID: ") and len(err.strip().splitlines()) == 1
        assert "Bo Secret" not in err


def test_a_template_is_changed_and_an_unknown_placeholder_refused_naming_the_option(kithkin, thank_you):
    changed = run_json(kithkin, "draft-templates", "--thank-you", "Subject: Cheers\n\nThanks {first}, for {what}! {me}")
    assert changed["thank_you"]["is_default"] is False and changed["check_in"]["is_default"] is True
    assert run_json(kithkin, "draft", str(thank_you))["body"] == "Thanks Ana, for the coffee! Alice Okafor"
    code, _out, err = kithkin("draft-templates", "--check-in", "Hi {frist}")
    assert code == 1
    assert err.startswith("kithkin: error: --check-in: unknown placeholder {frist}; you can use {first}, {name}")
    code, out, _err = kithkin("draft-templates")
    assert code == 0 and "Thank-you (--thank-you), yours:" in out and "Check-in (--check-in), Kithkin's wording:" in out
