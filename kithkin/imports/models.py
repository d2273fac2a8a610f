"""What each import did, so it can be shown and undone."""

from __future__ import annotations

from django.db import models

from kithkin.core.models import Owned


class Import(Owned):
    """One file applied to the network: its format, what it created, changed and skipped.
    Undoing it puts every row back and deletes this record with it."""

    class Format(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn connections"
        GOOGLE = "google", "Google Contacts CSV"
        OUTLOOK = "outlook", "Outlook CSV"
        THUNDERBIRD = "thunderbird", "Thunderbird CSV"
        CSV = "csv", "CSV"
        VCARD = "vcard", "vCard"
        CALENDAR = "calendar", "calendar (.ics)"
        # Syncs of connected accounts (kithkin.capture): each is an import too, listed and undoable.
        MAIL = "mail", "mail sync"
        CALENDAR_SYNC = "calendar_sync", "calendar sync"
        ADDRESS_BOOK = "address_book", "address book sync"

    format = models.CharField(max_length=20, choices=Format.choices)
    layout = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    # {"people_created": 3, "people_updated": 1, "touches_created": 0, "skipped": 2, ...}
    counts = models.JSONField(default=dict)
    # [{"line": 7, "field": "Connected On", "reason": "not a date: '31 Feb 2024'"}, ...]
    skipped = models.JSONField(default=list)
    # The rows it created, by model: {"people.person": [12, 13, ...], "interactions.touch": [...]}.
    # Undo deletes them. (A list here rather than a row each: an import may add 30,000 people.)
    created = models.JSONField(default=dict)
    # While the import is being written, a chunk at a time: when it last wrote one. None once it
    # is complete. An import left like this (its process died) is undone by
    # ``services.undo_abandoned_imports``; until then it is not listed.
    wrote_chunk_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_owner_created")]

    def __str__(self) -> str:
        return f"{self.get_format_display()} from {self.filename}"

    @property
    def is_sync(self) -> bool:
        """Made by a sync of a connected account (kithkin.capture), not by a file."""
        return self.format in {self.Format.MAIL, self.Format.CALENDAR_SYNC, self.Format.ADDRESS_BOOK}


class ImportedObject(Owned):
    """A row an import changed, with its fields as they were (``before``) and as the import left
    them (``after``), for undo: a field is put back only while it still holds ``after``."""

    run = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="objects_touched")
    model = models.CharField(max_length=60, help_text="app_label.model_name")
    object_id = models.BigIntegerField()
    # Each changed field's value before the import, as JSON (dates as ISO text, a key as its id).
    before = models.JSONField(default=dict, blank=True)
    # The same fields as the import left them. Empty on records made before it was kept: those
    # are put back whatever happened since, as they always were.
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"
