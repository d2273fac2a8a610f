"""Connected accounts (``Source``) and what mail told about people not in the network
(``Correspondent``, offered as suggestions)."""

from __future__ import annotations

from django.db import models

from kithkin.core.models import Owned


class Source(Owned):
    """One account the user connected: a mailbox (IMAP), a calendar (an iCal address or a CalDAV
    account) or an address book (CardDAV). Its password, and an iCal address (which is itself the
    secret), are kept sealed (``capture.secrets``), never shown again."""

    class Kind(models.TextChoices):
        MAIL = "mail", "mail (IMAP)"
        CALENDAR = "calendar", "calendar address (iCal)"
        CALDAV = "caldav", "calendar account (CalDAV)"
        CARDDAV = "carddav", "address book (CardDAV)"

    class Security(models.TextChoices):
        TLS = "tls", "TLS"
        STARTTLS = "starttls", "STARTTLS"
        PLAIN = "plain", "none (loopback only)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What the user sees: "ana@example.com on imap.example.com", "calendar.google.com (…)".
    name = models.CharField(max_length=300)
    host = models.CharField(max_length=255, blank=True)
    port = models.PositiveIntegerField(null=True, blank=True)
    security = models.CharField(max_length=10, choices=Security.choices, blank=True)
    username = models.CharField(max_length=255, blank=True)
    # A CalDAV or CardDAV account's address. An iCal address is sealed in ``secret`` instead.
    url = models.CharField(max_length=2000, blank=True)
    secret = models.TextField(blank=True)
    # Settings of the kind: {"sent": "Sent Items", "inbox": "INBOX"} names a mailbox's folders.
    options = models.JSONField(default=dict, blank=True)
    # Where the last sync stopped: per folder {"uidvalidity": …, "uid": …}; per calendar its
    # meetings' keys and touches; per address book each card's ETag and person.
    state = models.JSONField(default=dict, blank=True)
    # An address book's first sync is previewed and confirmed; later ones go in quietly.
    is_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    last_synced_at = models.DateTimeField(null=True, blank=True)
    # The last sync's failure in one line ("wrong password"), empty once one succeeds.
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["owner", "kind"], name="source_owner_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Correspondent(Owned):
    """Someone the user exchanged mail with, by address: counted whether or not they are in the
    network; the ones who are not, and who both got mail from the user and wrote back, are
    offered as suggestions until added or dismissed."""

    address = models.CharField(max_length=254)  # lower case
    name = models.CharField(max_length=200, blank=True)
    sent = models.PositiveIntegerField(default=0)  # messages from the user to them
    received = models.PositiveIntegerField(default=0)  # messages from them to the user
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_at", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "address"], name="correspondent_once_per_owner")]
        indexes = [models.Index(fields=["owner", "-last_at"], name="correspondent_owner_last")]

    def __str__(self) -> str:
        return self.address
