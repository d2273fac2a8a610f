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

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="strength")
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
        indexes = [models.Index(fields=["owner", "last_day"], name="strength_owner_last_day")]

    def __str__(self) -> str:
        return f"strength of {self.person_id}"


class RekindleChoice(Owned):
    """What the user said about reviving a tie: not now (snoozed until a day), or let it go."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="rekindle_choice")
    snoozed_until = models.DateTimeField(null=True, blank=True)
    let_go_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rekindle choice for {self.person_id}"
