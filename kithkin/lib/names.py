"""Parsing personal names into parts (nameparser), knowing nothing of Django."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NameParts:
    full: str
    prefix: str = ""
    given: str = ""
    middle: str = ""
    family: str = ""
    suffix: str = ""
    nicknames: list[str] = field(default_factory=list)


def clean_name(text: str) -> str:
    """Collapse runs of whitespace; names keep their case and accents."""
    return " ".join(text.split())


def parse_name(text: str) -> NameParts:
    # nameparser is loaded on first use: importing it costs a command's start-up 60 ms.
    from nameparser import HumanName

    full = clean_name(text)
    human = HumanName(full)
    nicknames = [nick for nick in human.nickname.split() if nick] if human.nickname else []
    if nicknames:
        # 'Robert "Bob" Smith' is Robert Smith, called Bob.
        human.nickname = ""
        full = clean_name(str(human)) or full
    return NameParts(
        full=full,
        prefix=human.title,
        given=human.first,
        middle=human.middle,
        family=human.last,
        suffix=human.suffix,
        nicknames=nicknames,
    )
