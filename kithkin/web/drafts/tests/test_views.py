"""The draft page of a follow-up and the message templates page."""

import html
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.accounts.models import Profile
from kithkin.followups.models import FollowUp
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
TUESDAY = datetime(2026, 11, 17, 9, 0, tzinfo=NOW.tzinfo)


@pytest.fixture
def thank_you(alice):
    alice.first_name, alice.last_name = "Alice", "Okafor"
    alice.save()
    ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    touch = make_touch(alice, ana, "coffee", TUESDAY, advice="Talk to five customers first")
    return FollowUp.objects.get(touch=touch, kind="thank_you")


def test_the_draft_page_shows_the_message_with_copy_and_an_email_link(signed_in, thank_you):
    url = reverse("followups:draft", args=[thank_you.pk])
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(url)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert 'value="Thank you for the coffee"' in body
    assert "Hi Ana,\n\nThank you for the coffee on Tuesday 17 November." in body
    assert "Talk to five customers first" in body
    assert 'data-copy="draft-body"' in body and 'data-copy="draft-subject"' in body
    assert 'href="mailto:ana@acme.example?subject=Thank%20you%20for%20the%20coffee&body=' in body
    assert "Open in email" in body and "<script>" not in body and " onclick=" not in body
    assert len(queries) < 25


def test_an_htmx_request_gets_the_draft_alone(signed_in, thank_you):
    response = signed_in.get(reverse("followups:draft", args=[thank_you.pk]), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section class="intro-draft follow-up-draft"')
    assert "<html" not in body


def test_someone_without_an_address_is_named_and_linked(signed_in, alice):
    bo = make_person(alice, "Bo Chen", closeness="close")
    check_in = FollowUp.objects.get(person=bo, kind="check_in")
    body = signed_in.get(reverse("followups:draft", args=[check_in.pk])).content.decode()
    assert "no email address for Bo Chen" in body and reverse("people:detail", args=[bo.pk]) in body


def test_another_users_follow_up_is_a_404(client, bob, thank_you):
    client.force_login(bob)
    assert client.get(reverse("followups:draft", args=[thank_you.pk])).status_code == 404
    assert client.get(reverse("followups:draft", args=[thank_you.pk + 1000])).status_code == 404


def test_the_templates_page_is_reached_from_settings_and_lists_each_kinds_placeholders(signed_in):
    settings_page = signed_in.get(reverse("accounts:settings")).content.decode()
    assert reverse("drafts:templates") in settings_page
    body = html.unescape(signed_in.get(reverse("drafts:templates")).content.decode())
    assert "Subject: Thank you for {what}" in body
    for placeholder in ("{advice_line}", "{topic_line}", "{occasion}", "{met_line}", "{opener}", "{suggestion}"):
        assert placeholder in body


def test_the_templates_page_saves_a_template_used_by_the_draft_and_refuses_an_unknown_placeholder(
    signed_in, alice, thank_you
):
    url = reverse("drafts:templates")
    fields = dict.fromkeys(("thank_you", "check_in", "close_loop", "congratulate", "report_back", "rekindle"), "")
    form = {f"draft_{kind}_template": text for kind, text in fields.items()}
    bad = signed_in.post(url, form | {"draft_congratulate_template": "Hi {frist}"})
    assert bad.status_code == 400
    assert "Unknown placeholder {frist}; you can use {first}" in html.unescape(bad.content.decode())
    assert Profile.objects.get(owner=alice).draft_congratulate_template == ""
    good = signed_in.post(url, form | {"draft_thank_you_template": "Subject: Cheers\n\nThanks for {what}, {first}!"})
    assert good["Location"] == url
    page = html.unescape(signed_in.get(reverse("followups:draft", args=[thank_you.pk])).content.decode())
    assert 'value="Cheers"' in page and "Thanks for the coffee, Ana!" in page
