"""The one place Kithkin asks what time it is, so tests can freeze it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
