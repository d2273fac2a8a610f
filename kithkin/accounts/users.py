"""The accounts of a shared server: who has one, inviting someone, signing up, switching an account
off and on, and the one-time links that sign a person in (an invitation, a password reset).

An account made here is named by its address: its user name is the normalised address, and
``User.email`` holds it too. Admins (``is_staff``) manage the accounts (``kithkin user``, the
Team page). A switched-off account (``is_active`` False) keeps its data; it cannot sign in with a
password or a link, its sessions end (removed, and Django's ``ModelBackend`` answers no user for
it meanwhile), and its access tokens stop working (``tokens.authenticate``).

Cross-account by nature: each function that makes or reads another account's rows enters that
account's own scope.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html

from kithkin.accounts.services import checked_account_email, create_login_token, get_profile
from kithkin.core import clock
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.scopes import owner_scope
from kithkin.lib.emails import email_key

# Password-reset mails sent to one address within RESET_WINDOW at most; more asks are answered
# the same way and send nothing (the page never tells whether an address has an account).
RESET_LIMIT = 3
RESET_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Invitation:
    account: User
    token: str  # the one-time link's secret: shown (or mailed) once, kept only as a hash


def is_admin(user: User) -> bool:
    """Whether ``user`` may manage the server's accounts."""
    return bool(user.is_active and (user.is_staff or user.is_superuser))


def account_by_email(email: str, field: str = "email") -> User:
    """The account with this address (any case); NotFound names ``email`` otherwise."""
    found = User.objects.filter(email__iexact=email_key(email)).first()
    if found is None:
        raise NotFound(field, f"no account has the address {email.strip()}")
    return found


def list_accounts() -> list[User]:
    """Every account, the longest-standing first."""
    return list(User.objects.order_by("date_joined", "id"))


def invitation_lifetime() -> timedelta:
    return timedelta(days=settings.INVITE_DAYS)


@transaction.atomic
def add_account(email: str, *, name: str = "", is_admin: bool = False, field: str = "email") -> Invitation:
    """Make an account for ``email`` with no password yet, and its invitation: a one-time link,
    valid ``KITHKIN_INVITE_DAYS``, that signs the person in to an empty network of their own,
    where they set a password. An address another account has is refused."""
    address = _new_address(email, field)
    account = User(username=address, email=address, first_name=_checked_name(name), is_staff=is_admin)
    account.set_unusable_password()
    account.save()
    with owner_scope(account):
        get_profile(account)
        token = create_login_token(account, invitation_lifetime())
    return Invitation(account, token)


@transaction.atomic
def sign_up(email: str, name: str, password: str) -> User:
    """An account made by the person themselves (``KITHKIN_OPEN_SIGNUP``), with their password
    (the face has checked it against the password rules)."""
    address = _new_address(email, "email")
    account = User(username=address, email=address, first_name=_checked_name(name))
    account.set_password(password)
    account.save()
    with owner_scope(account):
        get_profile(account)
    return account


def _new_address(email: str, field: str) -> str:
    if not email.strip():
        raise BadInput(field, "an address is needed: the account is named by it")
    address = checked_account_email(email, field=field)
    # The user name is the address too: an older account may have it as its name only.
    if User.objects.filter(username__iexact=address).exists():
        raise BadInput(field, f"{address} is already the address of another account")
    return address


def _checked_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if len(cleaned) > 150:  # User.first_name's length
        raise BadInput("name", "must be at most 150 characters")
    return cleaned


def sign_in_link_token(account: User, lifetime: timedelta | None = None) -> str:
    """A one-time sign-in link's secret for ``account``, made by the server's operator or an admin
    (the password reset of someone who cannot get mail). A switched-off account has none."""
    if not account.is_active:
        label = account.email or account.get_username()
        raise BadInput("account", f"{label} is switched off; switch it on first")
    with owner_scope(account):
        return create_login_token(account, lifetime)


def new_invitation(account: User) -> Invitation:
    """A fresh invitation link for an account made earlier (the first one lost or expired)."""
    return Invitation(account, sign_in_link_token(account, invitation_lifetime()))


