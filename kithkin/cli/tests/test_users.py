"""kithkin user add, list, disable, enable; kithkin link --user."""

import re

import pytest
from django.contrib.auth.models import User

from kithkin.accounts.services import login_token_owner
from kithkin.testing import run_json

pytestmark = pytest.mark.usefixtures("frozen")


def token_of(url):
    match = re.search(r"/accounts/(?:invite|reset)/([^/]+)/$", url.strip())
    assert match, url
    return match.group(1)


def test_user_add_makes_the_account_and_prints_its_invitation_link(kithkin):
    code, out, err = kithkin("user", "add", "Ana@Example.com", "--name", "Ana Ruiz", "--admin")
    assert code == 0, err
    assert out.startswith("http://127.0.0.1:8000/accounts/invite/")
    assert "ana@example.com (admin) made" in err and "within 7 days" in err
    ana = User.objects.get(email="ana@example.com")
    assert ana.username == "ana@example.com" and ana.is_staff and not ana.has_usable_password()
    assert login_token_owner(token_of(out)) == ana


def test_user_add_names_the_server_by_its_base_url_when_set(kithkin, settings):
    settings.BASE_URL_SET, settings.BASE_URL = True, "https://kithkin.example.org"
    made = run_json(kithkin, "user", "add", "ana@example.com")
    assert made["invitation_url"].startswith("https://kithkin.example.org/accounts/invite/")
    assert made["email"] == "ana@example.com" and made["admin"] is False and made["has_password"] is False


def test_user_add_refuses_an_address_another_account_has_in_one_line(kithkin):
    assert kithkin("user", "add", "ana@example.com")[0] == 0
    code, out, err = kithkin("user", "add", "ANA@example.com")
    assert (code, out) == (1, "")
    assert err == "kithkin: error: EMAIL: ana@example.com is already the address of another account\n"
    code, _out, err = kithkin("user", "add", "not an address")
    assert code == 1 and err.startswith("kithkin: error: EMAIL: ") and len(err.splitlines()) == 1


def test_user_list_shows_every_account(kithkin):
    kithkin("user", "add", "ana@example.com", "--name", "Ana Ruiz", "--admin")
    listed = run_json(kithkin, "user", "list")
    assert [(a["username"], a["email"], a["admin"], a["active"]) for a in listed] == [
        ("owner", "", False, True),
        ("ana@example.com", "ana@example.com", True, True),
    ]
    assert listed[1]["name"] == "Ana Ruiz" and listed[1]["last_sign_in_at"] is None and listed[1]["joined_at"]
    code, out, _err = kithkin("user", "list")
    assert code == 0 and "ana@example.com" in out and "Ana Ruiz" in out and "never" in out


def test_user_disable_and_enable(kithkin):
    kithkin("user", "add", "boss@example.com", "--admin")
    kithkin("user", "add", "ana@example.com")
    code, out, _err = kithkin("user", "disable", "Ana@example.com")
    assert code == 0 and "ana@example.com is switched off" in out and "data is kept" in out
    assert not User.objects.get(email="ana@example.com").is_active
    code, _out, err = kithkin("link", "--user", "ana@example.com")
    assert code == 1 and "ana@example.com is switched off" in err
    code, out, _err = kithkin("user", "enable", "ana@example.com")
    assert code == 0 and "active again" in out
    assert User.objects.get(email="ana@example.com").is_active


def test_the_last_active_admin_is_not_switched_off(kithkin):
    kithkin("user", "add", "boss@example.com", "--admin")
    code, _out, err = kithkin("user", "disable", "boss@example.com")
    assert code == 1
    assert err == "kithkin: error: EMAIL: boss@example.com is the last active admin; make another admin first\n"


def test_an_unknown_address_is_named(kithkin):
    code, _out, err = kithkin("user", "disable", "nobody@example.com")
    assert code == 1 and "EMAIL: no account has the address nobody@example.com" in err
    code, _out, err = kithkin("link", "--user", "nobody@example.com")
    assert code == 1 and err.startswith("kithkin: error: --user: no account has the address nobody@example.com")


def test_link_for_a_user_prints_a_reset_link_for_that_account(kithkin):
    kithkin("user", "add", "ana@example.com")
    code, out, err = kithkin("link", "--user", "ana@example.com")
    assert code == 0 and "/accounts/reset/" in out and "30 minutes" in err
    assert login_token_owner(token_of(out)) == User.objects.get(email="ana@example.com")


def test_link_without_a_user_is_for_the_local_owner_as_before(kithkin):
    code, out, _err = kithkin("link")
    assert code == 0 and "/accounts/link/" in out
    owner = User.objects.get(username="owner")
    assert login_token_owner(out.strip().rsplit("/", 2)[1]) == owner
