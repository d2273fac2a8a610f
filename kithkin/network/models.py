"""What Kithkin works out about the network: each tie's strength, kept so that today's value is
arithmetic (see ``kithkin.network.strength``), and the user's choices about reviving ties."""

from __future__ import annotations

from django.db import models

from kithkin.core.models import Owned
from kithkin.people.models import Person


class Strength(Owned):
    """The summary of one person's tie (``strength.Summary``): rewritten when their touches, their
    ledger or how you know them change, never as days pass. Days are counted from 1970-01-01 UTC,
    as floats, so that SQL can do the sums; no row means no history (strength 0)."""

    # One per person (``strength_one_per_person``). A foreign key, not a one-to-one field, so that
    # the uniqueness includes the owner (docs/scaling.md): ``strength__…`` lookups from a person
    # join at most one row, but ``person.strength`` is a manager, not the row.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="strength")
    # ln of the decayed sum at the last event plus that day over tau: ln s(now) = log_key - now/tau.
    log_key = models.FloatField(null=True)
    tau = models.FloatField()
    peak = models.FloatField(default=0)
    usual = models.FloatField(null=True)
    recent_gap = models.FloatField(null=True)
    first_day = models.FloatField(null=True)
    prev_day = models.FloatField(null=True)
    last_day = models.FloatField(null=True)
    events = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "person"], name="strength_one_per_person")]
        indexes = [models.Index(fields=["owner", "last_day"], name="strength_owner_last_day")]

    def __str__(self) -> str:
        return f"strength of {self.person_id}"


class RekindleChoice(Owned):
    """What the user said about reviving a tie: not now (snoozed until a day), or let it go."""

    # One per person, a foreign key as ``Strength.person`` is.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rekindle_choice")
    snoozed_until = models.DateTimeField(null=True, blank=True)
    let_go_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "person"], name="rekindlechoice_one_per_person")]

    def __str__(self) -> str:
        return f"rekindle choice for {self.person_id}"


class Tie(Owned):
    """Two people of the network who know each other (the second degree), worked out from the
    evidence Kithkin holds: touches or events they were at together, an organization they worked
    at at the same time, one introducing you to the other, or the user saying so (``RecordedTie``).
    Stored once per pair, the smaller id first, and rebuilt by ``ties.refresh_ties`` when the
    evidence of either person changes. ``weight`` is the evidence's sum, never decayed: how
    recent it is (``last_day``) is applied when read (``ties.tie_strength``), so no row changes
    as days pass."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField()
    first_day = models.DateField(null=True)
    last_day = models.DateField(null=True)
    # The kinds of evidence, comma-separated in a fixed order ("recorded,colleague,touch").
    kinds = models.CharField(max_length=200)
    # One entry per kind of evidence: {"kind", "count", "since", "until", "text"}, strongest first.
    evidence = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "first", "second"], name="tie_unique_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="tie_ordered"),
        ]
        indexes = [
            models.Index(fields=["owner", "first"], name="tie_owner_first"),
            models.Index(fields=["owner", "second"], name="tie_owner_second"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} knows {self.second_id}"


class RecordedTie(Owned):
    """The user said these two know each other (``kithkin knows A B --how``). Smaller id first."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "first", "second"], name="recordedtie_unique_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="recordedtie_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} knows {self.second_id} (recorded)"


class RemovedTie(Owned):
    """The user said a tie Kithkin found is wrong: it is never found again. Smaller id first."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "first", "second"], name="removedtie_unique_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="removedtie_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} does not know {self.second_id}"
