"""The Team page: admins invite people and switch accounts off and on; nobody else finds it."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.accounts.models import AccessToken
from kithkin.accounts.tokens import authenticate, create_token
from kithkin.accounts.users import add_account
from kithkin.people.models import Person
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def admin(db):
    return add_account("lead@example.com", name="Lea Diaz", is_admin=True).account


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def invitation_url(page):
    match = re.search(r'value="(http[^"]+/accounts/invite/[^"]+/)"', page)
    assert match, page
    return match.group(1)


def test_the_team_page_and_its_actions_are_404_for_anyone_but_an_admin(signed_in, alice, bob):
    urls = [
        reverse("accounts:team"),
        reverse("accounts:team_invite"),
        reverse("accounts:team_link", args=[bob.pk]),
        reverse("accounts:team_disable", args=[bob.pk]),
        reverse("accounts:team_enable", args=[bob.pk]),
    ]
    for url in urls:
        assert signed_in.get(url).status_code == 404, url
        assert signed_in.post(url, {"email": "x@example.com"}).status_code == 404, url
    assert User.objects.get(pk=bob.pk).is_active and not User.objects.filter(email="x@example.com").exists()
    assert reverse("accounts:team") not in signed_in.get(reverse("accounts:settings")).content.decode()


def test_an_admin_reaches_the_team_page_from_the_more_menu_and_settings(as_admin):
    for page in ("followups:today", "accounts:settings"):
        assert reverse("accounts:team") in as_admin.get(reverse(page)).content.decode()


def test_the_team_page_lists_accounts_with_their_state(as_admin, admin, alice, bob):
    bob.is_active = False
    bob.save()
    page = as_admin.get(reverse("accounts:team")).content.decode()
    assert "lead@example.com" in page and "alice" in page and "switched off" in page
    assert reverse("accounts:team_enable", args=[bob.pk]) in page
    assert reverse("accounts:team_disable", args=[alice.pk]) in page
    assert reverse("accounts:team_disable", args=[admin.pk]) not in page  # not one's own


def test_inviting_shows_the_link_once_and_it_signs_in_to_an_empty_network(as_admin, admin):
    make_person(admin, "Ana Ruiz")
    response = as_admin.post(
        reverse("accounts:team_invite"), {"email": "New.Person@Example.com", "name": "Noa", "is_admin": ""}
    )
    assert response.status_code == 302
    page = as_admin.get(response["Location"]).content.decode()
    url = invitation_url(page)
    assert "Send new.person@example.com this link" in page
    assert "this link" not in as_admin.get(reverse("accounts:team")).content.decode()  # shown once
    assert mail.outbox == []  # this server sends no mail

    browser = Client()
    path = url.removeprefix("http://testserver")
    confirm = browser.get(path).content.decode()
    assert "Join as new.person@example.com" in confirm
    joined = browser.post(path)
    assert joined["Location"] == reverse("accounts:new_password")
    noa = User.objects.get(email="new.person@example.com")
    assert not noa.is_staff and noa.last_login is not None
    assert "Ana Ruiz" not in browser.get(reverse("people:list")).content.decode()
    assert Person.objects.filter(owner=noa).count() == 0

    chosen = browser.post(
        reverse("accounts:new_password"),
        {"new_password1": "a long and good password", "new_password2": "a long and good password"},
    )
    assert chosen.status_code == 302
    again = Client()
    assert (
        again.post(
            reverse("accounts:login"), {"username": "New.Person@example.com", "password": "a long and good password"}
        ).status_code
        == 302
    )
    assert again.get(reverse("followups:today")).status_code == 200


def test_the_invitation_is_mailed_when_mail_is_set_up(as_admin, settings):
    settings.EMAIL_CONFIGURED = True
    settings.BASE_URL_SET, settings.BASE_URL = True, "https://kithkin.example.org"
    response = as_admin.post(reverse("accounts:team_invite"), {"email": "noa@example.com", "is_admin": "on"})
    page = as_admin.get(response["Location"]).content.decode()
    assert "Kithkin mailed this link to noa@example.com" in page
    url = invitation_url(page)
    assert url.startswith("https://kithkin.example.org/accounts/invite/")
    (message,) = mail.outbox
    assert message.to == ["noa@example.com"] and url in message.body and "Lea Diaz invited you" in message.body
    assert User.objects.get(email="noa@example.com").is_staff


def test_an_address_already_taken_is_refused_on_the_form(as_admin):
    response = as_admin.post(reverse("accounts:team_invite"), {"email": "LEAD@example.com"})
    assert response.status_code == 400
    assert "lead@example.com is already the address of another account" in response.content.decode()
    assert User.objects.count() == 1


def test_switching_an_account_off_ends_its_sessions_and_tokens_and_keeps_its_data(as_admin, alice):
    make_person(alice, "Ana Ruiz")
    secret = create_token(alice, "script").secret
    alices_browser = Client()
    alices_browser.force_login(alice)
    assert alices_browser.get(reverse("followups:today")).status_code == 200

    assert as_admin.post(reverse("accounts:team_disable", args=[alice.pk])).status_code == 302

    response = alices_browser.get(reverse("people:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert authenticate(secret) is None
    assert Person.objects.filter(owner=alice).count() == 1 and AccessToken.objects.filter(owner=alice).exists()
    refused = Client().post(reverse("accounts:login"), {"username": "alice", "password": "a long enough password 1"})
    assert refused.status_code == 200 and "don&#x27;t match" in refused.content.decode()

    assert as_admin.post(reverse("accounts:team_enable", args=[alice.pk])).status_code == 302
    assert authenticate(secret) is not None
    # Switched on again, the old session stays ended: she signs in anew.
    assert alices_browser.get(reverse("followups:today")).status_code == 302
    assert as_admin.get(reverse("followups:today")).status_code == 200  # the admin's own session is untouched
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "alice", "password": "a long enough password 1"})
        .status_code
        == 302
    )


def test_an_admin_cannot_switch_off_their_own_account(as_admin, admin):
    response = as_admin.post(reverse("accounts:team_disable", args=[admin.pk]), follow=True)
    assert "cannot switch off your own account" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


def test_a_fresh_link_is_an_invitation_without_a_password_and_a_reset_with_one(as_admin, alice):
    noa = add_account("noa@example.com").account
    page = as_admin.post(reverse("accounts:team_link", args=[noa.pk]), follow=True).content.decode()
    assert "Invitation for noa@example.com" in page and "within 7 days" in page
    assert "/accounts/invite/" in invitation_url(page)
    page = as_admin.post(reverse("accounts:team_link", args=[alice.pk]), follow=True).content.decode()
    assert "Sign-in link for alice" in page and "within 30 minutes" in page
    url = re.search(r'value="http://testserver(/accounts/reset/[^"]+/)"', page).group(1)
    assert "Set a new password for alice?" in Client().get(url).content.decode()


def test_the_team_page_reads_the_accounts_in_a_fixed_number_of_queries(as_admin):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_admin.get(reverse("accounts:team")).status_code == 200
        return len(captured)

    add_account("one@example.com")
    few = queries()
    for n in range(10):
        add_account(f"person{n}@example.com", name=f"Person {n}", is_admin=n % 2 == 0)
    assert queries() == few
