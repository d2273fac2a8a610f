"""Networking events with a plan before and a review after."""

from __future__ import annotations

from django.db import models

from kithkin.core.choices import Circle
from kithkin.core.models import Owned
from kithkin.interactions.models import Touch
from kithkin.people.models import Person


class Event(Owned):
    """A networking event: what the user wants from it, their pitch, conversation starters, the
    people they hope to meet; afterwards, whom they met and whether it was worth going."""

    name = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    where = models.CharField(max_length=300, blank=True)
    goal = models.TextField(blank=True, help_text="What you want from it.")
    pitch = models.TextField(blank=True, help_text="Your one-line pitch.")
    starters = models.JSONField(default=list, blank=True, help_text="Conversation starters.")
    # The circle of the people met there who are new to the network ("community", "colleague").
    circle = models.CharField(max_length=20, choices=Circle.choices, blank=True)
    verdict = models.TextField(blank=True)
    is_worth_again = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["owner", "-starts_at"], name="event_owner_starts")]

    def __str__(self) -> str:
        return self.name


class EventHope(Owned):
    """Someone the user hopes to meet at an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="hopes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="event_hopes")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["owner", "event", "person"], name="eventhope_once")]

    def __str__(self) -> str:
        return f"hope to meet {self.person_id} at {self.event_id}"


class EventMet(Owned):
    """Someone the user met at an event, with the touch that records it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="met")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events_met")
    touch = models.ForeignKey(Touch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Added to the network because of this meeting (a new name), not someone already known: an
    # event's review counts the new people it brought.
    is_new_person = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["owner", "event", "person"], name="eventmet_once")]

    def __str__(self) -> str:
        return f"met {self.person_id} at {self.event_id}"
