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


class Embedding(Owned):
    """A person's document as a vector of meaning (``kithkin[semantic]``; see ``semantic.py``):
    written when ``ask`` first meets the document, removed whenever the document is written again,
    so that a row here is never older than what it stands for. Its own id grows with each row
    written, which tells a process whether the vectors it holds in memory are still the
    database's."""

    # One per person (``embedding_one_per_person``, with the owner: docs/scaling.md).
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # Which model made the vector: another model's vectors are not compared with this one's.
    model = models.CharField(max_length=100)
    # float32, little-endian, L2-normalised.
    vector = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "person"], name="embedding_one_per_person")]
        # How many vectors and the last one's id, read before each question without the vectors.
        indexes = [models.Index(fields=["owner", "model", "id"], name="embedding_owner_model_id")]

    def __str__(self) -> str:
        return f"embedding of {self.person_id}"
