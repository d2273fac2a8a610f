"""Reading vCard (.vcf) files of any vintage, and writing vCard 4.0 or 3.0 that address books accept.

The reader is a small line-based parser rather than a wrapper around vobject: vobject gives up on a
whole file at the first line it cannot parse, and real exports are full of such lines (Outlook's
quoted-printable soft breaks, Lotus Notes, iOS ``\\r\\r\\n`` line ends, comment lines, unfolded
base64 photos). Here a line that makes no sense costs at most that line, a card that names nobody
becomes a ``Skipped`` with a reason, and every other card is read.

It works on bytes until a value is needed, because vCard 2.1 lets each property carry its own
CHARSET and quoted-printable encoding, and Shift_JIS text may hold a backslash byte inside a
character: decoding a value is the last step, escapes and separators are read after it.

The writer produces what Apple Contacts, Google Contacts and Outlook import: CRLF line ends, lines
folded at 75 octets, standard TYPE parameters where a label has one, Apple's ``itemN.X-ABLabel``
where it does not.
"""

from __future__ import annotations

import binascii
import codecs
import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NoReturn

from kithkin.lib.birthdays import NO_YEAR, year_known
from kithkin.lib.contacts import ContactRecord, FileRejected, Labeled, Parsed, Skipped
from kithkin.lib.names import parse_name
from kithkin.lib.places import address_parts
from kithkin.lib.textfiles import decode_text

__all__ = ["read_vcards", "write_vcards"]

_WHAT = "vCard (.vcf) file"
_UTF8_BOM = b"\xef\xbb\xbf"
# iOS ends lines with CR CR LF; old Macs with CR alone. The longest ending is tried first.
_LINE_END = re.compile(rb"\r\r\n|\r\n|\r|\n")
# A line that starts with white space continues the line before it, even if it reads "BEGIN:VCARD".
# RFC 2425 lets BEGIN and END carry a group, as any property may ("item1.BEGIN:VCARD").
_BEGIN = re.compile(rb"(?:[A-Za-z0-9_-]{1,20}\.)?BEGIN[ \t]*:[ \t]*VCARD[ \t]*$", re.IGNORECASE)
_END = re.compile(rb"(?:[A-Za-z0-9_-]{1,20}\.)?END[ \t]*:[ \t]*VCARD[ \t]*$", re.IGNORECASE)
_VERSION = re.compile(rb"VERSION[ \t]*:[ \t]*([0-9.]{1,5})", re.IGNORECASE)
# "item1.EMAIL;TYPE=work:", "N:", "X-ABLabel:": a name (with an optional group) then ; or :
_PROPERTY_NAME = re.compile(rb"(?:([A-Za-z0-9_.-]+)\.)?([A-Za-z0-9_-]+)[ \t]*([;:])")

# Only these properties are decoded; photos, sounds and keys are skipped unread.
_WANTED = frozenset(
    {
        "FN", "N", "NICKNAME", "EMAIL", "TEL", "URL", "ORG", "TITLE", "ADR", "LABEL", "BDAY", "NOTE",
        "CATEGORIES", "IMPP", "X-SOCIALPROFILE", "X-SIP", "X-ABLABEL", "X-ANDROID-CUSTOM",
    }
)  # fmt: skip
# Values a line that is not a property may go on with: multi-line text, and binary data.
_MULTILINE = frozenset({"NOTE", "ADR", "LABEL"})
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "AGENT"})
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})

# TYPE values that say nothing a person would call a label.
_NOISE_TYPES = frozenset({"pref", "internet", "x400", "voice", "msg", "dom", "intl", "postal", "parcel"})
_TYPE_WORDS = {"cell": "mobile"}
_PLACE_TYPES = ("home", "work", "other")
# Apple's built-in labels (``_$!<HomePage>!$_``) and how a person would say them.
_APPLE_LABELS = {
    "homepage": "home page", "other": "other", "mobile": "mobile", "main": "main", "home": "home",
    "work": "work", "school": "school", "homefax": "home fax", "workfax": "work fax",
    "otherfax": "other fax", "pager": "pager", "assistantphone": "assistant", "iphone": "iphone",
}  # fmt: skip
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")

# Google's and Android's groups that every contact is in: not labels anyone chose.
_SYSTEM_LABELS = frozenset({"my contacts", "mycontacts", "* mycontacts", "starred", "* starred", "starred in android"})

# 19850314, 1985-03-14, --0314, --03-14, each perhaps followed by a time (1985-03-14T00:00:00Z).
_BIRTHDAY = re.compile(
    r"(?:(?P<year>\d{4})(?:(?P<month>\d\d)(?P<day>\d\d)|-(?P<xmonth>\d\d?)-(?P<xday>\d\d?))"
    r"|--(?P<nomonth>\d\d)-?(?P<noday>\d\d))(?:[T ].*)?"
)
_ANGLE_EMAIL = re.compile(r"<([^<>@\s]+@[^<>\s]+)>")
_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)
_ESCAPED = {
    "n": "\n",
    "N": "\n",
    "\\": "\\",
    ",": ",",
    ";": ";",
    ":": ":",
    '"': '"',
}  # \: and \" are Apple's and Google's
_CHARSET_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252",
}  # fmt: skip


@dataclass(slots=True)
class _Property:
    line: int
    group: str
    name: str
    params: dict[str, list[str]]
    chunks: list[bytes]  # the value as written, joined when the card is read
    qp: bool = False
    text: str = ""  # the decoded value, escapes still in place


