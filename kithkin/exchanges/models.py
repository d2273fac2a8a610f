"""The give-and-take ledger: who gave whom what, what the user asked for, and links worth sharing."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from kithkin.core.models import Owned, OwnedQuerySet, Stamped
from kithkin.core.scopes import OwnerScopedManager
from kithkin.interactions.models import Touch
from kithkin.people.models import Person


class Kind(models.TextChoices):
    """What was given, received or asked for."""

    INTRO = "intro", "introduction"
    REFERRAL = "referral", "referral"
    ADVICE = "advice", "advice"
    RESOURCE = "resource", "resource"
    FAVOR = "favor", "favor"
    RECOMMENDATION = "recommendation", "recommendation"
    TIME = "time", "time"
    OTHER = "other", "other"


class AskQuerySet(OwnedQuerySet["Ask"]):
    def open(self) -> AskQuerySet:
        """The asks still waiting for an answer: neither settled nor closed."""
        return self.filter(status=Ask.Status.OPEN)


_AskManagerBase = models.Manager.from_queryset(AskQuerySet)


class AskManager(OwnerScopedManager["Ask"], _AskManagerBase):
    pass


class Ask(Owned):
    """Something the user asked a person for: open until help comes (an exchange settles it) or
    the user closes it unanswered."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        SETTLED = "settled", "settled"
        CLOSED = "closed", "closed unanswered"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="asks")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    what = models.CharField(max_length=300)
    asked_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="asks")
    created_at = models.DateTimeField()

    objects: ClassVar[AskManager] = AskManager()  # type: ignore[assignment]  # narrows Owned.objects

    class Meta:
        ordering = ["-asked_on", "-id"]
        indexes = [models.Index(fields=["owner", "person", "status"], name="ask_owner_person_status")]

    def __str__(self) -> str:
        return self.what


class Exchange(Stamped, Owned):
    """One entry of the ledger: the user gave a person something, or got something from them.
    Stamped: the weekly routine's gives are counted once per change (``goals.week``)."""

    class Direction(models.TextChoices):
        GAVE = "gave", "gave"
        GOT = "got", "got"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchanges")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    what = models.CharField(max_length=300)
    happened_on = models.DateField()
    # The touch it counted as (help given or received is being in touch).
    touch = models.ForeignKey(Touch, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges")
    # The ask this help answered.
    settles = models.ForeignKey(Ask, null=True, blank=True, on_delete=models.SET_NULL, related_name="settled_by")
    # For an introduction received: the person the user was introduced to.
    to_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    introduction = models.ForeignKey(
        "introductions.Introduction", null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    created_at = models.DateTimeField()
    # The follow-ups it caused (a thank-you, an introducer's close-the-loop), deleted with it.
    follow_ups = GenericRelation("followups.FollowUp", content_type_field="cause_type", object_id_field="cause_id")

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "person", "direction"], name="exchange_owner_person_dir"),
            models.Index(fields=["owner", "-happened_on"], name="exchange_owner_happened"),
        ]

    def __str__(self) -> str:
        return f"{self.direction}: {self.what}"


class Resource(Owned):
    """A link worth sharing, with the topics it is about."""

    url = models.CharField(max_length=500)
    title = models.CharField(max_length=300, blank=True)
    topics = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "url"], name="resource_unique_url")]

    def __str__(self) -> str:
        return self.title or self.url


class Share(Owned):
    """A resource sent to a person: a give of kind resource, with the message drafted for it."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shares")
    exchange = models.ForeignKey(Exchange, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True)
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "resource", "person"], name="share_once_per_person")]

    def __str__(self) -> str:
        return f"{self.resource_id} to {self.person_id}"
