"""Reading contact CSV files (LinkedIn, Google, Outlook, Thunderbird) and writing Google's CSV.

Every reader works the same way: find the header row (LinkedIn puts notes above it), tell from its
column names which program wrote the file, then map each row's cells by column name, never by
position, because spreadsheet programs reorder, drop and add columns. A row that cannot be read
becomes a ``Skipped`` naming its line and field; a value that cannot be read (an email without
"@", a birthday that is not a date) is left out and reported the same way while the rest of the
row is imported, except LinkedIn's "Connected On", which is the point of a LinkedIn import and so
is strict: a row whose date cannot be read is skipped whole.

Line numbers are physical lines, counting the lines above the header and the newlines inside
quoted cells, so that "line 12" is line 12 in any text editor.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from kithkin.lib.birthdays import NO_YEAR, year_known
from kithkin.lib.contacts import ContactRecord, FileRejected, Labeled, Parsed, Skipped
from kithkin.lib.names import clean_name, parse_name
from kithkin.lib.places import address_parts
from kithkin.lib.textfiles import decode_text

FORMATS = ("csv", "linkedin", "google", "outlook", "thunderbird")
HEADER_SEARCH_LINES = 20

# What each format is called in messages to the person importing it.
_DESCRIBED = {
    "linkedin": "a LinkedIn Connections.csv",
    "google": "a Google Contacts CSV",
    "outlook": "an Outlook CSV",
    "thunderbird": "a Thunderbird address book CSV",
    "csv": "a spreadsheet with Name and Email columns",
}
_CHOOSE = {
    "linkedin": "LinkedIn",
    "google": "Google Contacts",
    "outlook": "Outlook",
    "thunderbird": "Thunderbird",
    "csv": "CSV",
}
_EXPECTED = {
    "linkedin": "First Name, Last Name and Connected On",
    "google": "First Name, Last Name and E-mail 1 - Value",
    "outlook": "First Name, Last Name and E-mail Address",
    "thunderbird": "First Name, Last Name and Primary Email",
    "csv": "First Name, Last Name, E-mail ...",
}

MULTI = " ::: "  # Google's separator between several values in one cell
_SYSTEM_LABELS = frozenset({"mycontacts", "starred", "my contacts", "starred in android"})
_GOOGLE_GROUP = re.compile(r"^(.+?) (\d+) - (.+)$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NO_YEAR_DATE = re.compile(r"--(\d{2})-?(\d{2})")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_WORDY_DATE = re.compile(r"[^\W\d_]+\.?|\d+", re.UNICODE)
# What may follow a date: a time of day ("1/8/18, 6:14 PM", "2024-10-09T10:00:00Z").
_TIME_TAIL = re.compile(
    r"(?:[,\s]+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_HONORIFICS = frozenset({"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx."})


# ---------------------------------------------------------------------------------------------
# The public functions


def read_contacts_csv(data: bytes, fmt: str = "csv") -> Parsed:
    """Every person in a contact CSV. ``fmt`` is what the person importing says the file is;
    "csv" means "find out from the header". A file that turns out to be something else is
    rejected with a message naming what it looks like."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown CSV format {fmt!r}; expected one of {', '.join(FORMATS)}")
    text = decode_text(data, what="CSV file")
    header, rows = _find_header(text, fmt)
    _check_format(fmt, header)
    reading = _Reading(Parsed(format=header.format, layout=header.layout), header)
    read_row = _ROW_READERS[header.format](header)
    for line, cells, error in rows:
        if error:
            reading.skip(line, "row", error)
            continue
        reading.read(line, cells, read_row)
    return reading.finish()


def detect_csv_format(data: bytes) -> str | None:
    """ "linkedin", "google", "outlook" or "thunderbird" from the header row, or None when the file
    is not one of them (not text, no header, or a plain spreadsheet that ``read_contacts_csv``
    still reads as "csv")."""
    try:
        header, _ = _find_header(decode_text(data, what="CSV file"), "csv")
    except FileRejected:
        return None
    return None if header.format == "csv" else header.format


def write_google_csv(records: Iterable[ContactRecord], *, guard_formulas: bool = True) -> str:
    """Google Contacts' current CSV layout, with as many numbered E-mail, Phone, Address and
    Website groups as the most generous record needs (at least one of each, as Google writes).

    With ``guard_formulas`` (the default) a cell a spreadsheet would run as a formula, one that
    begins with ``= + - @``, a tab or a carriage return (OWASP's list), starts with a single quote
    instead, and so does one that already began with a quote before those: the readers here take
    one such quote off again, so reading the file back gives the same records.

    Lines end in CRLF; write the text with ``newline=""`` so they stay that way. A record with a
    display name different from its name parts keeps it in "File As", a "met on" date becomes an
    event labelled "Met", and the location becomes an address with nothing but a city, so that
    reading the file back gives the same records.
    """
    rows = [_google_row(record) for record in records]
    counts = {
        kind: max([1 if kind != "Event" else 0, *(len(row.groups[kind]) for row in rows)]) for kind in _GOOGLE_GROUPS
    }
    header = list(_GOOGLE_FIXED)
    for kind, parts in _GOOGLE_GROUPS.items():
        header += [f"{kind} {n} - {part}" for n in range(1, counts[kind] + 1) for part in parts]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        cells = [row.fixed.get(name, "") for name in _GOOGLE_FIXED]
        for kind, parts in _GOOGLE_GROUPS.items():
            groups = row.groups[kind]
            cells += [cell for group in groups for cell in group]
            cells += [""] * (len(parts) * (counts[kind] - len(groups)))
        writer.writerow([guard_formula(cell) for cell in cells] if guard_formulas else cells)
    return out.getvalue()


# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A birthday without a year as Kithkin writes it: a fixed shape, not text anyone typed.
_WRITTEN_NO_YEAR = re.compile(r"--\d{2}-\d{2}")


def guard_formula(cell: str) -> str:
    """``cell`` as text a spreadsheet shows rather than runs: a leading single quote before a
    formula's first character (and before a quote already there, so that ``unguard`` is exact)."""
    if cell.startswith(FORMULA_STARTS) and not _WRITTEN_NO_YEAR.fullmatch(cell):
        return "'" + cell
    if cell.startswith("'") and cell[1:].startswith(("'", *FORMULA_STARTS)):
        return "'" + cell
    return cell


def unguard(cell: str) -> str:
    """A cell read from a CSV file without the quote ``guard_formula`` put before a formula's
    first character (or before another quote)."""
    if cell.startswith("'") and cell[1:].startswith(("'", *FORMULA_STARTS)):
        return cell[1:]
    return cell


# ---------------------------------------------------------------------------------------------
# Lines, rows and the header


@dataclass
class _Header:
    line: int
    names: list[str]  # the column names, normalised (lower case, single spaces)
    format: str
    layout: str
    delimiter: str
    index: dict[str, int] = field(default_factory=dict)
    width: int = 0  # up to the last named column; spreadsheets add empty ones

    def __post_init__(self) -> None:
        for i, name in enumerate(self.names):
            self.index.setdefault(name, i)
        named = [i for i, name in enumerate(self.names) if name]
        self.width = named[-1] + 1 if named else 0


_Rows = Iterator[tuple[int, list[str], str]]


def _physical_lines(text: str) -> Iterator[str]:
    """The file's lines with their endings, splitting on CRLF, LF and a lone CR alike."""
    for match in _PHYSICAL_LINE.finditer(text):
        yield match.group()


