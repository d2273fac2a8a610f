"""Reading pasted names and email addresses ("Ana Ruiz <ana@acme.example>") into people to add.

Accepts what people copy from a mail client or a spreadsheet: one person per line, or several on a
line as in an email header (``Ana Ruiz <ana@acme.example>, "Chen, Bo" <bo@globex.example>``), also
Outlook's ``Ruiz, Ana <ana@acme.example>; Chen, Bo <bo@globex.example>``, bare addresses and bare
names. Knows nothing of Django: the caller checks the results against the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.utils import getaddresses

from kithkin.lib.names import clean_name

MAX_NAME_LENGTH = 200  # Person.full_name

# Addresses anyone can sign up for: sharing one says nothing about where two people work.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
        "yandex.com", "yandex.ru", "mail.ru", "zoho.com", "fastmail.com", "hey.com", "tutanota.com",
        "qq.com", "163.com", "126.com", "naver.com", "orange.fr", "free.fr", "libero.it", "seznam.cz",
    }
)  # fmt: skip

# Shared mailboxes: "info@acme.example" is not someone called Info.
_ROLE_MAILBOXES = frozenset(
    {
        "admin", "billing", "contact", "hello", "help", "hi", "info", "jobs", "mail", "marketing", "news",
        "noreply", "no-reply", "office", "press", "sales", "support", "team", "careers", "hr", "events",
    }
)  # fmt: skip

# Deliberately simpler than RFC 5322: what people actually use; the caller applies its own check too.
_EMAIL = re.compile(r"[^\s@<>(),;:\"\[\]\\]+@[\w-]+(\.[\w-]+)+")
_HEADER_PREFIX = re.compile(r"^(to|cc|bcc|from|reply-to)\s*:\s*", re.IGNORECASE)
_ANGLE_ADDRESS = re.compile(r"(<[^<>]*>)")
_ENCODED_WORD = "=?"


@dataclass(frozen=True)
class Entry:
    """One person read from the paste. ``email`` is lower case, or empty for a bare name."""

    line: int
    name: str
    email: str = ""
    is_name_from_email: bool = False


@dataclass(frozen=True)
class Unreadable:
    line: int
    text: str
    problem: str

    @property
    def reason(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass(frozen=True)
class Pasted:
    entries: list[Entry]
    unreadable: list[Unreadable]


class _LineError(ValueError):
    pass


def is_email_address(text: str) -> bool:
    return bool(_EMAIL.fullmatch(text)) and ".." not in text and not text.startswith(".")


def email_domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def is_free_mail(domain: str) -> bool:
    return domain.lower() in FREE_MAIL_DOMAINS


def name_from_email(address: str) -> str:
    """A readable name from an address's local part ("ana.ruiz@..." is Ana Ruiz), or "" when
    the local part does not look like a name (digits, a shared mailbox such as info@)."""
    local = address.partition("@")[0].partition("+")[0].lower()
    if local in _ROLE_MAILBOXES:
        return ""
    parts = [part for part in re.split(r"[._-]+", local) if part]
    if not parts or not all(part.isalpha() for part in parts):
        return ""
    return " ".join(f"{part.upper()}." if len(part) == 1 else part.capitalize() for part in parts)


def flip_name(display: str) -> str:
    """ "Chen, Bo" is Bo Chen; "Smith, John, Jr." is John Smith, Jr.; "Ana Ruiz, PhD" stays."""
    if "," not in display:
        return display
    from nameparser import HumanName  # loaded on first use (start-up)

    human = HumanName(display)
    if not human.first or not human.last:
        return clean_name(display.replace(",", " "))
    nickname = f'"{human.nickname}"' if human.nickname else ""
    name = " ".join(part for part in (human.title, human.first, nickname, human.middle, human.last) if part)
    return f"{name}, {human.suffix}" if human.suffix else name


def _decoded(display: str) -> str:
    """Undo MIME encoded words ("=?utf-8?q?Jos=C3=A9?=") that some clients copy as they are."""
    if _ENCODED_WORD not in display:
        return display
    try:
        return str(make_header(decode_header(display)))
    except (ValueError, LookupError, UnicodeError, HeaderParseError):
        return display


def _quote_unquoted_names(line: str) -> str:
    """Quote display names that hold a comma, and turn ";" into ",", so getaddresses reads
    Outlook's ``Ruiz, Ana <ana@...>; Chen, Bo <bo@...>`` as two people, not four."""
    pieces = _ANGLE_ADDRESS.split(line)  # text, <address>, text, <address>, ..., text
    for i in range(0, len(pieces), 2):
        rest = pieces[i].lstrip(" \t,;")
        lead = pieces[i][: len(pieces[i]) - len(rest)].replace(";", ",")
        name = rest.strip()
        is_before_address = i + 1 < len(pieces)
        # Outlook writes a missing name as the address in single quotes: 'ana@acme.example' <ana@...>
        is_single_quoted = len(name) > 1 and name[0] == name[-1] == "'"
        if (
            is_before_address
            and '"' not in name
            and (is_single_quoted or ("@" not in name and re.search("[,;]", name)))
        ):
            rest = '"' + name.strip("'").replace("\\", "\\\\") + '" '
        elif '"' not in rest:
            rest = rest.replace(";", ",")
        pieces[i] = lead + rest
    return "".join(pieces)


