"""The one-click link at the foot of each digest (and its List-Unsubscribe header)."""

import pytest
from django.test import Client
from django.urls import reverse

from kithkin.accounts.models import Profile
from kithkin.accounts.services import update_settings
from kithkin.digest.services import off_token


@pytest.fixture
def digest_on(alice):
    update_settings(alice, email="alice@example.com", digest=True)
    return reverse("accounts:digest_off", args=[off_token(alice)])


def is_on(user):
    return Profile.objects.get(owner=user).is_digest_on


def test_opening_the_link_only_asks_with_one_button(client, alice, digest_on):
    page = client.get(digest_on)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Turn off the daily digest?" in text and text.count("<button") == 1
    assert is_on(alice)  # a link preview or a mail scanner turns nothing off


def test_the_button_turns_it_off_without_signing_in(alice, digest_on):
    # A mail program's one-click POST (RFC 8058) carries no CSRF token: the signed link is the proof.
    page = Client(enforce_csrf_checks=True).post(digest_on, {"List-Unsubscribe": "One-Click"})
    assert page.status_code == 200 and "The daily digest is off" in page.content.decode()
    assert not is_on(alice)


def test_a_link_that_was_not_signed_here_turns_nothing_off(client, alice, bob, digest_on):
    forged = reverse("accounts:digest_off", args=[str(alice.pk)])
    assert client.post(forged).status_code == 404
    cut_short = digest_on.rstrip("/")[:-3] + "/"
    assert client.post(cut_short).status_code == 404
    assert is_on(alice)
