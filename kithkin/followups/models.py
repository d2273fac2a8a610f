from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import ClassVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

import kithkin.core.lookups  # noqa: F401  (registers literal_in)
from kithkin.core.models import Owned, OwnedQuerySet, Stamped
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

    def caused_by(self, *causes: models.Model, keys: tuple[str, ...] = ()) -> FollowUpQuerySet:
        """The follow-ups these objects caused; with ``keys``, only those with one of these keys
        (an introduction's "ask-a")."""
        ids: dict[int, list[object]] = defaultdict(list)
        for cause in causes:
            ids[ContentType.objects.get_for_model(cause).pk].append(cause.pk)
        which = models.Q(pk__in=[])
        for type_id, pks in ids.items():
            which |= models.Q(cause_type_id=type_id, cause_id__in=pks)
        return self.filter(which, cause_key__in=keys) if keys else self.filter(which)


_FollowUpManagerBase = models.Manager.from_queryset(FollowUpQuerySet)


class FollowUpManager(OwnerScopedManager["FollowUp"], _FollowUpManagerBase):
    pass


class FollowUp(Stamped, Owned):
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
    # What caused it: the object (a touch, an exchange, an introduction, a milestone; the person
    # themselves for a check-in, a birthday wish or a reminder set by hand) and, for what is not an
    # id, a key: an introduction's step ("ask-a"), a birthday's year, "cadence", a reminder's own
    # random key. A rule never makes two pending follow-ups of one kind for the same person and
    # cause (the constraint below; no column of it may be NULL, as NULLs never collide). A
    # generic relation, so that followups declares no foreign key to the apps above it; the apps
    # above give theirs a GenericRelation, so that a cause deleted takes what it caused along.
    cause_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    cause_id = models.PositiveBigIntegerField()
    cause_key = models.CharField(max_length=40, blank=True, default="")
    cause = GenericForeignKey("cause_type", "cause_id")
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[FollowUpManager] = FollowUpManager()  # type: ignore[assignment]  # narrows Owned.objects

    class Meta:
        ordering = ["remind_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "person", "kind", "cause_type", "cause_id", "cause_key"],
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
            # The weekly review: thank-yous that fell due in a week, follow-ups done in it.
            models.Index(fields=["owner", "kind", "due_at"], name="followup_owner_kind_due"),
            models.Index(fields=["owner", "status", "completed_at"], name="followup_owner_done_at"),
        ]

    def __str__(self) -> str:
        return self.reason

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING
