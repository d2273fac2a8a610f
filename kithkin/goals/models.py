"""Career goals ("move into finance", "a way into Acme") with their target organizations and people."""

from __future__ import annotations

from django.db import models

from kithkin.core.models import Owned
from kithkin.people.models import Organization, Person


class Goal(Owned):
    text = models.CharField(max_length=300)
    pitch = models.TextField(blank=True)
    created_at = models.DateTimeField()
    achieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class GoalOrganization(Owned):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="target_organizations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["owner", "goal", "organization"], name="goalorganization_once")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.organization_id}"


class GoalPerson(Owned):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="target_people")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["owner", "goal", "person"], name="goalperson_once")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.person_id}"