@dataclass(slots=True)
class _Card:
    line: int
    # Positions in the file's list of lines (plain ints: 30,000 cards must not mean a million
    # small objects for the garbage collector to walk).
    indexes: list[int] = field(default_factory=list)
    version: str = ""
    properties: list[_Property] = field(default_factory=list)
    unwanted: set[str] = field(default_factory=set)  # names of properties that were not decoded
    stray: list[tuple[int, str]] = field(default_factory=list)  # lines that are not properties
    first_inner: int = -1  # where the first card inside this one begins


# ---------------------------------------------------------------------------------------------
# Reading


def read_vcards(data: bytes) -> Parsed:
    """Every card in ``data``: a ContactRecord for each card that names someone (by name,
    organization, nickname or email address), a Skipped for each card that does not. A file with
    no card at all (empty, binary, or another kind of file) raises FileRejected."""
    data = _as_utf8_bytes(data)
    lines = _LINE_END.split(data)
    cards, outside = _split_cards(lines)
    if not cards:
        _reject_cardless(data)
    parsed = Parsed(format="vcard", layout="")
    # Each card is read as soon as it is parsed, except those holding values in an undeclared
    # 8-bit charset: they wait until the whole file's such values have been seen.
    waiting: list[_Card] = []
    pending: list[_Property] = []
    for card in cards:
        pending_before = len(pending)
        _parse_card(card, lines, pending)
        if len(pending) > pending_before:
            waiting.append(card)
        else:
            _add_card(parsed, card)
    _decode_legacy(pending)
    for card in waiting:
        _add_card(parsed, card)
    parsed.layout = _layout(cards)
    for line, text in outside:
        parsed.skipped.append(
            Skipped(line, "BEGIN:VCARD", f"these lines are outside any card, so they were not imported: {text!r}")
        )
    parsed.records.sort(key=lambda record: record.line)
    parsed.skipped.sort(key=lambda skipped: skipped.line)
    return parsed


def _add_card(parsed: Parsed, card: _Card) -> None:
    try:
        result = _read_card(card)
    except Exception as error:  # a bug must cost one card, never the file
        result = Skipped(card.line, "card", f"this card could not be read (internal error: {error!r})")
    if isinstance(result, Skipped):
        parsed.skipped.append(result)
    else:
        parsed.records.append(result)
    for line, text in card.stray:
        parsed.skipped.append(
            Skipped(line, "line", f"this line is not a vCard property, so it was not imported: {text!r}")
        )
    card.properties = []  # done with: let it go


