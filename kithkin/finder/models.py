"""What ``ask`` searches: one document per person, its fields weighted apart (see ``index.py``)."""

from __future__ import annotations

from django.db import models

from kithkin.core.models import Owned
from kithkin.people.models import Person

# The document's fields, in the order the full-text index holds them.
FIELDS = ("name", "work", "place", "interests", "needs", "offers", "notes")


class Document(Owned):
    """A person as ``ask`` reads them, folded (lower case, no accents), rewritten whenever what
    it is made of changes. The database's full-text index over it is not a Django field: an FTS5
    table per field kept by triggers on SQLite, a tsvector column per field on PostgreSQL (migration 0001)."""

    person = models.OneToOneField(Person, primary_key=True, on_delete=models.CASCADE, related_name="+")
    name = models.TextField(blank=True)
    # Title and organization, then past roles.
    work = models.TextField(blank=True)
    place = models.TextField(blank=True)
    interests = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    offers = models.TextField(blank=True)
    # The person's notes, why you want to meet them, how you met, and each touch's notes and advice.
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"document of {self.person_id}"
