"""The passwords of connected accounts, encrypted at rest.

The key is derived from Kithkin's secret key: the one kept in the data directory (``secret_key``,
mode 0600) or, on a server, ``KITHKIN_SECRET_KEY``. Changing that key makes the stored passwords
unreadable: each account then asks for its password again (``SecretLost``), nothing worse.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

# Bound into the derived key, so that the same secret key used elsewhere never yields this key.
_PURPOSE = b"kithkin.capture.secrets/v1"


class SecretLost(Exception):
    """A stored password cannot be read with the current key (the secret key changed)."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(_PURPOSE + b"\0" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    """``secret`` encrypted and authenticated, as text to store."""
    return _fernet().encrypt(secret.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The secret ``seal`` stored; SecretLost when the key it was sealed with is gone."""
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise SecretLost("the stored password cannot be read with this secret key; give it again") from None
