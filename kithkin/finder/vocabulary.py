"""The built-in synonyms ``ask`` reads questions with (``vocabulary.txt``, beside this file)."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kithkin.lib.search import fold

SECTIONS = ("roles", "industries", "topics", "places")
PATH = Path(__file__).with_name("vocabulary.txt")


def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` folded as documents are, punctuation dropped ("front-end" is two)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "+#" else " " for ch in fold(text))
    return tuple(cleaned.split())


def singular(word: str) -> str:
    """A plural's singular, roughly: enough to read "engineers" as "engineer", "cities" as "city"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def key(phrase: str | tuple[str, ...]) -> tuple[str, ...]:
    """How a phrase is looked up: its words, each singular."""
    return tuple(singular(w) for w in (words(phrase) if isinstance(phrase, str) else phrase))


@dataclass(frozen=True)
class Vocabulary:
    """For each section, each phrase's key and the phrases it stands for (itself included):
    ``places`` also maps a country to its cities."""

    roles: dict[tuple[str, ...], frozenset[str]]
    industries: dict[tuple[str, ...], frozenset[str]]
    topics: dict[tuple[str, ...], frozenset[str]]
    places: dict[tuple[str, ...], frozenset[str]]

    def longest(self) -> int:
        return max(len(k) for section in (self.roles, self.industries, self.topics, self.places) for k in section)

    def size(self) -> int:
        """How many phrases it knows, every section together."""
        return sum(len(section) for section in (self.roles, self.industries, self.topics, self.places))


class VocabularyError(ValueError):
    pass


def read_vocabulary(text: str) -> Vocabulary:
    """Read the format of ``vocabulary.txt``; a phrase in two groups of a section stands for both."""
    sections: dict[str, defaultdict[tuple[str, ...], set[str]]] = {name: defaultdict(set) for name in SECTIONS}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            if current not in sections:
                raise VocabularyError(f"line {number}: unknown section {line}")
            continue
        if current is None:
            raise VocabularyError(f"line {number}: a group before any section")
        names, _, within = line.partition("|")
        group = [" ".join(words(p)) for p in names.split(",") if words(p)]
        held = [" ".join(words(p)) for p in within.split(",") if words(p)]
        if not group:
            raise VocabularyError(f"line {number}: an empty group")
        for phrase in group:
            sections[current][key(phrase)].update(group + held)
        for phrase in held:  # a city is a place of its own too
            sections[current][key(phrase)].add(phrase)
    return Vocabulary(
        *(  # the sections in SECTIONS' order
            {k: frozenset(v) for k, v in sections[name].items()} for name in SECTIONS
        )
    )


@functools.cache
def built_in() -> Vocabulary:
    return read_vocabulary(PATH.read_text(encoding="utf-8"))
