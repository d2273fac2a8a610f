"""The secret calendar feed of a user's follow-ups and networking blocks."""

from __future__ import annotations

from django.db import models

from kithkin.core.models import Owned


class CalendarFeed(Owned):
    """The secret that makes the feed URL. Kept readable (not hashed) so the user can copy the
    same URL again; revoking deletes it and a later request makes a new one."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner"], name="calendarfeed_one_per_owner")]

    def __str__(self) -> str:
        return f"calendar feed of {self.owner_id}"
