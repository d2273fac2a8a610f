from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.db import models

from kithkin.core.models import Owned, RendersMarkdown, Stamped
from kithkin.people.models import Person

# A touch logged more than this long after it happened is history: it moves check-ins but
# asks for no thank-you or close-the-loop, so loading old history never floods the list.
HISTORY_AFTER = timedelta(days=7)


class Touch(RendersMarkdown, Stamped, Owned):
    """One interaction with one or more people."""

    markdown_fields: ClassVar[dict[str, str]] = {"notes": "notes_html"}

    class Kind(models.TextChoices):
        COFFEE = "coffee", "coffee"
        MEAL = "meal", "meal"
        MEETING = "meeting", "meeting"
        CALL = "call", "call"
        VIDEO = "video", "video call"
        EMAIL = "email", "email"
        MESSAGE = "message", "message"
        EVENT = "event", "event"
        INFORMATIONAL_INTERVIEW = "informational_interview", "informational interview"
        SOCIAL = "social", "social"
        # Help given or received (an exchange of the give-and-take ledger): it counts as being
        # in touch, and is logged by the exchanges app, not by quick capture.
        HELP = "help", "help"
        OTHER = "other", "other"

    class InitiatedBy(models.TextChoices):
        ME = "me", "me"
        THEM = "them", "them"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    happened_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    # The notes as sanitised HTML, rendered when they are saved (core.models.RendersMarkdown).
    notes_html = models.TextField(blank=True, editable=False)
    advice = models.TextField(blank=True, help_text="Advice received, to close the loop on later.")
    initiated_by = models.CharField(max_length=4, choices=InitiatedBy.choices, default=InitiatedBy.ME)
    created_at = models.DateTimeField()
    # Where an imported touch came from (a calendar event's UID and start), so importing the
    # same file again finds it instead of logging it twice. Empty for touches logged by hand.
    source_key = models.CharField(max_length=300, blank=True)
    people: models.ManyToManyField[Person, TouchParticipant] = models.ManyToManyField(
        Person, through="TouchParticipant", related_name="touches"
    )

    class Meta:
        ordering = ["-happened_at", "-id"]
        indexes = [models.Index(fields=["owner", "-happened_at"], name="touch_owner_happened")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_key"], condition=~models.Q(source_key=""), name="touch_unique_source_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_at:%Y-%m-%d}"

    @property
    def is_history(self) -> bool:
        return self.created_at - self.happened_at > HISTORY_AFTER


class TouchParticipant(Owned):
    """A person in a touch. ``happened_at`` is copied from the touch so a person's timeline
    and latest touch come from one index."""

    touch = models.ForeignKey(Touch, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    happened_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "touch", "person"], name="participant_once_per_touch")]
        indexes = [models.Index(fields=["person", "-happened_at"], name="participant_person_happened")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.touch_id}"
