from __future__ import annotations

import hashlib
import re
import secrets
import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction

from kithkin.accounts.hooks import SettingsChanged, settings_changed
from kithkin.accounts.models import LoginToken, Profile, RoutineBlock
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness, parse_choice
from kithkin.core.errors import BadInput
from kithkin.core.scopes import owner_scope, unscoped

# Profiles are read on every request and command; keep the one loaded on the user object.
_PROFILE_CACHE = "_kithkin_profile"
MAX_WEEKLY_TARGET = 1000


def system_time_zone() -> str:
    """The machine's time zone name, for a new local owner; UTC when it cannot be told."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
        if name:
            zoneinfo.ZoneInfo(name)
            return name
    except Exception:  # tzlocal raises several kinds on odd systems; UTC is a safe answer
        pass
    return "UTC"


def get_profile(owner: AbstractBaseUser | User) -> Profile:
    """The owner's settings, created with defaults on first use."""
    cached: Profile | None = getattr(owner, _PROFILE_CACHE, None)
    if cached is not None:
        return cached
    profile, _ = Profile.objects.get_or_create(owner=owner, defaults={"time_zone": system_time_zone()})
    setattr(owner, _PROFILE_CACHE, profile)
    return profile


@transaction.atomic
def get_or_create_local_owner(username: str | None = None) -> User:
    """The account the CLI acts for: ``KITHKIN_USER`` or "owner", created on first use."""
    name = username or settings.LOCAL_OWNER_USERNAME
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=name)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    # The account's own settings, read in its own scope: this runs before a face has one.
    with owner_scope(user):
        get_profile(user)
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_login_token(owner: User, lifetime: timedelta | None = None) -> str:
    """A fresh one-time login token for ``owner``, valid for ``lifetime`` (the login link's
    ``LOGIN_LINK_MINUTES`` by default; an invitation's is longer); only its hash is kept."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    LoginToken.objects.for_owner(owner).filter(expires_at__lt=now).delete()
    LoginToken.objects.create(
        owner=owner,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + (lifetime or timedelta(minutes=settings.LOGIN_LINK_MINUTES)),
    )
    return token


def _usable(found: LoginToken | None, now: datetime) -> bool:
    # A disabled account's links stop working with it (and work again if it is enabled in time).
    return found is not None and found.used_at is None and found.expires_at > now and found.owner.is_active


def login_token_owner(token: str) -> User | None:
    """Whose a login token is, leaving it unused; None if unknown, used or expired. The link's
    page asks before it signs in, and only ``redeem_login_token`` uses the token up."""
    # Unscoped: the token's hash is what tells whose it is; the one asking is not signed in yet.
    with unscoped():
        found = LoginToken.objects.select_related("owner").filter(token_hash=_hash(token)).first()
    if not _usable(found, clock.now()):
        return None
    assert found is not None
    return found.owner


@transaction.atomic
def redeem_login_token(token: str) -> User | None:
    """The user a login token belongs to, marking it used; None if unknown, used or expired."""
    now = clock.now()
    # Unscoped: the token's hash is what tells whose it is; the one asking is not signed in yet.
    with unscoped():
        found = LoginToken.objects.select_for_update().select_related("owner").filter(token_hash=_hash(token)).first()
    if not _usable(found, now):
        return None
    assert found is not None
    found.used_at = now
    found.save(update_fields=["used_at"])
    return found.owner


MAX_YOUR_NAME = 150  # User.first_name's length


def update_settings(
    owner: User,
    *,
    time_zone: str | None = None,
    cadences: dict[str, int | None] | None = None,
    weekly_touch_goal: int | None = None,
    weekly_new_people_goal: int | None = None,
    weekly_gives_goal: int | None = None,
    phone_region: str | None = None,
    import_circle: str | None = None,
    import_closeness: str | None = None,
    your_name: str | None = None,
    appearance: str | None = None,
    email: str | None = None,
    digest: bool | None = None,
    digest_time: time | str | None = None,
) -> Profile:
    """Change the owner's settings. Check-ins move with a new cadence (the followups app listens).

    Every value is checked before any is set: a refused one leaves the profile as it was.
    """
    profile = get_profile(owner)
    values: dict[str, object] = {}
    if time_zone is not None:
        values["time_zone"] = _checked_time_zone(time_zone)
    values.update(_cadence_values(cadences or {}))
    if phone_region is not None:
        values["phone_region"] = _checked_phone_region(phone_region)
    # The weekly routine's targets: touches, new people met and gives made each week.
    values.update(
        _weekly_targets(
            weekly_touch_goal=weekly_touch_goal,
            weekly_new_people_goal=weekly_new_people_goal,
            weekly_gives_goal=weekly_gives_goal,
        )
    )
    values.update(_import_defaults(import_circle, import_closeness))
    if appearance is not None:
        values["appearance"] = parse_choice(Profile.Appearance, appearance, "appearance")
    # Signs the messages Kithkin drafts (introductions, shared links).
    name_given = None if your_name is None else _checked_your_name(your_name)
    # The user's own address: where the daily digest and password-reset links are sent.
    email_given = None if email is None else checked_account_email(email, owner)
    values.update(_digest_values(profile, owner, digest, digest_time, email_given))
    moves_check_ins = any(name.startswith("cadence_") or name == "time_zone" for name in values)
    for name, value in values.items():
        setattr(profile, name, value)
    with transaction.atomic():
        profile.save()
        if name_given is not None:
            _set_your_name(owner, name_given)
        if email_given is not None and owner.email != email_given:
            owner.email = email_given
            owner.save(update_fields=["email"])
        if moves_check_ins:
            settings_changed.run(SettingsChanged(owner, profile))
    return profile


def _checked_time_zone(time_zone: str) -> str:
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise BadInput("time_zone", f"unknown time zone {time_zone!r}; use a name like Europe/Madrid") from exc
    return time_zone


def _cadence_values(cadences: dict[str, int | None]) -> dict[str, object]:
    """Check-in cadence by closeness, as profile fields; None for no check-ins at that closeness."""
    values: dict[str, object] = {}
    for closeness, days in cadences.items():
        level = Closeness(closeness)
        if days is not None and days <= 0:
            raise BadInput(f"cadence_{level.value}_days", "must be a positive number of days, or empty for none")
        values[f"cadence_{level.value}_days"] = days
    return values


def _checked_phone_region(phone_region: str) -> str:
    import phonenumbers  # loaded on first use (start-up)

    region = phone_region.strip().upper()
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        raise BadInput("phone_region", f"unknown country code {phone_region!r}; use two letters like ES or US")
    return region


def _weekly_targets(**targets: int | None) -> dict[str, object]:
    """The targets given (by profile field name), each checked."""
    values: dict[str, object] = {}
    for name, target in targets.items():
        if target is not None:
            if not 0 <= target <= MAX_WEEKLY_TARGET:
                raise BadInput(name, f"must be between 0 and {MAX_WEEKLY_TARGET}")
            values[name] = target
    return values


def _import_defaults(import_circle: str | None, import_closeness: str | None) -> dict[str, object]:
    """The circle (empty for none) and closeness new people of an import start with."""
    values: dict[str, object] = {}
    if import_circle is not None:
        values["import_circle"] = parse_choice(Circle, import_circle, "import_circle") if import_circle.strip() else ""
    if import_closeness is not None:
        values["import_closeness"] = parse_choice(Closeness, import_closeness, "import_closeness")
    return values


def _digest_values(
    profile: Profile, owner: User, digest: bool | None, digest_time: time | str | None, email: str | None
) -> dict[str, object]:
    """The daily digest on or off and its time of day; it goes to the owner's address, so it is
    never on without one (turning it on, or clearing the address while it is on)."""
    values: dict[str, object] = {}
    if digest is not None:
        values["is_digest_on"] = digest
    if digest_time is not None:
        values["digest_time"] = digest_time if isinstance(digest_time, time) else checked_time_of_day(digest_time)
    is_on = profile.is_digest_on if digest is None else digest
    address = owner.email if email is None else email
    if is_on and not address:
        if digest:
            raise BadInput("digest", "the daily digest is sent to your address: give your address first")
        raise BadInput("email", "the daily digest is sent to this address: turn the digest off first")
    return values


def _checked_your_name(your_name: str) -> str:
    name = " ".join(your_name.split())
    if len(name) > MAX_YOUR_NAME:
        raise BadInput("your_name", f"must be at most {MAX_YOUR_NAME} characters")
    return name


def checked_account_email(email: str, owner: User | None = None, field: str = "email") -> str:
    """An account's own address, normalised; '' clears it. Two accounts never share one: it is
    how a password reset and ``--user`` find the account."""
    from kithkin.lib.emails import EmailError, normalize_email

    if not email.strip():
        return ""
    try:
        address = normalize_email(email)
    except EmailError as exc:
        raise BadInput(field, str(exc)) from None
    others = get_user_model().objects.filter(email__iexact=address)
    if owner is not None:
        others = others.exclude(pk=owner.pk)
    if others.exists():
        raise BadInput(field, f"{address} is already the address of another account")
    return address


def _set_your_name(owner: User, name: str) -> None:
    if (owner.first_name, owner.last_name) != (name, ""):
        owner.first_name, owner.last_name = name, ""
        owner.save(update_fields=["first_name", "last_name"])


# --- weekly networking blocks -------------------------------------------------------------------

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thur", "thurs", "thursday"),
         ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]
    )
    for name in (*names, names[-1] + "s")
}  # fmt: skip
_BLOCK = re.compile(
    r"^\s*(?P<day>[A-Za-z]+)\.?,?\s+(?P<start>\d{1,2}(?:[:.h]\d{2})?)\s*(?:-|–|to)\s*(?P<end>\d{1,2}(?:[:.h]\d{2})?)\s*(?P<title>.*?)\s*$"
)


_TIME_OF_DAY = re.compile(r"^\d{1,2}(?:[:.h]\d{2})?$")


def checked_time_of_day(text: str, field: str = "digest_at") -> time:
    """ "07:30", "7.30", "7h30" or "7" as a time of day."""
    if not _TIME_OF_DAY.match(text.strip()):
        raise BadInput(field, f"expected a time of day as HH:MM, like 07:30; got {text!r}")
    return _clock_time(text.strip(), field)


def _clock_time(text: str, field: str) -> time:
    hours, _, minutes = re.split(r"([:.h])", text, maxsplit=1) if re.search(r"[:.h]", text) else (text, "", "0")
    hour, minute = int(hours), int(minutes or 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise BadInput(field, f"{text!r} is not a time of day")
    return time(hour, minute)


def parse_block(text: str, field: str = "block") -> tuple[int, time, time, str]:
    """ "Tue 08:30-09:00 Networking time" -> (1, 08:30, 09:00, "Networking time")."""
    match = _BLOCK.match(text)
    if not match:
        raise BadInput(field, f"expected DAY HH:MM-HH:MM [TITLE], like 'Tue 08:30-09:00 Networking time'; got {text!r}")
    day = match["day"].lower()
    if day not in _WEEKDAYS:
        raise BadInput(field, f"{match['day']!r} is not a day of the week")
    start, end = _clock_time(match["start"], field), _clock_time(match["end"], field)
    if end <= start:
        raise BadInput(field, f"{text!r} ends before it starts")
    title = match["title"].strip(" ,") or "Networking time"
    if len(title) > 100:
        raise BadInput(field, "a block's title must be at most 100 characters")
    return _WEEKDAYS[day], start, end, title


@transaction.atomic
def set_routine_blocks(owner: User, blocks: list[str], *, now: datetime | None = None) -> list[RoutineBlock]:
    """Replace the owner's weekly networking blocks (each "Tue 08:30-09:00 Networking time").
    Every block is checked before any is changed; an empty list removes them all."""
    parsed = [parse_block(text, "block") for text in blocks]
    now = now or clock.now()
    RoutineBlock.objects.for_owner(owner).delete()
    return RoutineBlock.objects.bulk_create(
        RoutineBlock(owner=owner, weekday=day, starts_at=start, ends_at=end, title=title, created_at=now)
        for day, start, end, title in parsed
    )


def update_settings_and_blocks(owner: User, *, blocks: list[str] | None, **changes: Any) -> Profile:
    """``update_settings(owner, **changes)`` and, unless ``blocks`` is None, ``set_routine_blocks``,
    all or nothing: `kithkin settings` takes both at once, and a refused block must leave the
    other settings as they were."""
    if blocks is not None:
        # Checked first: a refused block must not leave the settings changed on the profile in hand.
        for text in blocks:
            parse_block(text, "block")
    with transaction.atomic():
        profile = update_settings(owner, **changes)
        if blocks is not None:
            set_routine_blocks(owner, blocks)
    return profile


def routine_blocks(owner: User) -> list[RoutineBlock]:
    return list(RoutineBlock.objects.for_owner(owner))
