import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kithkin.accounts.services import create_login_token, get_or_create_local_owner

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_login_link_signs_in_once(client, db):
    owner = get_or_create_local_owner()
    token = create_login_token(owner)
    response = client.post(reverse("accounts:login_link", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("followups:today")
    assert client.get(reverse("followups:today")).status_code == 200
    client.logout()
    again = client.post(reverse("accounts:login_link", args=[token]))
    assert again.status_code == 410
    assert client.get(reverse("accounts:login_link", args=[token])).status_code == 410
    assert client.get(reverse("followups:today")).status_code == 302


# Issue 13, item 9
def test_opening_the_login_link_asks_before_signing_in_and_does_not_use_it_up(client, db):
    owner = get_or_create_local_owner()
    owner.email = "me@home.example"
    owner.save()
    url = reverse("accounts:login_link", args=[create_login_token(owner)])
    for _ in range(2):  # a link preview, then the person: neither signs in nor spends the link
        page = client.get(url)
        assert page.status_code == 200
        assert "Sign in as me@home.example?" in page.content.decode()
        assert '<form method="post">' in page.content.decode()
        assert client.get(reverse("followups:today")).status_code == 302
    assert client.post(url).status_code == 302
    assert client.get(reverse("followups:today")).status_code == 200


# Issue 13, item 9
def test_the_login_link_signs_in_only_with_the_csrf_token_of_its_own_page(db):
    url = reverse("accounts:login_link", args=[create_login_token(get_or_create_local_owner())])
    browser = Client(enforce_csrf_checks=True)
    # A page elsewhere can send the browser to the link, or post to it without the token: refused.
    assert browser.post(url).status_code == 403
    assert browser.get(reverse("followups:today")).status_code == 302
    page = browser.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    response = browser.post(url, {"csrfmiddlewaretoken": csrf.group(1)})
    assert response.status_code == 302 and response["Location"] == reverse("followups:today")
    assert browser.get(reverse("followups:today")).status_code == 200


def test_the_login_link_expires(client, db, frozen):
    token = create_login_token(get_or_create_local_owner())
    frozen.shift(timedelta(minutes=31))
    assert client.get(reverse("accounts:login_link", args=[token])).status_code == 410


def test_a_made_up_token_does_not_sign_in(client, db):
    get_or_create_local_owner()
    assert client.get(reverse("accounts:login_link", args=["not-a-token"])).status_code == 410


def test_the_local_owner_has_no_usable_password(db):
    owner = get_or_create_local_owner()
    assert not owner.has_usable_password()
    assert get_or_create_local_owner() == owner
