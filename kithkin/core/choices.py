"""Kithkin's shared vocabulary: how you know a person (circle) and how close you are (closeness,
which sets the check-in cadence: README, "How follow-ups are made")."""

from __future__ import annotations

from django.db import models

from kithkin.core.errors import BadInput


class Circle(models.TextChoices):
    FAMILY = "family", "family"
    FRIEND = "friend", "friend"
    NEIGHBOR = "neighbor", "neighbor"
    COLLEAGUE = "colleague", "colleague"
    FORMER_COLLEAGUE = "former_colleague", "former colleague"
    CLASSMATE = "classmate", "classmate/alumni"
    CLIENT = "client", "client/customer"
    VENDOR = "vendor", "vendor/supplier"
    COMPETITOR = "competitor", "competitor"
    COMMITTEE = "committee", "committee/association"
    COMMUNITY = "community", "community/interest group"
    OTHER = "other", "other"


class Closeness(models.TextChoices):
    INNER = "inner", "inner"
    CLOSE = "close", "close"
    ACTIVE = "active", "active"
    WIDER = "wider", "wider"
    ACQUAINTANCE = "acquaintance", "acquaintance"


# Default check-in cadence in days for each closeness level; None means no check-ins.
DEFAULT_CADENCE_DAYS: dict[str, int | None] = {
    Closeness.INNER: 7,
    Closeness.CLOSE: 30,
    Closeness.ACTIVE: 90,
    Closeness.WIDER: 180,
    Closeness.ACQUAINTANCE: None,
}


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def parse_choice(choices: type[models.TextChoices], text: str, field: str) -> str:
    """Accept a choice by value or label, ignoring case, spaces and punctuation ("Former colleague",
    "former-colleague", "alumni")."""
    wanted = _key(text)
    for value, label in choices.choices:
        aliases = {_key(value), _key(str(label)), *(_key(part) for part in str(label).split("/"))}
        if wanted and wanted in aliases:
            return str(value)
    allowed = ", ".join(str(v) for v in choices.values)
    raise BadInput(field, f"unknown value {text!r}; choose one of {allowed}")
