"""Personal access tokens: made once, kept hashed, read-only or not, revoked for good."""

from datetime import timedelta

import pytest
import time_machine

from kithkin.accounts.models import AccessToken
from kithkin.accounts.tokens import NotFound, authenticate, create_token, list_tokens, revoke_token
from kithkin.core.errors import BadInput
from kithkin.core.scopes import owner_scope, unscoped


def test_a_token_is_shown_once_and_kept_only_as_a_hash(alice):
    with owner_scope(alice):
        made = create_token(alice, "  my   script ")
    assert made.secret.startswith("kk_") and len(made.secret) > 40
    with unscoped():
        stored = AccessToken.objects.get(pk=made.token.pk)
    assert stored.name == "my script"
    assert made.secret not in (stored.token_hash, stored.prefix)
    assert made.secret.startswith(stored.prefix)
    access = authenticate(made.secret)
    assert access is not None and access.user == alice and access.may_write


def test_unknown_revoked_or_disabled_tokens_are_refused(alice, bob):
    with owner_scope(alice):
        made = create_token(alice, "a", read_only=True)
    access = authenticate(made.secret)
    assert access is not None and not access.may_write
    assert authenticate("kk_nothing") is None
    assert authenticate(made.secret[3:]) is None
    with owner_scope(bob), pytest.raises(NotFound):
        revoke_token(bob, made.token.pk)
    assert authenticate(made.secret) is not None
    with owner_scope(alice):
        revoke_token(alice, made.token.pk)
        assert [t.revoked_at is not None for t in list_tokens(alice)] == [True]
        assert list_tokens(alice, include_revoked=False) == []
    assert authenticate(made.secret) is None
    with owner_scope(alice):
        again = create_token(alice, "b")
    alice.is_active = False
    alice.save()
    assert authenticate(again.secret) is None


def test_the_last_use_is_kept_to_the_minute(alice):
    with time_machine.travel("2026-12-07 10:00:00Z", tick=False) as traveller:
        with owner_scope(alice):
            made = create_token(alice, "a")
        authenticate(made.secret)
        with unscoped():
            first = AccessToken.objects.get(pk=made.token.pk).last_used_at
        assert first is not None
        traveller.shift(timedelta(seconds=30))
        authenticate(made.secret)
        with unscoped():
            assert AccessToken.objects.get(pk=made.token.pk).last_used_at == first
        traveller.shift(timedelta(seconds=40))
        authenticate(made.secret)
        with unscoped():
            assert AccessToken.objects.get(pk=made.token.pk).last_used_at > first


def test_a_token_needs_a_name(alice):
    with owner_scope(alice), pytest.raises(BadInput) as refused:
        create_token(alice, "   ")
    assert refused.value.field == "name"
