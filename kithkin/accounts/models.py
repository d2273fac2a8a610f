from __future__ import annotations

import datetime
import zoneinfo

from django.db import models

from kithkin.core.choices import DEFAULT_CADENCE_DAYS, Circle, Closeness
from kithkin.core.models import Owned, Stamped


class Profile(Stamped, Owned):
    """The user's own settings: time zone, check-in cadence per closeness level, weekly goal."""

    class Appearance(models.TextChoices):
        """Light or dark pages; the system's choice by default (html[data-theme] in base.html)."""

        SYSTEM = "system", "Match my system"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    time_zone = models.CharField(max_length=64, default="UTC")
    phone_region = models.CharField(
        max_length=2, blank=True, help_text="Country code (ES, US) for phone numbers written without one."
    )
    cadence_inner_days = models.PositiveIntegerField(null=True, blank=True, default=7)
    cadence_close_days = models.PositiveIntegerField(null=True, blank=True, default=30)
    cadence_active_days = models.PositiveIntegerField(null=True, blank=True, default=90)
    cadence_wider_days = models.PositiveIntegerField(null=True, blank=True, default=180)
    cadence_acquaintance_days = models.PositiveIntegerField(null=True, blank=True, default=None)
    weekly_touch_goal = models.PositiveIntegerField(default=5)
    # The rest of the weekly routine: new people met and gives made each week.
    weekly_new_people_goal = models.PositiveIntegerField(default=2)
    weekly_gives_goal = models.PositiveIntegerField(default=2)
    # The user's own wording of the double opt-in messages; empty means Kithkin's default.
    intro_ask_a_template = models.TextField(blank=True)
    intro_ask_b_template = models.TextField(blank=True)
    intro_email_template = models.TextField(blank=True)
    # The user's own wording of the message each follow-up drafts (kithkin.drafts); empty means
    # Kithkin's default.
    draft_thank_you_template = models.TextField(blank=True)
    draft_check_in_template = models.TextField(blank=True)
    draft_close_loop_template = models.TextField(blank=True)
    draft_congratulate_template = models.TextField(blank=True)
    draft_report_back_template = models.TextField(blank=True)
    draft_rekindle_template = models.TextField(blank=True)
    # Imported people start with these: most LinkedIn connections are acquaintances, who get no
    # check-ins until the user moves them closer.
    import_circle = models.CharField(max_length=20, choices=Circle.choices, blank=True)
    import_closeness = models.CharField(max_length=20, choices=Closeness.choices, default=Closeness.ACQUAINTANCE)
    appearance = models.CharField(max_length=10, choices=Appearance.choices, default=Appearance.SYSTEM)
    # The daily digest (kithkin.digest): off until the user turns it on; sent to User.email each
    # morning once the local time is past ``digest_time``. ``digest_sent_on`` is the local date of
    # the last one sent: the claim that keeps two processes from both sending it.
    is_digest_on = models.BooleanField(default=False)
    digest_time = models.TimeField(default=datetime.time(7, 30))
    digest_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner"], name="profile_one_per_owner")]

    def __str__(self) -> str:
        return f"settings of {self.owner_id}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def cadence_for(self, closeness: str) -> int | None:
        if closeness not in DEFAULT_CADENCE_DAYS:
            return None
        value: int | None = getattr(self, f"cadence_{Closeness(closeness).value}_days")
        return value or None


class LoginToken(Owned):
    """A one-time login link: only the hash is stored; it works once and expires."""

    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Unique per owner, so that a database distributed by owner can enforce it (docs/scaling.md).
        constraints = [models.UniqueConstraint(fields=["owner", "token_hash"], name="logintoken_owner_hash")]
        indexes = [
            models.Index(fields=["owner", "expires_at"], name="logintoken_owner_expiry"),
            # The link names its token, not its owner (who is not signed in yet): found by its hash.
            models.Index(fields=["token_hash"], name="logintoken_hash"),
        ]

    def __str__(self) -> str:
        return f"login link for {self.owner_id}"


class RoutineBlock(Stamped, Owned):
    """A weekly block of networking time ("Networking time, Tuesdays 8:30–9:00") in the user's
    time zone, published in the calendar feed so it lands in their calendar."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    title = models.CharField(max_length=100, default="Networking time")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="routine_block_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.get_weekday_display()}s {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class AccessToken(Owned):
    """A personal access token for the HTTP API and the agent server (``kithkin token create``).

    Only its hash is kept, shown once when made. A read-only token reads and never writes. Revoked
    tokens are kept (with when) so the list tells what was turned off; they never work again."""

    name = models.CharField(max_length=100)
    # The token's first characters ("kk_3fQ9"), to tell tokens apart in a list without the secret.
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64)
    read_only = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "token_hash"], name="accesstoken_owner_hash")]
        # A request names its token, not its owner: found by its hash.
        indexes = [models.Index(fields=["token_hash"], name="accesstoken_hash")]

    def __str__(self) -> str:
        return f"token {self.name!r} of {self.owner_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
