"""Normalising phone numbers with phonenumbers."""

from __future__ import annotations

import contextlib
import re


class PhoneError(ValueError):
    pass


# RFC 3966's tel: URI, as vCard 4.0 writes a TEL (``tel:+1-418-656-9254;ext=102``): the scheme
# and the parameters are not letters of the number. phonenumbers reads the URI itself.
_TEL_URI_PARTS = re.compile(r"(?i)^tel:|;\s*(ext|isub|phone-context)=[^;]*")


def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 ("+34911234567") when the number can be read; otherwise the digits as typed.

    A national number with no known region is kept as typed (without its punctuation) rather
    than guessed into the wrong country.
    """
    import phonenumbers  # loaded on first use: importing it costs every command's start-up 50 ms

    text = raw.strip()
    bare = _TEL_URI_PARTS.sub("", text)
    digits = re.sub(r"\D", "", bare)
    if len(digits) < 3 or re.search(r"[A-Za-z]", re.sub(r"(?i)\b(ext|x)\.?\s*\d+$", "", bare)):
        raise PhoneError(f"{raw!r} is not a phone number")
    try:
        parsed = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        if text.startswith("+"):
            raise PhoneError(f"{raw!r} is not a phone number") from None
        return ("+" if text.startswith("+") else "") + digits
    if not phonenumbers.is_possible_number(parsed):
        raise PhoneError(f"{raw!r} is not a possible phone number")
    number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if parsed.extension:
        number += f";ext={parsed.extension}"
    return number


def format_phone(number: str) -> str:
    """A readable international form of a stored number."""
    if not number.startswith("+"):
        return number
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number.replace(";ext=", " ext "), None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def without_national_repeats(numbers: list[str]) -> list[str]:
    """``numbers`` (as ``normalize_phone`` gives them) without those kept as typed for want of a
    region ("911234567") that are another of them in international form ("+34911234567"), read
    in the one country of the international ones. Two cards of one person often hold both."""
    national = [number for number in numbers if not number.startswith("+")]
    international = {number for number in numbers if number.startswith("+")}
    if not national or not international:
        return numbers
    import phonenumbers

    regions = set()
    for number in international:
        with contextlib.suppress(phonenumbers.NumberParseException):
            regions.add(phonenumbers.region_code_for_number(phonenumbers.parse(number.replace(";ext=", " ext "))))
    if len(regions) != 1 or None in regions:
        return numbers
    region = regions.pop()
    repeats = set()
    for number in national:
        with contextlib.suppress(PhoneError):
            if normalize_phone(number, region) in international:
                repeats.add(number)
    return [number for number in numbers if number not in repeats]