def _as_utf8_bytes(data: bytes) -> bytes:
    """The file as UTF-8-compatible bytes: UTF-16 and UTF-32 files (Windows) are transcoded, a
    UTF-8 byte order mark is dropped. Other 8-bit text stays as it is, decoded value by value."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or _looks_utf16(data):
        return decode_text(data, what=_WHAT).encode("utf-8")
    return data.removeprefix(_UTF8_BOM)


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400].upper()
    return b"B\x00E\x00G\x00I\x00N\x00" in sample or b"\x00B\x00E\x00G\x00I\x00N" in sample


def _reject_cardless(data: bytes) -> NoReturn:
    # decode_text refuses empty and binary files with a message that says what they look like.
    text = decode_text(data, what=_WHAT)
    if re.search(r"BEGIN\s*:\s*VCALENDAR", text, re.IGNORECASE):
        raise FileRejected("no BEGIN:VCARD found: this is a calendar (.ics) file, not a vCard (.vcf) file")
    raise FileRejected("no BEGIN:VCARD found: is this a vCard (.vcf) file?")


def _split_cards(lines: list[bytes]) -> tuple[list[_Card], list[tuple[int, str]]]:
    """The cards and the runs of text found outside any card, each with the line it starts on.

    A card inside a card (2.1 AGENT, Android's nested cards) is a card of its own, and the outer
    card goes on after it. But a card still open at the end of the file had lost its END:VCARD:
    it ends where the next card began, and what followed is outside any card.
    """
    cards: list[_Card] = []
    open_cards: list[_Card] = []
    outside: list[int] = []
    since_end = 0  # where the text outside any card since the last END:VCARD starts, in ``outside``
    for index, line in enumerate(lines):
        if line.startswith(_UTF8_BOM):  # files joined with cat keep each one's BOM
            line = lines[index] = line[3:]
        first = line[:1]
        if len(line) < 60 and (first in (b"B", b"b", b"E", b"e") or b"." in line[:21]) and first not in (b" ", b"\t"):
            if _BEGIN.match(line):
                card = _Card(index + 1)
                if open_cards and open_cards[-1].first_inner < 0:
                    open_cards[-1].first_inner = index
                cards.append(card)
                open_cards.append(card)
                continue
            if _END.match(line):
                if open_cards:
                    open_cards.pop()
                else:
                    _recover_headless(cards, outside, since_end, lines)
                since_end = len(outside)
                continue
        if open_cards:
            open_cards[-1].indexes.append(index)
        elif line.strip(b" \t\x00\x1a"):
            outside.append(index)
    for card in open_cards:
        if card.first_inner >= 0:
            outside += [index for index in card.indexes if index > card.first_inner and lines[index].strip()]
            card.indexes = [index for index in card.indexes if index < card.first_inner]
    return cards, _runs(sorted(outside), lines)


def _recover_headless(cards: list[_Card], outside: list[int], since: int, lines: list[bytes]) -> None:
    """An END:VCARD with no card open: the card lost its BEGIN line. When the lines since the last
    card (``outside[since:]``) hold a VERSION, they are that card; otherwise they stay outside."""
    lost = outside[since:]
    if not any(lines[index][:1] in (b"V", b"v") and _VERSION.match(lines[index]) for index in lost):
        return
    card = _Card(lost[0] + 1, list(lost))
    cards.append(card)
    cards.sort(key=lambda card: card.line)
    del outside[since:]


def _runs(indexes: list[int], lines: list[bytes]) -> list[tuple[int, str]]:
    """Stray lines as runs (a blank line does not end a run), each as its line and first text."""
    runs: list[tuple[int, str]] = []
    previous = -2
    for index in indexes:
        if not runs or any(lines[between].strip() for between in range(previous + 1, index)):
            runs.append((index + 1, lines[index][:60].decode("utf-8", errors="replace").strip()))
        previous = index
    return runs


def _parse_card(card: _Card, lines: list[bytes], pending: list[_Property]) -> None:
    """Turn the card's physical lines into properties: unfold, join quoted-printable soft line
    breaks, and decode the values of the properties a ContactRecord needs."""
    card.version = _card_version(card, lines)
    # vCard 2.1 folds at white space and keeps it; 3.0 and 4.0 fold anywhere and drop one space.
    keep_fold_space = card.version == "2.1"
    current: _Property | None = None
    indexes = card.indexes
    position = 0
    # The loop is the reader's hottest path (every line of every card): the common lines are
    # handled inline, the rare ones (folded parameters, wrapped values, stray text) in helpers.
    while position < len(indexes):
        number = indexes[position] + 1
        line = lines[indexes[position]]
        position += 1
        if current is not None and current.qp and current.chunks[-1].endswith(b"="):
            current.chunks[-1] = current.chunks[-1][:-1]  # a soft line break: the value goes on
            current.chunks.append(line)
            continue
        first = line[:1]
        if first in (b" ", b"\t"):
            if current is not None:
                current.chunks.append(line if keep_fold_space else line[1:])
            continue
        if first == b"#" or (not first.isalnum() and not line.strip(b" \t\x00\x0b\x0c\x1a")):
            continue  # comment lines and blank lines inside a card
        prop = _parse_property_line(number, line)
        if prop is None and _PROPERTY_NAME.match(line):
            prop, position = _parse_folded_head(number, line, lines, indexes, position, keep_fold_space)
        if prop is not None:
            current = prop
            if prop.name in _WANTED:
                card.properties.append(prop)
            else:
                card.unwanted.add(prop.name)
        elif current is not None and _continues(current):
            _wrap_value(current, line)
        else:
            card.stray.append((number, line[:60].decode("utf-8", errors="replace").strip()))
    for prop in card.properties:
        _decode_value(prop, pending)


def _card_version(card: _Card, lines: list[bytes]) -> str:
    """The card's VERSION, or "" when it gives none."""
    for index in card.indexes:
        line = lines[index]
        if line[:1] in (b"V", b"v"):
            match = _VERSION.match(line)
            if match:
                return match.group(1).decode("ascii")
    return ""


def _parse_folded_head(
    number: int, line: bytes, lines: list[bytes], indexes: list[int], position: int, keep_fold_space: bool
) -> tuple[_Property | None, int]:
    """A property folded before its colon, inside a parameter (a 4.0 LABEL="..."): read on through
    the folded lines until it parses. Returns the property (or None) and the position after it."""
    head = line
    prop = None
    while prop is None and position < len(indexes) and lines[indexes[position]][:1] in (b" ", b"\t"):
        fold = lines[indexes[position]]
        head += fold if keep_fold_space else fold[1:]
        position += 1
        prop = _parse_property_line(number, head)
    return prop, position


def _wrap_value(prop: _Property, line: bytes) -> None:
    """A line that is not a property goes on with a value that can hold several lines: 2.1
    writers wrap long addresses and notes (some end the line with a backslash), a bare CR splits
    a value (Thunderbird), photos are wrapped without folding."""
    last = prop.chunks[-1]
    if last.endswith(b"\\") and (len(last) - len(last.rstrip(b"\\"))) % 2 == 1:
        prop.chunks[-1] = last[:-1]
    prop.chunks.append(b"\\n" + line)


def _continues(prop: _Property) -> bool:
    """Whether a line that is not a property belongs to ``prop``'s value."""
    last = prop.chunks[-1]
    if last.endswith(b"\\"):
        return True
    return prop.name in _MULTILINE or _is_data(prop)


def _is_data(prop: _Property) -> bool:
    """Photos and the like, and other programs' X- properties: data that is not read, whatever
    lines it spans."""
    return prop.name in _BINARY or (prop.name.startswith("X-") and prop.name not in _WANTED)


def _parse_property_line(number: int, line: bytes) -> _Property | None:
    match = _PROPERTY_NAME.match(line)
    if match is None:
        return None
    if match.group(3) == b":":
        colon, head = match.end() - 1, b""
    else:
        colon = _value_start(line, match.end())
        if colon < 0:
            return None
        head = line[match.end() : colon]
    name = match.group(2).decode("ascii").upper()
    value = line[colon + 1 :]
    if name not in _WANTED:
        # Only its encoding matters: a quoted-printable value's soft line breaks must be followed.
        return _Property(number, "", name, {}, [value], b"QUOTED-PRINTABLE" in head.upper())
    group = match.group(1).decode("ascii").lower() if match.group(1) else ""
    params = _parse_params(head) if head else {}
    qp = bool(params) and params.get("ENCODING", [""])[0].upper() == "QUOTED-PRINTABLE"
    return _Property(number, group, name, params, [value], qp)


def _value_start(line: bytes, start: int) -> int:
    """Where the value starts: the first colon that is not inside a quoted parameter value."""
    colon = line.find(b":", start)
    if colon < 0 or b'"' not in line[start:colon]:
        return colon
    quoted = False
    for index in range(start, len(line)):
        byte = line[index]
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return index
    return colon  # an unclosed quote: the first colon is the best guess


def _parse_params(raw: bytes) -> dict[str, list[str]]:
    """``;TYPE=work,voice;PREF=1`` into {"TYPE": ["work", "voice"], "PREF": ["1"]}. vCard 2.1's bare
    parameters (``;HOME;VOICE;QUOTED-PRINTABLE``) become TYPE or ENCODING values."""
    params: dict[str, list[str]] = {}
    if not raw:
        return params
    text = _decode_bytes(raw)
    if '"' not in text and "^" not in text:
        for piece in text.split(";"):  # the common case, kept quick
            key, equals, value = piece.partition("=")
            key = key.strip().upper()
            if not key:
                continue
            if not equals:
                key, value = ("ENCODING" if key in _ENCODINGS else "TYPE"), key
            if key == "TYPE":
                params.setdefault(key, []).extend(word.strip().lower() for word in value.split(",") if word.strip())
            else:
                params.setdefault(key, []).extend(part.strip() for part in value.split(","))
        return params
    for piece in _split_outside_quotes(text, ";"):
        piece = piece.strip()
        if not piece:
            continue
        key, equals, value = piece.partition("=")
        key = key.strip().upper()
        if not equals:
            key, value = ("ENCODING" if key in _ENCODINGS else "TYPE"), key
        values = [_unquote(part) for part in _split_outside_quotes(value, ",")]
        if key == "TYPE":  # 4.0 quotes a list: TYPE="work,voice"
            values = [word.strip().lower() for part in values for word in part.split(",") if word.strip()]
        params.setdefault(key, []).extend(values)
    return params


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    start = 0
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
    if "^" in value:  # RFC 6868: ^n is a newline, ^' a double quote, ^^ a caret
        value = re.sub(r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m.group(1), m.group(0)), value)
    return value


