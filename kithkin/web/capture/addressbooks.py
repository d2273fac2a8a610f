"""Connected accounts: the addressbooks section and its pages."""

from __future__ import annotations

from kithkin.web.http import AuthedRequest


def section(request: AuthedRequest) -> dict[str, object]:
    """What the Connected accounts page shows of addressbooks."""
    return {}
