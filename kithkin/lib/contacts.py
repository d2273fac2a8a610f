"""What every contact-file reader produces: plain records, knowing nothing of Django.

A reader (LinkedIn, Google or Outlook CSV, vCard) turns a file's bytes into a ``Parsed``: one
``ContactRecord`` per person it could read, one ``Skipped`` per row or card it could not, each
with the line it starts on. A file that cannot be read at all (empty, binary, no recognisable
header) raises ``FileRejected``. The import service compares records with the network; the
readers never look at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kithkin.lib.birthdays import NO_YEAR

__all__ = ["NO_YEAR", "ContactRecord", "FileRejected", "Labeled", "Parsed", "Skipped"]


@dataclass
class Labeled:
    """An email, phone, link or address with its label as the file gave it ("work", "Mobile",
    or an ``X-ABLabel`` such as "Assistant"); ``primary`` when the file marks it preferred."""

    value: str
    label: str = ""
    primary: bool = False
    # The line of the file it was read from (a vCard property's own line), when it is not the
    # record's; 0 for the record's. Not part of what the item is.
    line: int = field(default=0, compare=False)


@dataclass
class ContactRecord:
    """One person as a file describes them. Empty strings and lists mean "the file says nothing"."""

    line: int  # the line of the file where this row or card starts (1-based)
    name: str = ""  # the display name ("Dr. Ana María Ruiz"); may be empty when the parts are given
    prefix: str = ""
    given: str = ""
    middle: str = ""
    family: str = ""
    suffix: str = ""
    nicknames: list[str] = field(default_factory=list)
    emails: list[Labeled] = field(default_factory=list)
    phones: list[Labeled] = field(default_factory=list)
    links: list[Labeled] = field(default_factory=list)  # URLs: LinkedIn profile, website, ...
    organization: str = ""
    title: str = ""
    department: str = ""
    location: str = ""  # a short place: "Madrid, Spain" (city, region, country of the first address)
    # The parts of the address the location came from, as the file gives them (a country is a
    # name or a code); empty when the location is free text (LinkedIn, a "Location" column).
    city: str = ""
    region: str = ""
    country: str = ""
    addresses: list[Labeled] = field(default_factory=list)  # whole postal addresses, one line each
    birthday: date | None = None  # year NO_YEAR when the file gives none
    birthday_line: int = field(default=0, compare=False)  # its property's own line (vCard), else 0
    met_on: date | None = None  # LinkedIn's "Connected On"
    notes: str = ""
    labels: list[str] = field(default_factory=list)  # groups/categories, system labels removed

    @property
    def display_name(self) -> str:
        """The name to show: the display name, else the parts joined, else the first email."""
        if self.name.strip():
            return self.name.strip()
        parts = " ".join(p for p in (self.prefix, self.given, self.middle, self.family, self.suffix) if p.strip())
        if parts:
            return parts
        return self.emails[0].value if self.emails else ""


@dataclass
class Skipped:
    """A row or card that was not imported: where, which field, and why, in words a user understands."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


@dataclass
class Parsed:
    """What a reader made of one file. ``layout`` names the variant it recognised
    ("linkedin (2024)", "outlook desktop", "vcard 2.1" ...)."""

    format: str
    layout: str
    records: list[ContactRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class FileRejected(Exception):
    """A file that cannot be imported at all. Names the line (0 for the file as a whole) and field."""

    def __init__(self, message: str, *, line: int = 0, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field

    def describe(self, filename: str) -> str:
        """ "contacts.csv, line 3, Connected On: not a date: '31 Feb 2024'"."""
        where = f"{filename}, line {self.line}" if self.line else filename
        return f"{where}, {self.field}: {self.message}" if self.field != "file" else f"{where}: {self.message}"