def _decode_bytes(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _decode_value(prop: _Property, pending: list[_Property]) -> None:
    """The value as text: UTF-8 if it is UTF-8, else in the property's CHARSET, else left for
    ``_decode_legacy`` to read with the rest of the file's non-UTF-8 values."""
    raw = b"".join(prop.chunks)
    encoding = prop.params.get("ENCODING", [""])[0].upper()
    if prop.qp:
        raw = binascii.a2b_qp(raw)
    elif encoding in ("B", "BASE64"):
        with contextlib.suppress(binascii.Error, ValueError):  # not base64 after all: read as written
            raw = binascii.a2b_base64(raw)
    if raw.isascii():
        prop.text = _newlines(raw.decode("ascii"))
        return
    try:
        prop.text = _newlines(raw.decode("utf-8"))
        return
    except UnicodeDecodeError:
        pass
    charset = prop.params.get("CHARSET", [""])[0].strip().lower()
    if charset:
        codec = _CHARSET_ALIASES.get(charset, charset)
        try:
            prop.text = _newlines(raw.decode(codecs.lookup(codec).name))
            return
        except (LookupError, UnicodeDecodeError):
            if codec in ("utf-8", "utf8"):  # declared UTF-8 with a broken byte: keep the rest
                prop.text = _newlines(raw.decode("utf-8", errors="replace"))
                return
    prop.chunks = [raw]
    pending.append(prop)


def _decode_legacy(pending: list[_Property]) -> None:
    """Values in neither UTF-8 nor a declared charset: read together, so that the whole file is
    judged Shift_JIS (Japanese phones) or cp1252 (Western Windows) once, the way
    ``textfiles.decode_text`` judges CSV files, rather than value by value."""
    if not pending:
        return
    # One value per line; a newline inside a value (quoted-printable =0D=0A) travels as a CR,
    # which is never part of a Shift_JIS character.
    joined = b"\n".join(prop.chunks[0].replace(b"\r\n", b"\r").replace(b"\n", b"\r") for prop in pending)
    try:
        texts = decode_text(joined, what=_WHAT).split("\n")
    except FileRejected:
        texts = []
    if len(texts) != len(pending):
        texts = [_decode_bytes(prop.chunks[0]) for prop in pending]
    for prop, text in zip(pending, texts, strict=True):
        prop.text = _newlines(text)


def _newlines(text: str) -> str:
    """Newlines as \\n, and no control characters (but tabs) left to upset a database or a page."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isprintable() and _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text


def _layout(cards: list[_Card]) -> str:
    versions = sorted({card.version for card in cards if card.version})
    return "vcard " + "/".join(versions) if versions else "vcard (no VERSION)"


# ---- from properties to a ContactRecord


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(0)), text)


def _split_escaped(text: str, separator: str) -> list[str]:
    """Split where ``separator`` is not escaped; the parts keep their escapes."""
    if "\\" not in text:
        return text.split(separator)
    parts: list[str] = []
    start = index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == separator:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts


def _list_value(text: str) -> list[str]:
    """A comma-separated value (NICKNAME, an N component): escaped commas stay in the items."""
    return [_unescape(item).strip() for item in _split_escaped(text, ",")]


def _components(text: str, count: int) -> list[str]:
    parts = _split_escaped(text, ";")
    return (parts + [""] * count)[:count]


def _is_primary(params: dict[str, list[str]]) -> bool:
    if "pref" in params.get("TYPE", ()):
        return True
    return any(value.strip() in ("", "1") for value in params.get("PREF", ()))


def _label(prop: _Property, group_labels: dict[str, str]) -> str:
    """The label a person would read: the group's X-ABLabel if it has one, else the TYPEs
    ("work", "home fax", "mobile"), else nothing."""
    if prop.group and prop.group in group_labels:
        return group_labels[prop.group]
    return _label_from_types(prop.params.get("TYPE", []))


def _label_from_types(types: list[str]) -> str:
    words: list[str] = []
    for raw in types:
        word = raw.lower()
        if word in _NOISE_TYPES or not word:
            continue
        word = _TYPE_WORDS.get(word, word)
        if word not in words:
            words.append(word)
    places = [word for word in words if word in _PLACE_TYPES]
    return " ".join(places + [word for word in words if word not in _PLACE_TYPES])


def _apple_label(text: str) -> str:
    match = _APPLE_LABEL.fullmatch(text)
    if not match:
        return text
    inner = match.group(1)
    return _APPLE_LABELS.get(inner.lower(), inner)


def _add(
    items: list[Labeled], value: str, label: str, primary: bool, *, fold_case: bool = False, line: int = 0
) -> None:
    """Add unless the same value (with the same label, for phones) is there already. ``line`` is
    the property's own line, which a value left out by the import is reported on."""
    key = value.lower() if fold_case else value
    for item in items:
        if (item.value.lower() if fold_case else item.value) == key and (fold_case or item.label == label):
            item.primary = item.primary or primary
            return
    items.append(Labeled(value, label, primary, line))


def _one_primary(items: list[Labeled]) -> None:
    seen = False
    for item in items:
        if item.primary and seen:
            item.primary = False
        seen = seen or item.primary


@dataclass
class _Address:
    parts: list[str]  # post office box, extended, street, city, region, postal code, country
    label: str
    primary: bool
    formatted: str  # the LABEL parameter, for an address given only that way

    @property
    def line(self) -> str:
        pobox, extended, street, city, region, postcode, country = self.parts
        return _join_address([street, extended, pobox, city, region, postcode, country]) or _one_line(self.formatted)

    @property
    def place(self) -> str:
        return _join_address([self.parts[3], self.parts[4], self.parts[6]])

    @property
    def is_only_a_place(self) -> bool:
        pobox, extended, street, _, _, postcode, _ = self.parts
        return not (pobox or extended or street or postcode)


def _one_line(text: str) -> str:
    return _join_address(text.split("\n"))


def _join_address(parts: Iterable[str]) -> str:
    line = ""
    for part in parts:
        for piece in part.split("\n"):
            piece = piece.strip()
            if not piece:
                continue
            line = f"{line}{' ' if line.endswith(',') else ', '}{piece}" if line else piece
    return line


def _parse_birthday(text: str, params: dict[str, list[str]]) -> date | None:
    match = _BIRTHDAY.fullmatch(text.strip())
    if match is None:
        return None
    if match.group("year"):
        year = int(match.group("year"))
        month = int(match.group("month") or match.group("xmonth"))
        day = int(match.group("day") or match.group("xday"))
        omitted = params.get("X-APPLE-OMIT-YEAR", [""])[0].strip()
        if year == 0 or (omitted.isdigit() and int(omitted) == year):
            year = NO_YEAR
    else:
        year, month, day = NO_YEAR, int(match.group("nomonth")), int(match.group("noday"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(slots=True)
class _Reading:
    """One card being read: the record so far, and what later properties need to know (the first
    FN, whether N, ORG or TITLE were already given, the notes and addresses gathered)."""

    record: ContactRecord
    group_labels: dict[str, str]  # Apple's itemN.X-ABLabel, by group
    formatted_name: str = ""
    has_n: bool = False
    has_org: bool = False
    has_title: bool = False
    notes: list[str] = field(default_factory=list)
    addresses: list[_Address] = field(default_factory=list)
    label_addresses: list[_Address] = field(default_factory=list)  # from LABEL, kept only when no ADR


def _read_fn(reading: _Reading, prop: _Property) -> None:
    reading.formatted_name = reading.formatted_name or _unescape(prop.text).strip()


def _read_n(reading: _Reading, prop: _Property) -> None:
    if reading.has_n:
        return
    reading.has_n = True
    record = reading.record
    family, given, middle, prefix, suffix = (_list_value(part) for part in _components(prop.text, 5))
    record.family, record.given, record.middle, record.prefix = (
        " ".join(item for item in part if item) for part in (family, given, middle, prefix)
    )
    record.suffix = ", ".join(item for item in suffix if item)


def _add_nickname(record: ContactRecord, nickname: str) -> None:
    if nickname and nickname not in record.nicknames:
        record.nicknames.append(nickname)


def _read_nickname(reading: _Reading, prop: _Property) -> None:
    for nickname in _list_value(prop.text):
        _add_nickname(reading.record, nickname)


def _read_android_custom(reading: _Reading, prop: _Property) -> None:
    # Android keeps a nickname as a custom property; its other kinds say nothing Kithkin keeps.
    if prop.text.startswith("vnd.android.cursor.item/nickname;"):
        _add_nickname(reading.record, _unescape(_components(prop.text, 2)[1]).strip())


def _read_org(reading: _Reading, prop: _Property) -> None:
    if reading.has_org:
        return
    units = [_unescape(unit).strip() for unit in _split_escaped(prop.text, ";")]
    reading.has_org = any(units)
    reading.record.organization = units[0]
    reading.record.department = ", ".join(unit for unit in units[1:] if unit)


def _read_title(reading: _Reading, prop: _Property) -> None:
    if reading.has_title:
        return
    reading.record.title = _unescape(prop.text).strip()
    reading.has_title = bool(reading.record.title)


def _read_email(reading: _Reading, prop: _Property) -> None:
    email = _email(_unescape(prop.text))
    if email:
        label = _label(prop, reading.group_labels)
        _add(reading.record.emails, email, label, _is_primary(prop.params), fold_case=True, line=prop.line)


def _read_tel(reading: _Reading, prop: _Property) -> None:
    phone = _unescape(prop.text).strip()
    if phone.lower().startswith("tel:"):
        phone = phone[4:].strip()
    if phone.lower().startswith("sip:"):
        _add(reading.record.links, phone, "sip", _is_primary(prop.params), line=prop.line)
    elif phone:
        _add(reading.record.phones, phone, _label(prop, reading.group_labels), _is_primary(prop.params), line=prop.line)


def _read_url(reading: _Reading, prop: _Property) -> None:
    link = "".join(_unescape(prop.text).split())
    if link:
        _add(reading.record.links, link, _label(prop, reading.group_labels), _is_primary(prop.params), line=prop.line)


def _read_impp(reading: _Reading, prop: _Property) -> None:
    link = "".join(_unescape(prop.text).split())
    service = prop.params.get("X-SERVICE-TYPE", [""])[0] or ("sip" if prop.name == "X-SIP" else link.partition(":")[0])
    if link:
        label = reading.group_labels.get(prop.group) or service.lower()
        _add(reading.record.links, link, label, _is_primary(prop.params), line=prop.line)


def _after_leaked_parameter(text: str) -> str:
    """An ADR value that holds RFC 6868 caret escapes (``^n``, ``^'``), which only parameter
    values use: an unquoted LABEL parameter with a colon in it ran on past the colon taken as the
    start of the value. The value starts at the last colon before the first semicolon after the
    last escape (``...GERMANY^': BHG01:^n61352 Bad Homburg:;BHG01;Street 1;...``)."""
    last = max(text.rfind("^n"), text.rfind("^N"), text.rfind("^'"), text.rfind("^^"))
    if last < 0:
        return text
    semicolon = text.find(";", last)
    colon = text.rfind(":", last, semicolon if semicolon >= 0 else len(text))
    return text[colon + 1 :] if colon >= 0 else text


def _read_adr(reading: _Reading, prop: _Property) -> None:
    text = _after_leaked_parameter(prop.text) if "^" in prop.text else prop.text
    parts = [_unescape(part).strip() for part in _components(text, 7)]
    formatted = prop.params.get("LABEL", [""])[0]
    address = _Address(parts, _label(prop, reading.group_labels), _is_primary(prop.params), formatted)
    if address.line:
        reading.addresses.append(address)


def _read_label(reading: _Reading, prop: _Property) -> None:
    # An address given only as its printed lines (vCard 2.1 and 3.0's LABEL).
    address = _Address([""] * 7, _label(prop, reading.group_labels), _is_primary(prop.params), _unescape(prop.text))
    if address.line:
        reading.label_addresses.append(address)


def _read_bday(reading: _Reading, prop: _Property) -> None:
    if reading.record.birthday is None:
        reading.record.birthday = _parse_birthday(prop.text, prop.params)
        reading.record.birthday_line = prop.line


def _read_note(reading: _Reading, prop: _Property) -> None:
    note = _unescape(prop.text).strip()
    if note:
        reading.notes.append(note)


def _read_categories(reading: _Reading, prop: _Property) -> None:
    labels = reading.record.labels
    # Split on every comma, escaped or not: Thunderbird escapes the commas of its list.
    for label in _unescape(prop.text).split(","):
        label = label.strip()
        if label and label.lower() not in _SYSTEM_LABELS and label not in labels:
            labels.append(label)


# What each property read into the record does; X-ABLABEL is read beforehand, as the labels of
# the other properties in its group.
_READERS: dict[str, Callable[[_Reading, _Property], None]] = {
    "FN": _read_fn,
    "N": _read_n,
    "NICKNAME": _read_nickname,
    "X-ANDROID-CUSTOM": _read_android_custom,
    "ORG": _read_org,
    "TITLE": _read_title,
    "EMAIL": _read_email,
    "TEL": _read_tel,
    "URL": _read_url,
    "X-SOCIALPROFILE": _read_url,
    "IMPP": _read_impp,
    "X-SIP": _read_impp,
    "ADR": _read_adr,
    "LABEL": _read_label,
    "BDAY": _read_bday,
    "NOTE": _read_note,
    "CATEGORIES": _read_categories,
}


def _group_labels(card: _Card) -> dict[str, str]:
    """Apple's labels (``item1.X-ABLabel:School``) by group, for the properties of that group."""
    return {
        prop.group: _apple_label(_unescape(prop.text).strip())
        for prop in card.properties
        if prop.name == "X-ABLABEL" and prop.group
    }


def _read_card(card: _Card) -> ContactRecord | Skipped:
    reading = _Reading(ContactRecord(line=card.line), _group_labels(card))
    for prop in card.properties:
        read = _READERS.get(prop.name)
        if read is not None:
            read(reading, prop)
    record = reading.record
    record.notes = "\n".join(reading.notes)
    _place_addresses(record, reading.addresses or reading.label_addresses)
    for items in (record.emails, record.phones, record.links, record.addresses):
        _one_primary(items)
    if _names_someone(record, reading.formatted_name):
        return record
    return Skipped(card.line, "FN", _why_unnamed(card, record))


def _names_someone(record: ContactRecord, formatted_name: str) -> bool:
    """Set the record's name from FN, else the organization (a company's card), else a nickname;
    False when nothing names anyone (an email address is enough: display_name shows it)."""
    has_parts = any((record.prefix, record.given, record.middle, record.family, record.suffix))
    record.name = formatted_name
    if not has_parts and formatted_name.lower() in {email.value.lower() for email in record.emails}:
        record.name = ""  # a writer's stand-in for a missing name, not a name
    if not record.name and not has_parts:
        if record.organization:
            record.name = record.organization
        elif record.nicknames and not record.emails:
            record.name = record.nicknames[0]
    return bool(record.name or has_parts or record.emails)


def _email(text: str) -> str:
    text = text.strip()
    match = _ANGLE_EMAIL.search(text)  # '"Omega" <omega@example.com>'
    if match:
        text = match.group(1)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return "".join(text.split())


def _place_addresses(record: ContactRecord, addresses: list[_Address]) -> None:
    """Addresses as one line each; the location from the preferred (else the first) address that
    names a place. An address that is nothing but that place (no street, no postcode) gives the
    location and is not repeated as a postal address."""
    places = [address for address in addresses if address.place]
    source = next((address for address in places if address.primary), places[0] if places else None)
    if source is not None:
        record.location = source.place
        record.city, record.region, record.country = (_one_line(source.parts[i]) for i in (3, 4, 6))
    for address in addresses:
        if address is source and address.is_only_a_place:
            continue
        _add(record.addresses, address.line, address.label, address.primary)


def _why_unnamed(card: _Card, record: ContactRecord) -> str:
    found: list[str] = []
    if record.phones:
        found.append("phone " + ", ".join(phone.value for phone in record.phones[:3]))
    if record.links:
        found.append("link " + ", ".join(link.value for link in record.links[:3]))
    if record.addresses:
        found.append("address " + record.addresses[0].value)
    if record.location and not record.addresses:
        found.append("place " + record.location)
    if record.notes:
        found.append("a note")
    if card.unwanted & {"PHOTO", "LOGO"}:
        found.append("a photo")
    if not found and not card.properties and not (card.unwanted - {"VERSION", "PRODID", "REV", "UID"}):
        return "the card is empty"
    what = f" (it only holds: {'; '.join(found)})" if found else ""
    return f"the card has no name, organization or email address{what}"


# ---------------------------------------------------------------------------------------------
# Writing

# Which TYPE values each property may carry in each version; a label made only of these is
# written as TYPE, any other label as Apple's itemN.X-ABLabel.
_TYPES = {
    "4.0": {
        "EMAIL": {"home", "work"},
        "TEL": {"home", "work", "cell", "fax", "pager", "video", "text", "textphone"},
        "ADR": {"home", "work"},
        "URL": {"home", "work"},
    },
    "3.0": {
        "EMAIL": {"home", "work"},
        "TEL": {"home", "work", "cell", "fax", "pager", "video", "main", "bbs", "modem", "car", "isdn", "pcs"},
        "ADR": {"home", "work"},
        "URL": {"home", "work"},
    },
}
_WORD_TYPES = {"mobile": "cell"}
# Labels Apple Contacts has built in (and translates); other custom labels are shown as written.
_APPLE_BUILT_IN = {"other": "_$!<Other>!$_", "home page": "_$!<HomePage>!$_", "main": "_$!<Main>!$_"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def write_vcards(
    records: Iterable[ContactRecord],
    *,
    version: str = "4.0",
    uid_for: Callable[[ContactRecord], str] | None = None,
) -> str:
    """The records as one .vcf text, version "4.0" (RFC 6350) or "3.0" (RFC 2426), CRLF line ends.

    A label that is a standard TYPE ("work", "home", "mobile", "work fax") is written as TYPE, and
    comes back in lower case; any other label is written as Apple's itemN.X-ABLabel, which Apple
    and Google show as the label. ``met_on`` has no place in a vCard and is not written.
    """
    if version not in _TYPES:
        raise ValueError(f"vCard version must be 4.0 or 3.0, not {version!r}")
    out: list[str] = []
    for record in records:
        for line in _card_lines(record, version, uid_for(record) if uid_for else ""):
            if version == "3.0" and not line.isascii():
                # Outlook reads a 3.0 card as the Windows code page unless told (RFC 2425's
                # CHARSET); 4.0 is always UTF-8 and forbids the parameter.
                name, _, value = line.partition(":")
                line = f"{name};CHARSET=UTF-8:{value}"
            out.append(_fold(line))
    return "\r\n".join(out) + "\r\n" if out else ""


def _card_lines(record: ContactRecord, version: str, uid: str) -> list[str]:
    lines = ["BEGIN:VCARD", f"VERSION:{version}", "PRODID:-//Kithkin//Kithkin//EN"]
    if uid.strip():
        lines.append("UID:" + _plain(uid))
    lines += _name_lines(record, version)
    if record.organization or record.department:
        lines.append(
            "ORG:" + _text(record.organization) + (";" + _text(record.department) if record.department else "")
        )
    if record.title:
        lines.append("TITLE:" + _text(record.title))
    lines += _contact_lines(record, version)
    if record.birthday:
        lines.append(_birthday(record.birthday, version))
    if record.notes:
        lines.append("NOTE:" + _text(record.notes))
    if record.labels:
        lines.append("CATEGORIES:" + ",".join(_text(label) for label in record.labels))
    lines.append("END:VCARD")
    return lines


def _name_lines(record: ContactRecord, version: str) -> list[str]:
    """FN and N (both always), KIND for a company's card, NICKNAME."""
    joined_parts = _joined_parts(record)
    is_company = not record.name.strip() and not joined_parts and bool(record.organization.strip())
    formatted = _formatted_name(record, joined_parts)
    lines = ["FN:" + _text(formatted), "N:" + ";".join(_text(part) for part in _n_parts(record))]
    if is_company:
        lines.append("KIND:org" if version == "4.0" else "X-ABShowAs:COMPANY")
    if record.nicknames:
        lines.append("NICKNAME:" + ",".join(_text(nickname) for nickname in record.nicknames))
    return lines


def _joined_parts(record: ContactRecord) -> str:
    """The name's parts in the order they are said: prefix, given, middle, family, suffix."""
    parts = (record.prefix, record.given, record.middle, record.family, record.suffix)
    return " ".join(part.strip() for part in parts if part.strip())


def _formatted_name(record: ContactRecord, joined_parts: str) -> str:
    """FN, which every card must have: the name, else its parts, else the organization, else the
    first email address."""
    return (
        record.name.strip()
        or joined_parts
        or record.organization.strip()
        or (record.emails[0].value if record.emails else "")
    )


def _n_parts(record: ContactRecord) -> list[str]:
    """N's family, given, middle, prefix and suffix; read from the name when the record has none."""
    parts = [record.family, record.given, record.middle, record.prefix, record.suffix]
    if not any(part.strip() for part in parts) and record.name.strip():
        # Apple Contacts shows N, not FN: a card without N would be "No Name".
        name = parse_name(record.name)
        parts = [name.family, name.given, name.middle, name.prefix, name.suffix]
    return parts


def _contact_lines(record: ContactRecord, version: str) -> list[str]:
    """Emails, phones, addresses (and the location as one more) and links: the labeled values,
    numbered in one run of Apple's itemN groups."""
    lines: list[str] = []
    groups = _Groups()
    for email in record.emails:
        lines += _labeled_lines("EMAIL", _text(email.value), email, version, groups)
    for phone in record.phones:
        lines += _labeled_lines("TEL", _text(phone.value), phone, version, groups)
    for address in record.addresses:
        lines += _labeled_lines("ADR", ";;" + _text(address.value) + ";;;;", address, version, groups)
    if record.location.strip() or record.city.strip() or record.country.strip():
        lines.append("ADR:" + _place(record))
    for link in record.links:
        lines += _labeled_lines("URL", _plain(link.value), link, version, groups)
    return lines


class _Groups:
    """Numbers Apple's itemN groups within a card."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"item{self.count}"


def _labeled_lines(name: str, value: str, item: Labeled, version: str, groups: _Groups) -> list[str]:
    label = item.label.strip()
    types = _label_types(label, name, version)
    words = list(types or [])
    if version == "3.0" and name == "EMAIL":
        words.insert(0, "internet")
    if version == "3.0" and name == "TEL" and not words:
        words.append("voice")  # old Outlook drops a 3.0 TEL without a TYPE
    if item.primary and version == "3.0":
        words.append("pref")
    params = ";TYPE=" + ",".join(word.upper() if version == "3.0" else word for word in words) if words else ""
    if item.primary and version == "4.0":
        params += ";PREF=1"
    if types is not None:
        return [f"{name}{params}:{value}"]
    group = groups.next()
    apple = _APPLE_BUILT_IN.get(label.lower(), label)
    return [f"{group}.{name}{params}:{value}", f"{group}.X-ABLabel:{_text(apple)}"]


def _label_types(label: str, name: str, version: str) -> list[str] | None:
    """The TYPE values that say ``label``, or None when the label is not made of them (or would
    not read back as itself, ignoring case)."""
    words = label.lower().split()
    if not words:
        return []
    allowed = _TYPES[version][name]
    types = [_WORD_TYPES.get(word, word) for word in words]
    if not all(t in allowed for t in types) or _label_from_types(types) != label.lower():
        return None
    return types


def _place(record: ContactRecord) -> str:
    """The person's place as an address of nothing but a city, region and country."""
    city, region, country = address_parts(record.location, record.city, record.country)
    return ";;;" + ";".join((_text(city), _text(region), "", _text(country)))


def _birthday(day: date, version: str) -> str:
    if not year_known(day):
        if version == "4.0":
            return f"BDAY:--{day.month:02d}{day.day:02d}"
        # 3.0 has no year-less date; Apple's convention, which Google reads too.
        return f"BDAY;X-APPLE-OMIT-YEAR={NO_YEAR}:{NO_YEAR}-{day.month:02d}-{day.day:02d}"
    if version == "4.0":
        return f"BDAY:{day.year:04d}{day.month:02d}{day.day:02d}"
    return f"BDAY:{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 6350 and RFC 2426 ask: backslash, newline, comma, semicolon."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _plain(value: str) -> str:
    """A URI value (URL, UID): not escaped, but kept on one line."""
    return _CONTROL.sub("", " ".join(value.split()))


def _fold(line: str) -> str:
    """Fold at 75 octets, never inside a UTF-8 sequence nor between a backslash and the
    character it escapes."""
    if len(line) <= 75 and line.isascii():
        return line
    if len(line.encode("utf-8")) <= 75:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = 75
    index = 0
    while index < len(line):
        unit = line[index : index + 2] if line[index] == "\\" else line[index]
        index += len(unit)
        width = len(unit.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # a continuation line starts with a space
        current.append(unit)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)
