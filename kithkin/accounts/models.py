from __future__ import annotations

import zoneinfo

from django.db import models

from kithkin.core.choices import DEFAULT_CADENCE_DAYS, Closeness
from kithkin.core.models import Owned


class Profile(Owned):
    """The user's own settings: time zone, check-in cadence per closeness level, weekly goal."""

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

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "expires_at"], name="logintoken_owner_expiry")]

    def __str__(self) -> str:
        return f"login link for {self.owner_id}"
