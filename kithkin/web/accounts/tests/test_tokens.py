"""Settings → Access tokens: make one and see it once, list them, revoke one after a confirmation;
only your own."""

import html

from django.test import Client
from django.urls import reverse

from kithkin.accounts.models import AccessToken
from kithkin.accounts.tokens import authenticate, create_token

TOKENS = reverse("accounts:tokens")


def test_settings_links_to_the_tokens_page(signed_in):
    page = signed_in.get(reverse("accounts:settings")).content.decode()
    assert f'href="{TOKENS}"' in page


def test_a_token_is_made_and_shown_once_with_how_to_use_it(signed_in, alice):
    answer = signed_in.post(TOKENS, {"name": "laptop script"})
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store, private"
    page = html.unescape(answer.content.decode())
    token = AccessToken.objects.get(owner=alice)
    secret = page.split('id="new-token" value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("kk_") and secret.startswith(token.prefix)
    assert f"Authorization: Bearer {secret}" in page and 'href="/api/v1/docs"' in page
    assert 'data-copy="new-token"' in page
    assert authenticate(secret).user == alice and not token.read_only
    again = html.unescape(signed_in.get(TOKENS).content.decode())
    assert secret not in again and "laptop script" in again and f"{token.prefix}…" in again


def test_a_read_only_token_says_so(signed_in, alice):
    signed_in.post(TOKENS, {"name": "reader", "read_only": "on"})
    assert AccessToken.objects.get(owner=alice).read_only
    assert "read-only" in signed_in.get(TOKENS).content.decode()


def test_a_token_needs_a_name_and_nothing_is_made_without_one(signed_in, alice):
    answer = signed_in.post(TOKENS, {"name": "   "})
    assert answer.status_code == 400
    assert 'aria-invalid="true"' in answer.content.decode()
    assert not AccessToken.objects.filter(owner=alice).exists()


def test_revoking_asks_first_then_turns_the_token_off(signed_in, alice):
    made = create_token(alice, "old script")
    url = reverse("accounts:token_revoke", args=[made.token.pk])
    assert f'href="{url}"' in signed_in.get(TOKENS).content.decode()
    confirm = signed_in.get(url)
    assert confirm.status_code == 200 and "Revoke the token" in confirm.content.decode()
    assert authenticate(made.secret) is not None
    done = signed_in.post(url)
    assert done.status_code == 302 and done["Location"] == TOKENS
    assert authenticate(made.secret) is None
    listed = signed_in.get(TOKENS).content.decode()
    assert "revoked" in listed and f'href="{url}"' not in listed


def test_revoking_needs_the_csrf_token(alice):
    made = create_token(alice, "script")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    refused = strict.post(reverse("accounts:token_revoke", args=[made.token.pk]))
    assert refused.status_code == 403
    assert authenticate(made.secret) is not None


def test_another_accounts_tokens_are_neither_listed_nor_revoked(signed_in, bob):
    theirs = create_token(bob, "bob's script")
    assert "bob's script" not in html.unescape(signed_in.get(TOKENS).content.decode())
    url = reverse("accounts:token_revoke", args=[theirs.token.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url).status_code == 404
    assert authenticate(theirs.secret) is not None


def test_the_page_needs_a_sign_in(client):
    assert client.get(TOKENS).status_code == 302
