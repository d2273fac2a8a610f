"""Where the apps above accounts act on a change of settings (see ``kithkin.core.hooks``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from kithkin.accounts.models import Profile
from kithkin.core.hooks import Hook


@dataclass(frozen=True)
class SettingsChanged:
    """The owner's cadences or time zone changed: what is planned from them may move."""

    owner: User
    profile: Profile


# Run inside update_settings' transaction when a cadence or the time zone changed.
settings_changed: Hook[SettingsChanged] = Hook("accounts.settings_changed")
