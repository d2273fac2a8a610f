from datetime import timedelta

import pytest
from django.urls import reverse

from kithkin.accounts.services import create_login_token, get_or_create_local_owner

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_login_link_signs_in_once(client, db):
    owner = get_or_create_local_owner()
    token = create_login_token(owner)
    response = client.get(reverse("accounts:login_link", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("followups:today")
    assert client.get(reverse("followups:today")).status_code == 200
    client.logout()
    again = client.get(reverse("accounts:login_link", args=[token]))
    assert again.status_code == 410
    assert client.get(reverse("followups:today")).status_code == 302


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
