"""What every template may read, whichever view renders it."""

from __future__ import annotations

from django.http import HttpRequest

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_profile


def appearance(request: HttpRequest) -> dict[str, str]:
    """``appearance``: "system", "light" or "dark", for base.html's ``data-theme`` and colour
    scheme. The profile is the one ``UserTimezoneMiddleware`` already loaded: no query. Signed-out
    pages follow the system."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"appearance": Profile.Appearance.SYSTEM.value}
    return {"appearance": get_profile(user).appearance}
