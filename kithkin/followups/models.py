from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.db import models

import kithkin.core.lookups  # noqa: F401  (registers literal_in)
from kithkin.core.models import Owned, OwnedQuerySet
from kithkin.core.scopes import OwnerScopedManager
from kithkin.interactions.models import Touch
from kithkin.people.models import Person


class FollowUpQuerySet(OwnedQuerySet["FollowUp"]):
    def pending(self) -> FollowUpQuerySet:
        """Open or snoozed: not yet done or skipped. Written as literals so SQLite can use the
        partial indexes below, whose condition is the same."""
        return self.filter(status__literal_in=[str(s) for s in FollowUp.PENDING])

    def due_by(self, moment: datetime) -> FollowUpQuerySet:
        """Pending follow-ups that should be on the list at ``moment``, soonest (most overdue) first."""
        return self.pending().filter(remind_at__lte=moment).order_by("remind_at", "id")

    def overdue(self, moment: datetime) -> FollowUpQuerySet:
        return self.pending().filter(remind_at__lt=moment)


_FollowUpManagerBase = models.Manager.from_queryset(FollowUpQuerySet)


class FollowUpManager(OwnerScopedManager["FollowUp"], _FollowUpManagerBase):
    pass


class FollowUp(Owned):
    """A due action for a person, created by a rule or by hand."""

    class Kind(models.TextChoices):
        THANK_YOU = "thank_you", "thank-you"
        CHECK_IN = "check_in", "check-in"
        CLOSE_LOOP = "close_loop", "close the loop"
        CONGRATULATE = "congratulate", "congratulate"
        INTRODUCTION = "introduction", "introduction step"
        CUSTOM = "custom", "reminder"

    class Status(models.TextChoices):
        OPEN = "open", "open"
        DONE = "done", "done"
        SNOOZED = "snoozed", "snoozed"
        SKIPPED = "skipped", "skipped"

    class Origin(models.TextChoices):
        TOUCH = "touch", "a touch"
        CADENCE = "cadence", "the check-in cadence"
        USER = "user", "you"
        RULE = "rule", "a rule"  # an exchange, introduction, milestone or birthday

    PENDING = (Status.OPEN, Status.SNOOZED)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=300)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    # When it shows up on the due list: due_at, or snoozed_until while snoozed. One indexed
    # column keeps the due list a range scan.
    remind_at = models.DateTimeField()
    origin = models.CharField(max_length=10, choices=Origin.choices)
    touch = models.ForeignKey(Touch, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups")
    # What caused it ("touch:12", "cadence"): a rule never makes two pending follow-ups of
    # one kind for the same person and cause.
    cause = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[FollowUpManager] = FollowUpManager()  # type: ignore[assignment]  # narrows Owned.objects

    class Meta:
        ordering = ["remind_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "person", "kind", "cause"],
                condition=models.Q(status__in=["open", "snoozed"]),
                name="followup_one_pending_per_cause",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="snoozed", snoozed_until__isnull=True),
                name="followup_snoozed_has_until",
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner", "remind_at"],
                condition=models.Q(status__in=["open", "snoozed"]),
                name="followup_pending_by_remind",
            ),
            models.Index(
                fields=["owner", "kind", "remind_at"],
                condition=models.Q(status__in=["open", "snoozed"]),
                name="followup_pending_kind_remind",
            ),
            models.Index(fields=["person", "kind", "status"], name="followup_person_kind_status"),
        ]

    def __str__(self) -> str:
        return self.reason

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING
