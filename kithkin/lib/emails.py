"""Email addresses in the one form Kithkin stores, compares and looks them up in.

Internationalised addresses (RFC 6531, SMTPUTF8) are accepted: a local part in any script
("søren.lefevre@example.com") and a domain in any script. The domain is kept in Unicode, as
people write it ("bücher.de"); one given in its IDNA form ("xn--bcher-kva.de") is decoded to
it, so the two forms are one address. Everything is in lower case. The checks are
email-validator's (no DNS lookups); plain ASCII addresses take a quicker path that accepts
only what email-validator accepts, as a test checks.
"""

from __future__ import annotations

import functools
import re


class EmailError(ValueError):
    pass


# A plain address (lower case): a dot-atom local part, host names of letters, digits and inner
# hyphens, a TLD of letters. No label with "--" at its third character (IDNA's "xn--").
_PLAIN = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:(?![a-z0-9-]{2}--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63})"
)


@functools.cache
def _special_use() -> frozenset[str]:
    # email_validator is loaded on first use: importing it costs every command's start-up 50 ms.
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    return frozenset(SPECIAL_USE_DOMAIN_NAMES)


def normalize_email(raw: str) -> str:
    """The address as stored and matched: lower case, the domain in Unicode. Raises
    EmailError when ``raw`` is not an address."""
    text = raw.strip().lower()
    plain = _PLAIN.fullmatch(text)
    if plain and len(text) <= 254 and len(text.partition("@")[0]) <= 64 and plain[1] not in _special_use():
        return text
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise EmailError(f"{raw!r} is not an email address") from None
    return checked.normalized.lower()


def email_key(text: str) -> str:
    """An address to look up or compare: as stored when it is one, else as written in lower
    case (which then matches nothing stored)."""
    try:
        return normalize_email(text)
    except EmailError:
        return text.strip().lower()
