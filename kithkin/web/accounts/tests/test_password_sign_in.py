"""Signing in with a password: wrong guesses are limited per account and per address."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("frozen")

PASSWORD = "a long and good password"


@pytest.fixture
def alice_with_password(alice):
    alice.set_password(PASSWORD)
    alice.save()
    return alice


def sign_in(client, password, *, username="alice", address="127.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def is_signed_in(client):
    return client.get(reverse("followups:today")).status_code == 200


def test_the_right_password_signs_in(client, alice_with_password):
    assert sign_in(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


# Issue 13, item 8
def test_password_sign_in_locks_after_repeated_failures_and_says_when_to_retry(
    client, alice_with_password, frozen, settings
):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        wrong = sign_in(client, "guess")
        assert wrong.status_code == 200 and "That user name and password don&#x27;t match." in wrong.content.decode()
    locked = sign_in(client, "guess")
    assert locked.status_code == 429 and locked["Retry-After"] == str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    text = locked.content.decode()
    assert "locked for now" in text and "Try again after 10:15 UTC (in 15 minutes)" in text
    assert "kithkin link" in text
    # The right password is refused too while the account is locked.
    assert sign_in(client, PASSWORD).status_code == 429
    assert not is_signed_in(client)
    frozen.shift(timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    assert sign_in(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


# Issue 13, item 8
def test_one_address_guessing_many_accounts_is_locked_out_but_others_are_not(client, alice_with_password, settings):
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "guess", username=f"someone{n}", address="203.0.113.9")
    assert sign_in(client, PASSWORD, address="203.0.113.9").status_code == 429
    assert sign_in(client, PASSWORD, address="198.51.100.7").status_code == 302


# Issue 13, item 8
def test_one_account_guessed_from_many_addresses_is_locked(client, alice_with_password, settings):
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "guess", address=f"203.0.113.{n + 1}")
    assert sign_in(client, PASSWORD, address="198.51.100.7").status_code == 429
    assert not is_signed_in(client)


# Issue 13, item 8
def test_a_locked_out_sign_in_is_refused_before_any_password_is_hashed(client, alice_with_password, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "guess")
    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as backend:
        for _ in range(20):
            assert sign_in(client, "guess").status_code == 429
    assert backend.call_count == 0


# Issue 13, item 8
def test_the_one_time_link_still_signs_in_while_passwords_are_locked(client, alice_with_password, settings):
    from kithkin.accounts.services import create_login_token

    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "guess")
    link = reverse("accounts:login_link", args=[create_login_token(alice_with_password)])
    assert client.post(link).status_code == 302
    assert is_signed_in(client)
