"""Double opt-in introductions: ask each side before connecting them."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from kithkin.core.models import Owned
from kithkin.people.models import Person


class Introduction(Owned):
    """An introduction the user makes between two people, and how far it got.

    proposed → asked A → A agreed (or A declined) → asked B → B agreed (or B declined) →
    introduced → outcome recorded; dropped at any point.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", "proposed"
        ASKED_A = "asked_a", "asked A"
        A_AGREED = "a_agreed", "A agreed"
        A_DECLINED = "a_declined", "A declined"
        ASKED_B = "asked_b", "asked B"
        B_AGREED = "b_agreed", "B agreed"
        B_DECLINED = "b_declined", "B declined"
        INTRODUCED = "introduced", "introduced"
        DONE = "done", "outcome recorded"
        DROPPED = "dropped", "dropped"

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="introductions_as_a")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="introductions_as_b")
    why = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROPOSED)
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    asked_a_at = models.DateTimeField(null=True, blank=True)
    a_answered_at = models.DateTimeField(null=True, blank=True)
    asked_b_at = models.DateTimeField(null=True, blank=True)
    b_answered_at = models.DateTimeField(null=True, blank=True)
    introduced_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)
    # The follow-ups its steps caused, deleted with it: an introduction gone (one of its people
    # deleted, or the two merged into one) leaves no nudge about it behind.
    follow_ups = GenericRelation("followups.FollowUp", content_type_field="cause_type", object_id_field="cause_id")

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "state"], name="introduction_owner_state")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(person_a=models.F("person_b")), name="introduction_two_people")
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ↔ {self.person_b_id}"


class DeclinedMatch(Owned):
    """Two people the user said are "not a good match": never suggested for an introduction again.
    Stored once per pair, the smaller id first."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "first", "second"], name="declined_match_unique_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="declined_match_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} is not a match for {self.second_id}"