@transaction.atomic
def set_active(account: User, active: bool, *, by: User | None = None) -> User:
    """Switch an account off (it keeps its data, cannot sign in, its sessions and tokens stop
    working) or on again. Refused: switching off the last active admin, who alone could switch
    accounts back on from the web, and an admin switching off their own account."""
    if account.is_active == active:
        return account
    if not active:
        if by is not None and by.pk == account.pk:
            raise BadInput("account", "you cannot switch off your own account")
        # Locked, so that two admins switching each other off at once cannot both succeed.
        admins = User.objects.select_for_update().filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
        if is_admin(account) and not admins.exclude(pk=account.pk).exists():
            label = account.email or account.get_username()
            raise BadInput("account", f"{label} is the last active admin; make another admin first")
    account.is_active = active
    account.save(update_fields=["is_active"])
    if not active:
        end_sessions(account)
    return account


def end_sessions(account: User) -> int:
    """Sign ``account`` out of every browser, for good: a switched-off account answers as signed out
    anyway (``ModelBackend`` refuses it), but its sessions would come back with it when it is
    switched on again. Sessions are kept by key, not by user, so each live one is read: a rare
    admin's action, not a request's. Returns how many ended."""
    from django.contrib.sessions.models import Session

    owner_id = str(account.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=clock.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == owner_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def username_for_sign_in(typed: str) -> str:
    """The user name to check a password against: an address signs in the account that has it
    (in any case), a user name as it is."""
    if "@" not in typed:
        return typed
    found = User.objects.filter(email__iexact=email_key(typed)).first()
    return found.get_username() if found is not None else typed


# --- mail -----------------------------------------------------------------------------------------


def send_password_reset(email: str, link_for: Callable[[str], str], *, now: datetime | None = None) -> bool:
    """Mail a one-time link that signs in and leads to setting a new password, when an active
    account has ``email`` and mail is configured; ``link_for`` makes the link from its secret.
    Whether one was sent is for tests and logs: the face answers the same either way."""
    if not settings.EMAIL_CONFIGURED or not _within_reset_limit(email_key(email), now or clock.now()):
        return False
    account = User.objects.filter(email__iexact=email_key(email), is_active=True).first()
    if account is None:
        return False
    url = link_for(sign_in_link_token(account))
    minutes = settings.LOGIN_LINK_MINUTES
    text = (
        f"Hello{_greeting(account)},\n\n"
        "Someone (we hope you) asked to set a new password for your Kithkin account "
        f"{account.email}. This link signs you in and lets you choose one. It works once, "
        f"within {minutes} minutes:\n\n{url}\n\n"
        "If you did not ask, you can ignore this message: your password stays as it is.\n"
    )
    html = format_html(
        "<p>Hello{},</p><p>Someone (we hope you) asked to set a new password for your Kithkin account {}. "
        "This link signs you in and lets you choose one. It works once, within {} minutes:</p>"
        '<p><a href="{}">Set a new password</a></p><p>If you did not ask, you can ignore this message: '
        "your password stays as it is.</p>",
        _greeting(account),
        account.email,
        minutes,
        url,
    )
    _send("Set a new Kithkin password", text, html, account.email)
    return True


def send_invitation(invitation: Invitation, url: str, *, invited_by: User | None = None) -> bool:
    """Mail an invitation's link to the account's address, when mail is configured."""
    account = invitation.account
    if not settings.EMAIL_CONFIGURED or not account.email:
        return False
    who = (invited_by.get_full_name() or invited_by.email) if invited_by else ""
    by = f"{who} invited you" if who else "You are invited"
    text = (
        f"Hello{_greeting(account)},\n\n{by} to Kithkin, a private place to keep your professional "
        f"network. This link signs you in as {account.email} and lets you choose a password. "
        f"It works once, within {settings.INVITE_DAYS} days:\n\n{url}\n"
    )
    html = format_html(
        "<p>Hello{},</p><p>{} to Kithkin, a private place to keep your professional network. This link "
        "signs you in as {} and lets you choose a password. It works once, within {} days:</p>"
        '<p><a href="{}">Join Kithkin</a></p>',
        _greeting(account),
        by,
        account.email,
        settings.INVITE_DAYS,
        url,
    )
    _send("Your Kithkin account", text, html, account.email)
    return True


def _greeting(account: User) -> str:
    name = account.get_short_name() or account.get_full_name()
    return f" {name}" if name else ""


def _send(subject: str, text: str, html: str, to: str) -> None:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def _within_reset_limit(address: str, now: datetime) -> bool:
    """Count this ask against the address's limit; False once it is spent."""
    key = "kithkin:reset:" + hashlib.sha256(address.encode()).hexdigest()
    asks = [at for at in cache.get(key, []) if at > now - RESET_WINDOW]
    if len(asks) >= RESET_LIMIT:
        return False
    cache.set(key, [*asks, now], int(RESET_WINDOW.total_seconds()))
    return True
