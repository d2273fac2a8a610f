"""The secret calendar feed of a user's follow-ups and networking blocks."""

from __future__ import annotations

from django.db import models

from kithkin.core.models import Owned


class CalendarFeed(Owned):
    """What makes the feed URL's secret, which is stored only hashed (as login links are): the
    secret is an HMAC of ``salt`` under the secret key, so the user can copy the same URL again
    while the database alone (a backup) opens no feed. A URL made before the secret was derived
    keeps working by its hash (``legacy_hash``). Revoking deletes the row; a later request makes
    a new one."""

    salt = models.CharField(max_length=64, blank=True)
    token_hash = models.CharField(max_length=64)
    legacy_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner"], name="calendarfeed_one_per_owner"),
            # Unique per owner, so that a database distributed by owner can enforce it (docs/scaling.md).
            models.UniqueConstraint(fields=["owner", "token_hash"], name="calendarfeed_owner_hash"),
        ]
        indexes = [
            # A calendar asks with the secret alone, not as its owner: the feed is found by its hash.
            models.Index(fields=["token_hash"], name="calendarfeed_hash"),
            models.Index(fields=["legacy_hash"], condition=~models.Q(legacy_hash=""), name="calendarfeed_legacy_hash"),
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.owner_id}"