def _person(line_number: int, display: str, address: str) -> Entry:
    if not is_email_address(address):
        raise _LineError(f"{address!r} is not an email address")
    address = address.lower()
    name = clean_name(flip_name(clean_name(_decoded(display)).strip("'\" ")))
    if name.lower() == address:
        name = ""  # Outlook shows 'ana@acme.example' <ana@acme.example> for someone with no name
    if len(name) > MAX_NAME_LENGTH:
        raise _LineError(f"the name is longer than {MAX_NAME_LENGTH} characters")
    if name:
        return Entry(line=line_number, name=name, email=address)
    return Entry(line=line_number, name=name_from_email(address) or address, email=address, is_name_from_email=True)


def _read_addresses(line_number: int, text: str) -> list[Entry]:
    tokens = [token for token in re.split(r"[\s,;]+", text) if token]
    if "<" not in text and '"' not in text:
        if all("@" in token for token in tokens):
            # Bare addresses, separated by spaces, commas or semicolons.
            return [_person(line_number, "", token) for token in tokens]
        if not re.search(r"[,;]", text) and "@" not in " ".join(tokens[:-1]) and "@" in tokens[-1]:
            # "Ana Ruiz ana@acme.example": a name, then the address.
            return [_person(line_number, " ".join(tokens[:-1]), tokens[-1])]
    for bracketed in _ANGLE_ADDRESS.findall(text):
        # getaddresses drops a broken address silently ("Bo <bo@>" has no address): name it.
        inner = bracketed[1:-1].strip()
        if not inner:
            raise _LineError(f"{text!r} has no email address between < and >")
        if not is_email_address(inner):
            raise _LineError(f"{inner!r} is not an email address")
    entries = []
    for display, address in getaddresses([_quote_unquoted_names(text)]):
        if not display and not address:
            continue  # an empty item between two separators
        if "@" not in address:
            if address and not display:
                raise _LineError(f"{text!r} mixes a name without an address with addresses; put it on its own line")
            raise _LineError(f"{display or address!r} has no email address")
        entries.append(_person(line_number, display, address.strip()))
    if not entries:
        raise _LineError(f"cannot read {text!r}; write Name <address>")
    return entries


def _read_name(line_number: int, text: str) -> Entry:
    if "<" in text or ">" in text:
        raise _LineError(f"{text!r} has no email address between < and >")
    name = clean_name(flip_name(text.strip("'\" ")))
    if not any(ch.isalpha() for ch in name):
        raise _LineError(f"{text!r} is not a name or an email address")
    if len(name) > MAX_NAME_LENGTH:
        raise _LineError(f"the name is longer than {MAX_NAME_LENGTH} characters")
    return Entry(line=line_number, name=name)


def parse_pasted(text: str) -> Pasted:
    """Every person in ``text``, with the line they are on, and the lines that could not be read.

    A line is read whole or not at all, so a line with a mistake is never half added.
    """
    entries: list[Entry] = []
    unreadable: list[Unreadable] = []
    # Number lines as a text box shows them: only CR, LF and CRLF break a line.
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = _HEADER_PREFIX.sub("", clean_name(raw)).strip(" ,;")
        if not line:
            continue
        try:
            entries += _read_addresses(number, line) if "@" in line else [_read_name(number, line)]
        except _LineError as exc:
            unreadable.append(Unreadable(line=number, text=line, problem=str(exc)))
    return Pasted(entries=entries, unreadable=unreadable)