def _rows(text: str, delimiter: str) -> _Rows:
    """(first physical line, cells, error) for each row; ``error`` says why a row could not be
    split into cells (the csv module gives up on a cell over 128 KiB, usually a quote never
    closed), and the reader carries on with the next line."""
    reader = csv.reader(_physical_lines(text), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, [], f"cannot be read as CSV ({exc}); a quote may never be closed"
            continue
        yield start, cells, ""


def _normalised(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


def _unwrapped(cells: list[str], delimiter: str, width: int) -> list[str]:
    """A row a spreadsheet saved as one quoted cell ("Ana,Ruiz,https://...") split into its cells."""
    if not cells or not cells[0] or any(cell.strip() for cell in cells[1:]):
        return cells
    if cells[0].count(delimiter) < max(2, width - 1):
        return cells
    try:
        return next(csv.reader([cells[0]], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return cells


def _find_header(text: str, fmt: str) -> tuple[_Header, _Rows]:
    """The header row and the rows after it, trying commas, then semicolons (Excel in much of
    Europe) and tabs."""
    first_data: tuple[int, list[str]] | None = None
    for delimiter in (",", ";", "\t"):
        rows = _rows(text, delimiter)
        for line, cells, _ in rows:
            if line > HEADER_SEARCH_LINES:
                break
            cells = _unwrapped(cells, delimiter, len(cells))
            names = [_normalised(cell) for cell in cells]
            kind = _classify(set(names))
            if kind:
                return _Header(line, names, *kind, delimiter), rows
            if first_data is None and any(cell.strip() for cell in cells):
                first_data = (line, cells)
    raise _no_header(fmt, first_data)


def _no_header(fmt: str, first: tuple[int, list[str]] | None) -> FileRejected:
    if first and any("@" in cell for cell in first[1]):
        line, cells = first
        shown = ",".join(cells)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return FileRejected(
            f"no header row: the first line should name the columns ({_EXPECTED[fmt]}), but it holds data: {shown!r}",
            line=line,
        )
    looks_for = (
        f"is this {_DESCRIBED[fmt]}?" if fmt != "csv" else "is this a LinkedIn, Google, Outlook or Thunderbird export?"
    )
    return FileRejected(
        f"no header row with {_EXPECTED[fmt]} found in the first {HEADER_SEARCH_LINES} lines; {looks_for}"
    )


def _classify(names: set[str]) -> tuple[str, str] | None:
    """(format, layout) for a header row's column names, or None when it is not a header."""
    has_name = bool(names & {"first name", "last name", "given name", "family name", "name", "display name"})
    if any(_GOOGLE_GROUP.match(name) for name in names) or names & {
        "group membership",
        "phonetic first name",
        "file as",
    }:
        if names & {"given name", "family name", "group membership"}:
            return "google", "google (legacy)"
        return "google", "google (current)"
    if {"first name", "last name"} <= names and names & {"connected on", "position"}:
        return "linkedin", "linkedin (recent)" if "url" in names else "linkedin (older)"
    if names & {"primary email", "secondary email"} and has_name:
        return "thunderbird", "thunderbird"
    if names & {"first name", "last name"} and names & {
        "e-mail address",
        "job title",
        "business phone",
        "mobile phone",
    }:
        if names & {"e-mail display name", "e-mail type", "business street 2"}:
            return "outlook", "outlook desktop"
        if "categories" in names:
            return "outlook", "google outlook csv"
        return "outlook", "outlook.com"
    if (has_name or names & {"full name"}) and names & (_GENERIC["email"] | _GENERIC["phone"]):
        return "csv", "generic"
    return None


def _check_format(fmt: str, header: _Header) -> None:
    if fmt in ("csv", header.format):
        return
    if fmt == "google" and header.layout == "google outlook csv":
        return  # Google wrote it, in Outlook's columns
    raise FileRejected(
        f"this looks like {_DESCRIBED[header.format]}, not {_DESCRIBED[fmt]}; import it as {_CHOOSE[header.format]}",
        line=header.line,
        field="header",
    )


# ---------------------------------------------------------------------------------------------
# Reading rows into records


class _Row:
    """One row's cells, looked up by (normalised) column name."""

    __slots__ = ("cells", "index")

    def __init__(self, cells: list[str], index: dict[str, int]) -> None:
        self.cells = cells
        self.index = index

    def get(self, name: str) -> str:
        i = self.index.get(name)
        if i is None or i >= len(self.cells):
            return ""
        return unguard(self.cells[i]).strip()

    def first(self, *names: str) -> str:
        for name in names:
            value = self.get(name)
            if value:
                return value
        return ""


@dataclass
class _PendingDate:
    record: ContactRecord
    attribute: str  # "birthday" or "met_on"
    column: str
    raw: str
    first: int
    second: int
    year: int
    is_strict: bool  # a date that cannot be read skips the row (LinkedIn's Connected On)


class _Reading:
    """The state of reading one file: what was read, what was skipped, and the numeric dates
    whose day/month order is only known once every row has been seen."""

    def __init__(self, parsed: Parsed, header: _Header) -> None:
        self.parsed = parsed
        self.header = header
        self.pending: list[_PendingDate] = []
        self.is_day_first = False
        self.is_month_first = False
        self.ignored: list[Skipped] = []  # values left out of the row being read

    def skip(self, line: int, column: str, reason: str) -> None:
        self.parsed.skipped.append(Skipped(line=line, field=column, reason=reason))

    def ignore(self, line: int, column: str, reason: str) -> None:
        """A value left out of a row that is otherwise imported; reported only if the row is."""
        self.ignored.append(Skipped(line=line, field=column, reason=_ignored(reason)))

    def read(self, line: int, cells: list[str], read_row: _RowReader) -> None:
        header = self.header
        cells = _unwrapped(cells, header.delimiter, header.width)
        if not any(cell.strip() for cell in cells):
            return  # a blank line, or a row of empty cells: nothing to lose
        extra = [cell.strip() for cell in cells[header.width :] if cell.strip()]
        if extra:
            shown = ", ".join(repr(cell) for cell in extra[:3])
            self.ignore(line, "row", f"{len(extra)} cell(s) beyond the header's {header.width} columns: {shown}")
        pending = len(self.pending)
        record = read_row(_Row(cells, header.index), line, self)
        if record is None:
            # The row's own Skipped says why; what it would have left out no longer matters.
            del self.pending[pending:]
        else:
            self.parsed.records.append(record)
            self.parsed.skipped += self.ignored
        self.ignored = []

    def date(self, record: ContactRecord, attribute: str, column: str, raw: str, *, is_strict: bool = False) -> bool:
        """Set ``record.<attribute>`` from ``raw``; False when ``raw`` is not a date (and the
        problem has been reported)."""
        try:
            value = _parse_date(raw)
        except ValueError:
            self._bad_date(record, column, raw, is_strict)
            return False
        if isinstance(value, date):
            setattr(record, attribute, value)
            return True
        first, second, year = value
        self.is_day_first |= first > 12
        self.is_month_first |= second > 12
        self.pending.append(_PendingDate(record, attribute, column, raw, first, second, year, is_strict))
        return True

    def _bad_date(self, record: ContactRecord, column: str, raw: str, is_strict: bool, why: str = "") -> None:
        reason = f"not a date: {raw!r}{why}"
        if is_strict:
            self.skip(record.line, column, reason)
        else:
            self.ignore(record.line, column, reason)

    def finish(self) -> Parsed:
        """Settle the numeric dates: day first when any date has a day over 12 in first place and
        none has one in second place; month first (LinkedIn's and Outlook's US order) otherwise."""
        is_day_first = self.is_day_first and not self.is_month_first
        dropped: set[int] = set()
        for pending in self.pending:
            day, month = (pending.first, pending.second) if is_day_first else (pending.second, pending.first)
            try:
                setattr(pending.record, pending.attribute, date(pending.year, month, day))
            except ValueError:
                order = "day first, as in 31/12/2024" if is_day_first else "month first, as in 12/31/2024"
                reason = f"not a date: {pending.raw!r} (the dates in this file put the {order})"
                if pending.is_strict:
                    dropped.add(id(pending.record))
                self.skip(pending.record.line, pending.column, reason if pending.is_strict else _ignored(reason))
        if dropped:
            self.parsed.records = [record for record in self.parsed.records if id(record) not in dropped]
        self.parsed.skipped.sort(key=lambda skipped: skipped.line)
        return self.parsed


_RowReader = Callable[[_Row, int, _Reading], ContactRecord | None]


def _ignored(reason: str) -> str:
    return f"{reason} (ignored; the rest of the row was imported)"


def _parse_date(raw: str) -> date | tuple[int, int, int]:
    """A date, or (first number, second number, year) for a numeric date such as 3/4/2024 whose
    order is decided for the whole file. Raises ValueError for anything else."""
    text = raw.strip()
    if match := _NO_YEAR_DATE.fullmatch(text):
        return date(NO_YEAR, int(match[1]), int(match[2]))
    if (match := _ISO_DATE.match(text)) and _is_time_or_nothing(text[match.end() :]):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _COMPACT_DATE.fullmatch(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if (match := _NUMERIC_DATE.match(text)) and _is_time_or_nothing(text[match.end() :]):
        first, second, year = int(match[1]), int(match[3]), _full_year(match[4])
        if match[2] == ".":
            return date(year, second, first)  # 14.03.1985: dots always mean day first
        if first > 12 and second > 12:
            raise ValueError(raw)
        return first, second, year
    return _wordy_date(text)


def _is_time_or_nothing(tail: str) -> bool:
    return not tail.strip() or bool(_TIME_TAIL.fullmatch(tail.rstrip()))


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        return 2000 + year if year < 70 else 1900 + year
    return year


def _wordy_date(text: str) -> date:
    """ "09 Oct 2024", "9-Oct-24", "Oct 9, 2024", "October 9 2024"."""
    time = _TIME_TAIL.search(text)
    if time and time.end() == len(text.rstrip()):
        text = text[: time.start()]
    tokens = _WORDY_DATE.findall(text)
    words = [token for token in tokens if not token.isdigit()]
    numbers = [token for token in tokens if token.isdigit()]
    if len(words) != 1 or len(numbers) != 2 or words[0].lower().rstrip(".") not in _MONTHS:
        raise ValueError(text)
    month = _MONTHS[words[0].lower().rstrip(".")]
    if len(numbers[0]) == 4:
        return date(int(numbers[0]), month, int(numbers[1]))
    if len(numbers[1]) not in (2, 4):
        raise ValueError(text)
    return date(_full_year(numbers[1]), month, int(numbers[0]))


def _split(value: str) -> list[str]:
    """The values of a cell that may hold several, separated by " ::: " (Google)."""
    return [part.strip() for part in value.split(":::") if part.strip()] if value else []


def _add(items: list[Labeled], value: str, label: str = "", *, is_primary: bool = False) -> None:
    value = value.strip()
    if value and all(item.value.casefold() != value.casefold() for item in items):
        items.append(Labeled(value=value, label=label, primary=is_primary))


def _add_email(
    record: ContactRecord, value: str, label: str, reading: _Reading, column: str, *, is_primary: bool = False
) -> None:
    """Emails are kept in lower case; a value without "@" is reported and left out."""
    address = value.strip().removeprefix("mailto:").strip(" <>").lower()
    if not address:
        return
    if "@" not in address:
        reading.ignore(record.line, column, f"not an email address: {value.strip()!r}")
        return
    _add(record.emails, address, label, is_primary=is_primary)


def _labels(values: Iterable[str]) -> list[str]:
    """Group names without Google's "* " system marker, without the groups every contact is in,
    each once."""
    labels: list[str] = []
    seen: set[str] = set()
    for value in values:
        is_system = value.startswith("*")
        label = value.lstrip("* ").strip()
        key = label.casefold()
        if not label or key in _SYSTEM_LABELS or key in seen:
            continue
        seen.add(key)
        # Google's own groups are written "* friends" today and "* Friends" before.
        labels.append(label.capitalize() if is_system and label.islower() else label)
    return labels


def _address_line(*parts: str) -> str:
    """One line from a postal address's parts, each part's own lines joined with commas."""
    pieces = []
    for part in parts:
        pieces += [piece.strip(" ,") for piece in part.splitlines() if piece.strip(" ,")]
    return ", ".join(pieces)


def _place(*parts: str) -> str:
    """ "Madrid, Spain" from a city, a region and a country, any of them missing."""
    seen: list[str] = []
    for part in parts:
        part = " ".join(part.split())
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen)


def _set_place(record: ContactRecord, city: str, region: str, country: str) -> None:
    """The location from the first address that names a place, with the parts it came from."""
    place = _place(city, region, country)
    if place and not record.location:
        record.location = place
        record.city, record.region, record.country = (" ".join(part.split()) for part in (city, region, country))


def _with_extras(notes: str, extras: list[tuple[str, str]]) -> str:
    """Notes with the values Kithkin has no field for (an anniversary, a spouse) added as
    "Label: value" lines, so that they are not lost."""
    lines = [f"{label}: {value}" for label, value in extras if value]
    text = "\n\n".join(part for part in (notes, "\n".join(lines)) if part)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _finish(record: ContactRecord, reading: _Reading) -> ContactRecord | None:
    """The record, named by its nickname or company when it has no name, or None (and a
    Skipped) when nothing in it could tell the person apart."""
    _tidy(record)
    has_name = record.name or any((record.prefix, record.given, record.middle, record.family, record.suffix))
    if not has_name:
        if record.nicknames:
            record.name = record.nicknames[0]
        elif record.organization and not record.emails:
            record.name = record.organization  # a company's own entry
    if record.display_name:
        return record
    what = next((item.value for item in record.phones), "") or record.notes[:40]
    reading.skip(
        record.line,
        "name",
        "no name, email address or organization to know this person by" + (f" ({what!r})" if what else ""),
    )
    return None


def _tidy(record: ContactRecord) -> None:
    """A cell may hold a newline or a run of spaces; a name or a job title should not."""
    for attribute in ("name", "prefix", "given", "middle", "family", "suffix", "organization", "title", "department"):
        setattr(record, attribute, clean_name(getattr(record, attribute)))
    record.nicknames = [clean_name(nickname) for nickname in record.nicknames]


def _clean_display(text: str) -> str:
    """A name without emoji and other pictographs ("Bo Chen 🚀" is Bo Chen); letters in any
    script stay. A name made of nothing but symbols is kept as it is."""
    text = clean_name(text)
    if text.isascii():
        return text
    kept: list[str] = []
    after_symbol = False
    for ch in text:
        if _is_decoration(ch):
            if kept and kept[-1] == "\u200d":
                kept.pop()
            after_symbol = True
            continue
        if after_symbol and ch in "\u200d\ufe0f\ufe0e\u20e3":
            continue
        after_symbol = False
        kept.append(ch)
    cleaned = clean_name("".join(kept)).strip(" |-·•,")
    return cleaned if any(ch.isalnum() for ch in cleaned) else text


def _is_decoration(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or "\U0001f3fb" <= ch <= "\U0001f3ff"


# --- LinkedIn


def _linkedin_reader(header: _Header) -> _RowReader:
    def read(row: _Row, line: int, reading: _Reading) -> ContactRecord | None:
        first = _clean_display(row.get("first name"))
        last = _clean_display(row.get("last name"))
        record = ContactRecord(line=line, organization=row.get("company"), title=row.get("position"))
        if not first and not last:
            reading.skip(line, "First Name", "no name: the row has neither a first nor a last name")
            return None
        record.name = clean_name(f"{first} {last}")
        # Credentials follow a comma in the last name: "Ruiz, MBA", "Chen, PhD, PMP".
        family, _, suffix = last.partition(",")
        record.family, record.suffix = family.strip(), suffix.strip()
        prefix, _, given = first.partition(" ")
        if prefix.lower() in _HONORIFICS and given:
            record.prefix, record.given = prefix, given.strip()
        else:
            record.given = first
        url = row.get("url")
        if url:
            _add(record.links, url, "LinkedIn")
        _add_email(record, row.get("email address"), "", reading, "Email Address")
        connected = row.get("connected on")
        if connected and not reading.date(record, "met_on", "Connected On", connected, is_strict=True):
            return None
        _tidy(record)
        return record

    return read


# --- Google


@dataclass
class _Group:
    """One of Google's numbered groups ("E-mail 2 - Label", "E-mail 2 - Value")."""

    number: int
    columns: dict[str, int]  # part ("label", "value", "city" ...) -> column index

    def get(self, row: _Row, *parts: str) -> str:
        for part in parts:
            i = self.columns.get(part)
            if i is not None and i < len(row.cells) and row.cells[i].strip():
                return unguard(row.cells[i]).strip()
        return ""


class _Groups:
    """Google's numbered groups by kind ("e-mail", "phone", "address" ...), in number order."""

    def __init__(self, names: list[str]) -> None:
        found: dict[str, dict[int, dict[str, int]]] = {}
        for i, name in enumerate(names):
            match = _GOOGLE_GROUP.match(name)
            if match:
                found.setdefault(match[1], {}).setdefault(int(match[2]), {}).setdefault(match[3], i)
        self.kinds = {kind: [_Group(n, groups[n]) for n in sorted(groups)] for kind, groups in found.items()}

    def __call__(self, kind: str) -> list[_Group]:
        return self.kinds.get(kind, [])


def _google_label(raw: str) -> tuple[str, bool]:
    """ "* Work" is the label Work, marked primary."""
    return raw.lstrip("* ").strip(), raw.startswith("*")


def _google_reader(header: _Header) -> _RowReader:
    groups = _Groups(header.names)

    def read(row: _Row, line: int, reading: _Reading) -> ContactRecord | None:
        record = ContactRecord(
            line=line,
            name=row.first("name", "file as"),
            prefix=row.get("name prefix"),
            given=row.first("first name", "given name"),
            middle=row.first("middle name", "additional name"),
            family=row.first("last name", "family name"),
            suffix=row.get("name suffix"),
            nicknames=_split(row.get("nickname")),
            organization=(_split(row.get("organization name")) or [""])[0],
            title=(_split(row.get("organization title")) or [""])[0],
            department=(_split(row.get("organization department")) or [""])[0],
            labels=_labels(_split(row.first("labels", "group membership"))),
        )
        for group in groups("organization")[:1]:
            record.organization = record.organization or group.get(row, "name")
            record.title = record.title or group.get(row, "title")
            record.department = record.department or group.get(row, "department")
        for group in groups("e-mail"):
            label, is_primary = _google_label(group.get(row, "label", "type"))
            for i, value in enumerate(_split(group.get(row, "value"))):
                column = f"E-mail {group.number} - Value"
                _add_email(record, value, label, reading, column, is_primary=is_primary and i == 0)
        for kind, target in (("phone", record.phones), ("website", record.links)):
            for group in groups(kind):
                label, is_primary = _google_label(group.get(row, "label", "type"))
                for i, value in enumerate(_split(group.get(row, "value"))):
                    _add(target, value, label, is_primary=is_primary and i == 0)
        _google_addresses(row, groups, record)
        record.location = record.location or row.get("location")
        birthday = row.get("birthday")
        if birthday:
            reading.date(record, "birthday", "Birthday", birthday)
        extras = _google_events(row, groups, record, reading)
        for kind in ("relation", "custom field", "im"):
            for group in groups(kind):
                label = _google_label(group.get(row, "label", "type", "service"))[0]
                extras.append((label or kind.title(), group.get(row, "value")))
        record.notes = _with_extras(row.get("notes"), extras)
        return _finish(record, reading)

    return read


def _google_addresses(row: _Row, groups: _Groups, record: ContactRecord) -> None:
    """Whole addresses from "Formatted" (or the parts), and the location from the first address
    with a city, region or country. A group with nothing but those is a place, not an address."""
    for group in groups("address"):
        label, is_primary = _google_label(group.get(row, "label", "type"))
        _set_place(record, *((_split(group.get(row, part)) or [""])[0] for part in ("city", "region", "country")))
        postal = [group.get(row, part) for part in ("formatted", "street", "extended address", "po box", "postal code")]
        if not any(postal):
            continue
        parts = ("street", "extended address", "po box", "city", "region", "postal code", "country")
        values = _split(postal[0]) or [_address_line(*(group.get(row, part) for part in parts))]
        for i, value in enumerate(values):
            _add(record.addresses, _address_line(value), label, is_primary=is_primary and i == 0)


def _google_events(row: _Row, groups: _Groups, record: ContactRecord, reading: _Reading) -> list[tuple[str, str]]:
    """An event labelled "Met" is when the person was met (what ``write_google_csv`` writes);
    other events (anniversaries) go to the notes."""
    extras = []
    for group in groups("event"):
        label = _google_label(group.get(row, "label", "type"))[0]
        value = group.get(row, "value")
        if label.casefold() == "met" and value and record.met_on is None:
            reading.date(record, "met_on", f"Event {group.number} - Value", value)
        elif value:
            extras.append((label or "Event", value))
    return extras


# --- Outlook

_OUTLOOK_PHONES = (
    ("mobile phone", "Mobile"),
    ("business phone", "Work"),
    ("business phone 2", "Work"),
    ("home phone", "Home"),
    ("home phone 2", "Home"),
    ("company main phone", "Main"),
    ("other phone", "Other"),
    ("assistant's phone", "Assistant"),
    ("car phone", "Car"),
    ("callback", "Callback"),
    ("radio phone", "Radio"),
    ("pager", "Pager"),
    ("business fax", "Work Fax"),
    ("home fax", "Home Fax"),
    ("other fax", "Other Fax"),
    ("isdn", "ISDN"),
    ("tty/tdd phone", "TTY/TDD"),
    ("telex", "Telex"),
)
_OUTLOOK_ADDRESSES = (("business", "Work"), ("home", "Home"), ("other", "Other"))
_EMAIL_IN_PARENTHESES = re.compile(r"\(([^()\s]+@[^()\s]+)\)")


def _outlook_reader(header: _Header) -> _RowReader:
    def read(row: _Row, line: int, reading: _Reading) -> ContactRecord | None:
        record = ContactRecord(
            line=line,
            prefix=row.get("title"),  # "Title" is Mr./Dr.; the job is "Job Title"
            given=row.get("first name"),
            middle=row.get("middle name"),
            family=row.get("last name"),
            suffix=row.get("suffix"),
            nicknames=[row.get("nickname")] if row.get("nickname") else [],
            organization=row.get("company"),
            title=row.get("job title"),
            department=row.get("department"),
            labels=_labels(re.split(r";|:::", row.get("categories"))),
        )
        for prefix in ("e-mail", "e-mail 2", "e-mail 3"):
            address = row.get(f"{prefix} address")
            if address.startswith("/o=") or row.get(f"{prefix} type").upper() == "EX":
                # An Exchange directory entry; the display name often holds the real address.
                found = _EMAIL_IN_PARENTHESES.search(row.get(f"{prefix} display name"))
                address = found[1] if found else address
            _add_email(record, address, "", reading, f"{prefix.capitalize()} Address")
        for column, label in _OUTLOOK_PHONES:
            _add(record.phones, row.get(column), label)
        _mark_primary(record.phones, row.get("primary phone"))
        for kind, label in _OUTLOOK_ADDRESSES:
            street = _address_line(*(row.get(f"{kind} street{n}") for n in ("", " 2", " 3")))
            city, region, country = (row.get(f"{kind} {part}") for part in ("city", "state", "country/region"))
            postal, po_box = row.get(f"{kind} postal code"), row.get(f"{kind} address po box")
            _set_place(record, city, region, country)
            if street or postal or po_box:
                _add(
                    record.addresses, _address_line(street, po_box, city, f"{region} {postal}".strip(), country), label
                )
        for column in ("web page", "personal web page"):
            _add(record.links, row.get(column), "Home" if column.startswith("personal") else "")
        birthday = row.get("birthday")
        if birthday and not _is_outlook_no_date(birthday):
            reading.date(record, "birthday", "Birthday", birthday)
        anniversary = row.get("anniversary")
        extras = [
            ("Anniversary", "" if _is_outlook_no_date(anniversary) else anniversary),
            ("Spouse", row.get("spouse")),
            ("Children", row.get("children")),
        ]
        record.notes = _with_extras(row.get("notes"), extras)
        return _finish(record, reading)

    return read


def _mark_primary(phones: list[Labeled], number: str) -> None:
    """Outlook's "Primary Phone" usually repeats one of the others: mark that one."""
    for phone in phones:
        if phone.value == number:
            phone.primary = True
            return
    _add(phones, number, "Primary", is_primary=True)


def _is_outlook_no_date(value: str) -> bool:
    """Outlook writes "0/0/00" for no date, and keeps 1/1/4501 as its own "none"."""
    return value in ("", "0/0/00", "0/0/0000", "00/00/00") or value.endswith("4501")


# --- Thunderbird


def _thunderbird_reader(header: _Header) -> _RowReader:
    def read(row: _Row, line: int, reading: _Reading) -> ContactRecord | None:
        record = ContactRecord(
            line=line,
            name=row.get("display name"),
            given=row.get("first name"),
            family=row.get("last name"),
            nicknames=[row.get("nickname")] if row.get("nickname") else [],
            organization=row.get("organization"),
            title=row.get("job title"),
            department=row.get("department"),
        )
        _add_email(record, row.get("primary email"), "", reading, "Primary Email")
        _add_email(record, row.get("secondary email"), "", reading, "Secondary Email")
        for column, label in (
            ("work phone", "Work"),
            ("home phone", "Home"),
            ("mobile number", "Mobile"),
            ("fax number", "Fax"),
            ("pager number", "Pager"),
        ):
            _add(record.phones, row.get(column), label)
        for kind, label in (("home", "Home"), ("work", "Work")):
            street = _address_line(row.get(f"{kind} address"), row.get(f"{kind} address 2"))
            city, region, country = (row.get(f"{kind} {part}") for part in ("city", "state", "country"))
            postal = row.get(f"{kind} zipcode")
            _set_place(record, city, region, country)
            if street or postal:
                _add(record.addresses, _address_line(street, city, f"{region} {postal}".strip(), country), label)
        _add(record.links, row.get("web page 1"), "Work")
        _add(record.links, row.get("web page 2"), "Home")
        _thunderbird_birthday(row, record, reading)
        extras = [(f"Custom {n}", row.get(f"custom {n}")) for n in range(1, 5)]
        record.notes = _with_extras(row.get("notes"), [("Screen Name", row.get("screen name")), *extras])
        return _finish(record, reading)

    return read


def _thunderbird_birthday(row: _Row, record: ContactRecord, reading: _Reading) -> None:
    year, month, day = (row.get(f"birth {part}") for part in ("year", "month", "day"))
    if not (month or day):
        return
    try:
        record.birthday = date(int(year) if year else NO_YEAR, int(month), int(day))
    except ValueError:
        reading.ignore(record.line, "Birth Month", f"not a date: {'-'.join((year, month, day))!r}")


# --- A plain spreadsheet

_GENERIC = {
    "name": {"name", "full name", "display name", "contact name"},
    "given": {"first name", "given name", "first"},
    "family": {"last name", "family name", "surname", "last"},
    "email": {"email", "e-mail", "email address", "e-mail address", "mail", "emails"},
    "phone": {"phone", "telephone", "mobile", "phone number", "mobile phone", "tel", "cell"},
    "organization": {"company", "organization", "organisation"},
    "title": {"job title", "position", "role"},
    "notes": {"notes", "note"},
    "location": {"location", "place"},
    "city": {"city", "town"},
    "region": {"state", "region", "province"},
    "country": {"country", "country/region"},
}


def _generic_reader(header: _Header) -> _RowReader:
    columns = {key: [name for name in header.names if name in names] for key, names in _GENERIC.items()}

    def read(row: _Row, line: int, reading: _Reading) -> ContactRecord | None:
        record = ContactRecord(
            line=line,
            name=row.first(*columns["name"]),
            given=row.first(*columns["given"]),
            family=row.first(*columns["family"]),
            organization=row.first(*columns["organization"]),
            title=row.first(*columns["title"]),
            notes=_with_extras(row.first(*columns["notes"]), []),
        )
        _set_place(record, *(row.first(*columns[part]) for part in ("city", "region", "country")))
        record.location = record.location or row.first(*columns["location"])
        for column in columns["email"]:
            for value in re.split(r"[;,]|:::", row.get(column)):
                _add_email(record, value, "", reading, column.title())
        for column in columns["phone"]:
            _add(record.phones, row.get(column), "")
        return _finish(record, reading)

    return read


_ROW_READERS: dict[str, Callable[[_Header], _RowReader]] = {
    "linkedin": _linkedin_reader,
    "google": _google_reader,
    "outlook": _outlook_reader,
    "thunderbird": _thunderbird_reader,
    "csv": _generic_reader,
}


# ---------------------------------------------------------------------------------------------
# Writing Google's CSV

_GOOGLE_FIXED = (
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
)
_GOOGLE_GROUPS = {
    "E-mail": ("Label", "Value"),
    "Phone": ("Label", "Value"),
    "Address": (
        "Label",
        "Formatted",
        "Street",
        "City",
        "PO Box",
        "Region",
        "Postal Code",
        "Country",
        "Extended Address",
    ),
    "Website": ("Label", "Value"),
    "Event": ("Label", "Value"),  # only "Met", and only when some record has met_on
}


@dataclass
class _GoogleRow:
    fixed: dict[str, str]
    groups: dict[str, list[list[str]]]  # kind -> the cells of each group


def _google_row(record: ContactRecord) -> _GoogleRow:
    prefix, given, middle, family, suffix = (
        record.prefix.strip(),
        record.given.strip(),
        record.middle.strip(),
        record.family.strip(),
        record.suffix.strip(),
    )
    name = record.name.strip()
    if name and not any((prefix, given, middle, family, suffix)):
        parts = parse_name(name)
        prefix, given, middle, family, suffix = parts.prefix, parts.given, parts.middle, parts.family, parts.suffix
        if not any((prefix, given, middle, family, suffix)):
            given = name
    joined = " ".join(part for part in (prefix, given, middle, family, suffix) if part)
    fixed = {
        "First Name": given,
        "Middle Name": middle,
        "Last Name": family,
        "Name Prefix": prefix,
        "Name Suffix": suffix,
        "Nickname": MULTI.join(record.nicknames),
        "File As": name if name != joined else "",
        "Organization Name": record.organization,
        "Organization Title": record.title,
        "Organization Department": record.department,
        "Birthday": _google_date(record.birthday),
        "Notes": record.notes,
        "Labels": MULTI.join(["* myContacts", *record.labels]),
    }
    # The whole address goes in Street too, for importers that build addresses from the parts.
    addresses = [[_google_written_label(item), item.value, item.value, *[""] * 6] for item in record.addresses]
    if record.location.strip() or record.city.strip() or record.country.strip():
        # Kithkin's location is a place, not an address: an address of a city, region and country.
        city, region, country = address_parts(record.location, record.city, record.country)
        addresses.append(["", "", "", city, "", region, "", country, ""])
    groups = {
        "E-mail": [[_google_written_label(item), item.value] for item in record.emails],
        "Phone": [[_google_written_label(item), item.value] for item in record.phones],
        "Address": addresses,
        "Website": [[_google_written_label(item), item.value] for item in record.links],
        "Event": [["Met", _google_date(record.met_on)]] if record.met_on else [],
    }
    return _GoogleRow(fixed, groups)


def _google_written_label(item: Labeled) -> str:
    return f"* {item.label}" if item.primary else item.label


def _google_date(value: date | None) -> str:
    if value is None:
        return ""
    if not year_known(value):
        return f"--{value.month:02d}-{value.day:02d}"
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
