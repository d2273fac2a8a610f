"""Open sign-up (off unless the server allows it) and "Forgot your password?"."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from kithkin.accounts.users import add_account, set_active

pytestmark = pytest.mark.usefixtures("frozen")

PASSWORD = "a long and good password"


def signs_in(username, password):
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": username, "password": password})
    return browser.get(reverse("followups:today")).status_code == 200


def test_open_sign_up_is_off_by_default(client, db):
    assert client.get(reverse("accounts:signup")).status_code == 404
    assert client.post(reverse("accounts:signup"), {"email": "a@example.com", "password": PASSWORD}).status_code == 404
    assert not User.objects.exists()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Make an account" not in page and reverse("accounts:signup") not in page


def test_with_open_sign_up_anyone_makes_an_account_and_is_signed_in(client, db, settings):
    settings.OPEN_SIGNUP = True
    assert reverse("accounts:signup") in client.get(reverse("accounts:login")).content.decode()
    response = client.post(
        reverse("accounts:signup"), {"email": "Noa@Example.com", "name": "Noa", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("followups:today")
    assert "Welcome to Kithkin" in client.get(reverse("followups:today")).content.decode()
    assert User.objects.get(email="noa@example.com").get_full_name() == "Noa"
    assert signs_in("noa@example.com", PASSWORD)


def test_sign_up_refuses_a_weak_password_and_a_taken_address(client, db, settings):
    settings.OPEN_SIGNUP = True
    weak = client.post(reverse("accounts:signup"), {"email": "noa@example.com", "password": "12345678"})
    assert weak.status_code == 400 and "Use some letters too" in weak.content.decode()
    add_account("noa@example.com")
    taken = client.post(reverse("accounts:signup"), {"email": "noa@example.com", "password": PASSWORD})
    assert taken.status_code == 400 and "already the address of another account" in taken.content.decode()
    assert User.objects.count() == 1


def test_the_sign_in_page_offers_a_forgotten_password(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Forgot your password?" in page and reverse("accounts:forgot_password") in page


def test_without_mail_the_forgotten_password_page_says_whom_to_ask(client, db):
    page = client.get(reverse("accounts:forgot_password")).content.decode()
    assert "kithkin link --user" in page and "<form" not in page.split("<main")[1]
    add_account("ana@example.com")
    client.post(reverse("accounts:forgot_password"), {"email": "ana@example.com"})
    assert mail.outbox == []


def ask_for_a_reset(client, email):
    page = client.post(reverse("accounts:forgot_password"), {"email": email}, follow=True).content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", page)


def test_a_reset_mail_signs_in_and_leads_to_a_new_password(client, db, settings):
    settings.EMAIL_CONFIGURED = True
    settings.BASE_URL_SET, settings.BASE_URL = True, "https://kithkin.example.org"
    ana = add_account("ana@example.com", name="Ana").account
    ana.set_password("the old password 1")
    ana.save()

    page = ask_for_a_reset(client, "Ana@example.com")

    assert "If an account has the address Ana@example.com, a link" in page
    (message,) = mail.outbox
    assert message.subject == "Set a new Kithkin password" and message.to == ["ana@example.com"]
    url = re.search(r"https://kithkin\.example\.org(/accounts/reset/[^/\s]+/)", message.body).group(1)
    assert f'href="https://kithkin.example.org{url}"' in message.alternatives[0][0]
    assert "Set a new password for ana@example.com?" in client.get(url).content.decode()
    assert client.post(url)["Location"] == reverse("accounts:new_password")
    form = client.get(reverse("accounts:new_password")).content.decode()
    assert "Current password" not in form
    done = client.post(reverse("accounts:new_password"), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert client.get(reverse("followups:today")).status_code == 200  # still signed in
    assert signs_in("ana@example.com", PASSWORD) and not signs_in("ana@example.com", "the old password 1")
    assert client.get(url).status_code == 410  # used up


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, db, settings):
    settings.EMAIL_CONFIGURED = True
    add_account("ana@example.com")
    known = ask_for_a_reset(client, "ana@example.com").replace("ana@example.com", "X")
    unknown = ask_for_a_reset(client, "bo@example.com").replace("bo@example.com", "X")
    assert known == unknown
    assert len(mail.outbox) == 1


def test_a_disabled_account_gets_no_reset_mail(client, db, settings):
    settings.EMAIL_CONFIGURED = True
    add_account("boss@example.com", is_admin=True)
    set_active(add_account("ana@example.com").account, False)
    ask_for_a_reset(client, "ana@example.com")
    assert mail.outbox == []


def test_without_a_reset_link_the_new_password_page_sends_to_settings(signed_in):
    response = signed_in.get(reverse("accounts:new_password"))
    assert response.status_code == 302 and response["Location"].endswith("#password")
    changed = signed_in.post(reverse("accounts:new_password"), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert changed.status_code == 302
    assert signs_in("alice", "a long enough password 1")  # unchanged: the current one was not asked


def test_a_login_link_of_a_disabled_account_does_not_sign_in(client, db):
    add_account("boss@example.com", is_admin=True)
    invitation = add_account("ana@example.com")
    set_active(invitation.account, False)
    url = reverse("accounts:invite_link", args=[invitation.token])
    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    assert client.get(reverse("followups:today")).status_code == 302
