"""Where the apps above the ledger act on an entry recorded (see ``kithkin.core.hooks``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from kithkin.core.hooks import Hook
from kithkin.exchanges.models import Exchange


@dataclass(frozen=True)
class ExchangeRecorded:
    """Help was given or received: the person's tie has one more entry."""

    owner: User
    exchange: Exchange


# Run inside record_exchange's transaction, after the entry (and its touch) is written.
exchange_recorded: Hook[ExchangeRecorded] = Hook("exchanges.exchange_recorded")
