"""The accounts of a shared server: inviting, signing up, switching off, the reset mail."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail

from kithkin.accounts.models import LoginToken, Profile
from kithkin.accounts.services import login_token_owner, redeem_login_token
from kithkin.accounts.tokens import authenticate, create_token
from kithkin.accounts.users import (
    RESET_LIMIT,
    account_by_email,
    add_account,
    list_accounts,
    new_invitation,
    send_invitation,
    send_password_reset,
    set_active,
    sign_in_link_token,
    sign_up,
    username_for_sign_in,
)
from kithkin.core.errors import BadInput, NotFound
from kithkin.people.models import Person
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


def link(token):
    return f"https://kithkin.example.org/accounts/reset/{token}/"


def test_an_added_account_is_named_by_its_address_and_has_no_password_yet(db):
    invitation = add_account(" Ana.Ruiz@Example.COM ", name="Ana  Ruiz", is_admin=True)
    ana = invitation.account
    assert (ana.username, ana.email, ana.first_name) == ("ana.ruiz@example.com", "ana.ruiz@example.com", "Ana Ruiz")
    assert ana.is_staff and ana.is_active and not ana.has_usable_password()
    assert Profile.objects.filter(owner=ana).exists()
    assert login_token_owner(invitation.token) == ana


def test_an_invitation_lasts_the_invitation_days_not_the_login_links_minutes(db, frozen, settings):
    settings.INVITE_DAYS = 3
    invitation = add_account("ana@example.com")
    frozen.shift(timedelta(days=2, hours=23))
    assert login_token_owner(invitation.token) == invitation.account
    frozen.shift(timedelta(hours=2))
    assert login_token_owner(invitation.token) is None


def test_an_address_another_account_has_is_refused_in_any_case(db, alice):
    alice.email = "alice@example.com"
    alice.save()
    with pytest.raises(BadInput, match=r"alice@example\.com is already the address of another account"):
        add_account("ALICE@example.com")
    add_account("ana@example.com")
    with pytest.raises(BadInput, match="already the address"):
        sign_up("Ana@Example.com", "Ana", "a long and good password")
    assert User.objects.count() == 2


def test_a_user_name_that_is_the_address_is_refused_too(db):
    User.objects.create_user(username="ana@example.com")  # KITHKIN_USER=ana@example.com, long ago
    with pytest.raises(BadInput, match="already the address"):
        add_account("ana@example.com")


def test_a_missing_or_malformed_address_is_refused(db):
    with pytest.raises(BadInput) as empty:
        add_account("  ", field="EMAIL")
    assert empty.value.field == "EMAIL"
    with pytest.raises(BadInput, match="not an email address"):
        add_account("ana at example")
    assert not User.objects.exists()


def test_signing_up_makes_an_account_with_its_password_and_an_empty_network(db):
    ana = sign_up("ana@example.com", "Ana", "a long and good password")
    assert ana.check_password("a long and good password")
    assert ana.username == "ana@example.com" and ana.get_full_name() == "Ana"
    assert username_for_sign_in("ANA@example.com") == "ana@example.com"
    assert username_for_sign_in("alice") == "alice"


def test_an_account_is_found_by_its_address(db):
    ana = add_account("ana@example.com").account
    assert account_by_email("Ana@Example.com") == ana
    with pytest.raises(NotFound, match=r"no account has the address bo@example\.com"):
        account_by_email("bo@example.com", "EMAIL")
    assert list_accounts() == [ana]


def test_a_switched_off_account_keeps_its_data_and_loses_its_links_and_tokens(db, alice):
    make_person(alice, "Ana Ruiz")
    token = sign_in_link_token(alice)
    access = create_token(alice, "script")
    set_active(alice, False)
    alice.refresh_from_db()
    assert not alice.is_active
    assert login_token_owner(token) is None and redeem_login_token(token) is None
    assert authenticate(access.secret) is None
    assert Person.objects.filter(owner=alice).count() == 1
    with pytest.raises(BadInput, match="switched off"):
        sign_in_link_token(alice)
    set_active(alice, True)
    assert redeem_login_token(token) == alice  # still within its time, and unused


def test_the_last_active_admin_cannot_be_switched_off(db):
    first = add_account("first@example.com", is_admin=True).account
    with pytest.raises(BadInput, match=r"first@example\.com is the last active admin"):
        set_active(first, False)
    second = add_account("second@example.com", is_admin=True).account
    set_active(first, False)
    with pytest.raises(BadInput, match="last active admin"):
        set_active(second, False)


def test_an_admin_cannot_switch_off_their_own_account(db):
    first = add_account("first@example.com", is_admin=True).account
    add_account("second@example.com", is_admin=True)
    with pytest.raises(BadInput, match="your own account"):
        set_active(first, False, by=first)


def test_a_new_invitation_replaces_a_lost_one(db, frozen):
    invitation = add_account("ana@example.com")
    frozen.shift(timedelta(days=8))
    assert login_token_owner(invitation.token) is None
    again = new_invitation(invitation.account)
    assert login_token_owner(again.token) == invitation.account
    assert LoginToken.objects.filter(owner=invitation.account).count() == 1  # the expired one is gone


def test_the_reset_mail_has_the_link_in_text_and_html(db, settings):
    settings.EMAIL_CONFIGURED = True
    settings.DEFAULT_FROM_EMAIL = "Kithkin <kithkin@example.org>"
    ana = add_account("ana@example.com", name="Ana").account

    assert send_password_reset("ANA@example.com", link)

    (message,) = mail.outbox
    assert message.to == ["ana@example.com"] and message.from_email == "Kithkin <kithkin@example.org>"
    assert message.subject == "Set a new Kithkin password"
    assert (
        "https://kithkin.example.org/accounts/reset/" in message.body
        and "Hello Ana," in message.body
        and "30 minutes" in message.body
    )
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'href="https://kithkin.example.org/accounts/reset/' in html
    token = message.body.split("/accounts/reset/")[1].split("/")[0]
    assert login_token_owner(token) == ana


def test_no_reset_mail_without_an_active_account_or_without_mail(db, settings):
    add_account("ana@example.com")
    assert not send_password_reset("ana@example.com", link)  # mail is not configured
    settings.EMAIL_CONFIGURED = True
    assert not send_password_reset("nobody@example.com", link)
    set_active(account_by_email("ana@example.com"), False)
    assert not send_password_reset("ana@example.com", link)
    assert mail.outbox == []


def test_reset_mails_to_one_address_are_limited(db, settings, frozen):
    settings.EMAIL_CONFIGURED = True
    add_account("ana@example.com")
    sent = [send_password_reset("ana@example.com", link) for _ in range(RESET_LIMIT + 2)]
    assert sent == [True] * RESET_LIMIT + [False, False]
    frozen.shift(timedelta(hours=1, minutes=1))
    assert send_password_reset("ana@example.com", link)
    assert len(mail.outbox) == RESET_LIMIT + 1


def test_the_invitation_mail_names_who_invited(db, settings):
    settings.EMAIL_CONFIGURED = True
    admin = add_account("lead@example.com", name="Lea Diaz", is_admin=True).account
    invitation = add_account("ana@example.com")
    assert send_invitation(invitation, "https://k.example.org/accounts/invite/x/", invited_by=admin)
    (message,) = mail.outbox
    assert "Lea Diaz invited you to Kithkin" in message.body
    assert "https://k.example.org/accounts/invite/x/" in message.alternatives[0][0]
