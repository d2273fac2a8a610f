"""Finding people who may already be in the network, before adding them again. Reads only.

Candidates are narrowed in SQL (the same email; people at the same organization or with an
address at the same email domain; a name of the same shape), then compared in Python with
rapidfuzz on names folded to lower case without accents. The number of queries is fixed,
whatever the number of names checked, and only the narrowed people leave the database: at
30,000 people a 50-line paste brings back a few hundred names, a single name a handful.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.db.models.sql.compiler import SQLCompiler
from rapidfuzz import fuzz, process

from kithkin.lib.addresses import Entry, Unreadable, email_domain, is_free_mail, parse_pasted
from kithkin.lib.emails import EmailError, email_key, normalize_email
from kithkin.lib.names import clean_name
from kithkin.lib.search import fold
from kithkin.people.models import Email, Organization, Person

# token_sort_ratio at or above this is a close name: "Jon Smith"/"John Smith" (95) and
# "Sara Khan"/"Sarah Khan" (95) are; "Mia Lee"/"Mia Li" (77) and "Ana Ruiz"/"Ana Diaz" (75) are not.
CLOSE_NAME_SCORE = 88

Kind = Literal["email", "organization", "domain", "name"]
_RANK: dict[str, int] = {"email": 0, "organization": 1, "domain": 2, "name": 3}

# Names with the same shape are found in SQL with LIKE patterns, where "_" is any one character.
# The exact pattern keeps every ASCII consonant ("Jose Nunez": "J_s__N_n_z") and finds the names
# written like it, vowels accented or not. The loose pattern also lets the consonants that carry
# accents in names (ñ, ç, š, ł, ř, ğ, ț...) vary, except a word's first letter, which keeps it
# selective ("J____N____"); it is only tried on names with a letter outside ASCII, which is where
# those accents are. So "Jose Nunez" finds "José Núñez"; not found: an accented first consonant
# ("Łukasz" from "Lukasz"), which the rapidfuzz comparison at the same organization still catches.
_VOWELS = frozenset("aeiouy")
_ACCENTED_CONSONANTS = frozenset("cdglnrstz")
_HAS_NON_ASCII = r"[^ -~]"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "-": " ", "‐": " "})


@dataclass(frozen=True)
class Candidate:
    """Someone already in the network who may be the person being added, and why."""

    person: Person
    kind: Kind  # the strongest reason: the same email, then a close name at the same organization...
    reason: str

    @property
    def is_same_email(self) -> bool:
        return self.kind == "email"


@dataclass(frozen=True)
class Wanted:
    """Someone about to be added, as far as duplicates go."""

    name: str
    emails: tuple[str, ...] = ()
    organization: str = ""


def fold_name(name: str) -> str:
    """A name for comparing: lower case, no accents, hyphens as spaces ("José-Luis Núñez" is
    "jose luis nunez")."""
    return fold(name.translate(_APOSTROPHES))


def is_close_name(folded: str, other: str) -> bool:
    """Two folded names that are probably the same person's: a typo apart, the words in another
    order, or one with a middle name the other lacks."""
    if folded == other or fuzz.token_sort_ratio(folded, other) >= CLOSE_NAME_SCORE:
        return True
    shorter, longer = sorted((set(folded.split()), set(other.split())), key=len)
    return len(shorter) >= 2 and shorter <= longer


class _Like(Lookup):
    """SQL LIKE, whose ``_`` wildcard Django's own lookups escape. ASCII letters match in any case
    (SQLite's LIKE; ILIKE on PostgreSQL)."""

    lookup_name = "like"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
        return f"{lhs} {operator} {rhs}", [*lhs_params, *rhs_params]


def name_patterns(name: str) -> tuple[str, str]:
    """The exact and the loose LIKE pattern for names that may fold to the same as ``name``:
    "Jose Nunez" gives ("J_s__N_n_z", "J____N____"). Both keep the length."""
    text = unicodedata.normalize("NFC", clean_name(name))
    exact, loose = [], []
    for i, ch in enumerate(text):
        letter = ch.lower() if ch.isascii() and ch.isalpha() else ""
        is_initial = i == 0 or not text[i - 1].isalpha()
        exact.append(ch if letter and letter not in _VOWELS else "_")
        keep = letter and letter not in _VOWELS and (is_initial or letter not in _ACCENTED_CONSONANTS)
        loose.append(ch if keep else "_")
    return "".join(exact), "".join(loose)


def _same_shape(patterns: Iterable[tuple[str, str]]) -> list[Q]:
    """One filter per name length (a name is checked only against patterns of its length)."""
    by_length: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for exact, loose in sorted(set(patterns)):
        by_length[len(exact)].append((exact, loose))
    filters = []
    for length, group in by_length.items():
        same = reduce(or_, (Q(_Like(F("full_name"), exact)) for exact, _ in group))
        looser = [Q(_Like(F("full_name"), loose)) for exact, loose in group if loose != exact]
        if looser:
            same |= reduce(or_, looser) & Q(full_name__regex=_HAS_NON_ASCII)
        filters.append(Q(Exact(Length("full_name"), length)) & same)
    return filters


def likely_duplicates(owner: User, *, name: str, emails: Iterable[str] = (), organization: str = "") -> list[Candidate]:
    """People in ``owner``'s network who may be the person described, strongest reason first."""
    return likely_duplicates_batch(owner, [Wanted(name, tuple(emails), organization)])[0]


def likely_duplicates_batch(owner: User, wanted: Sequence[Wanted]) -> list[list[Candidate]]:
    """``likely_duplicates`` for many people at once, in at most four queries whatever their number."""
    addresses = {email_key(address) for w in wanted for address in w.emails if address.strip()}
    domains = {email_domain(a) for a in addresses if not is_free_mail(email_domain(a))}
    organizations = {clean_name(w.organization).lower() for w in wanted if clean_name(w.organization)}
    patterns = [name_patterns(w.name) for w in wanted if clean_name(w.name)]
    people = Person.objects.for_owner(owner)

    # Who shares an address, an email domain or an organization: found through their indexes.
    email_filters = [Q(address__in=sorted(addresses))] if addresses else []
    email_filters += [Q(address__endswith=f"@{domain}") for domain in sorted(domains)]
    email_rows: list[tuple[str, int]] = []
    pool_filters: list[Q] = []
    if email_filters:
        matching = Email.objects.for_owner(owner).filter(reduce(or_, email_filters))
        email_rows = list(matching.values_list("address", "person_id"))
        pool_filters.append(Q(pk__in=matching.values("person_id")))
    if organizations:
        orgs = Organization.objects.for_owner(owner).filter(reduce(or_, (Q(name__iexact=o) for o in organizations)))
        # As ids too, so that the database looks people up by id rather than reading them all.
        pool_filters.append(Q(pk__in=people.filter(organization__in=orgs).values("pk")))
    # Plain tuples: a big organization or email domain can bring thousands of people to compare.
    pool: list[tuple[int, str, str | None]] = []
    if pool_filters:
        pool = list(people.filter(reduce(or_, pool_filters)).values_list("pk", "full_name", "organization__name"))
    # Who has a name of the same shape: a scan of the (owner, full_name) index, apart from the
    # query above so that the scan reads only the index, never the table.
    same_shape: list[tuple[int, str]] = []
    if patterns:
        same_shape = list(people.filter(reduce(or_, _same_shape(patterns))).values_list("pk", "full_name"))

    matcher = _Matcher(pool, same_shape, email_rows)
    found = [matcher.match(w) for w in wanted]
    matched = {pk for matches in found for pk, _kind, _reason in matches}
    by_pk = people.select_related("organization").in_bulk(matched) if matched else {}
    return [
        sorted(
            (Candidate(by_pk[pk], kind, reason) for pk, kind, reason in matches if pk in by_pk),
            key=lambda c: (_RANK[c.kind], c.person.full_name, c.person.pk),
        )
        for matches in found
    ]


class _Matcher:
    """Matches each wanted person against the people the queries narrowed down."""

    def __init__(
        self,
        pool: list[tuple[int, str, str | None]],
        same_shape: list[tuple[int, str]],
        email_rows: list[tuple[str, int]],
    ) -> None:
        self.folded = {pk: fold_name(name) for pk, name in [*((pk, name) for pk, name, _org in pool), *same_shape]}
        self.organization = {pk: org for pk, _name, org in pool if org}
        self.by_address = {address: pk for address, pk in email_rows if pk in self.folded}
        self.by_domain: dict[str, list[int]] = defaultdict(list)
        for address, pk in sorted(self.by_address.items()):
            self.by_domain[email_domain(address)].append(pk)
        self.by_organization: dict[str, list[int]] = defaultdict(list)
        for pk, organization in self.organization.items():
            self.by_organization[clean_name(organization).lower()].append(pk)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for pk, folded in self.folded.items():
            self.by_name[folded].append(pk)

    def match(self, wanted: Wanted) -> list[tuple[int, Kind, str]]:
        found: dict[int, tuple[int, Kind, str]] = {}
        for raw in wanted.emails:
            address = email_key(raw)
            pk = self.by_address.get(address)
            if pk is not None and pk not in found:
                found[pk] = (pk, "email", f"same email {address}")
        folded = fold_name(wanted.name)
        if not folded:
            return list(found.values())
        organization = clean_name(wanted.organization).lower()
        if organization:
            for pk in self._close(folded, self.by_organization.get(organization, [])):
                how = "same name" if folded == self.folded[pk] else "close name"
                found.setdefault(pk, (pk, "organization", f"{how}, also at {self.organization[pk]}"))
        for domain in sorted({email_domain(email_key(a)) for a in wanted.emails if "@" in a}):
            if is_free_mail(domain):
                continue
            for pk in self._close(folded, self.by_domain.get(domain, [])):
                how = "same name" if folded == self.folded[pk] else "close name"
                found.setdefault(pk, (pk, "domain", f"{how}, same email domain {domain}"))
        for pk in self.by_name.get(folded, []):
            found.setdefault(pk, (pk, "name", "same name"))
        return list(found.values())

    def _close(self, folded: str, pks: list[int]) -> list[int]:
        """The people among ``pks`` whose name is close to ``folded``, compared in rapidfuzz's C
        code, as an organization or a domain can hold thousands."""
        names = {pk: self.folded[pk] for pk in pks}
        close = {
            pk
            for _name, _score, pk in process.extract(
                folded, names, scorer=fuzz.token_sort_ratio, score_cutoff=CLOSE_NAME_SCORE, limit=None
            )
        }
        # One name with a middle name the other lacks: every word of the shorter is in the longer.
        if len(folded.split()) >= 2:
            subsets = process.extract(folded, names, scorer=fuzz.token_set_ratio, score_cutoff=100, limit=None)
            close |= {pk for _name, _score, pk in subsets if is_close_name(folded, names[pk])}
        return sorted(close)


# --- checking a pasted list ------------------------------------------------------------------

Status = Literal["new", "in_network", "duplicate", "repeat"]


@dataclass(frozen=True)
class PasteRow:
    index: int  # the row's place in the preview: what its checkbox sends
    entry: Entry
    status: Status
    candidates: tuple[Candidate, ...] = ()
    repeats_line: int | None = None

    @property
    def is_addable(self) -> bool:
        return self.status in ("new", "duplicate")


@dataclass(frozen=True)
class PastePreview:
    rows: list[PasteRow]
    unreadable: list[Unreadable]

    @property
    def addable(self) -> list[PasteRow]:
        return [row for row in self.rows if row.is_addable]

    @property
    def counts(self) -> dict[str, int]:
        """How many rows have each status."""
        found = dict.fromkeys(("new", "in_network", "duplicate", "repeat"), 0)
        for row in self.rows:
            found[row.status] += 1
        return found

    @property
    def fingerprint(self) -> str:
        """Changes when what the preview showed changes, so a confirmation of an out-of-date
        preview (or the same one sent twice) is caught."""
        digest = hashlib.sha256()
        for row in self.rows:
            ids = ",".join(str(c.person.pk) for c in row.candidates)
            digest.update(f"{row.index}|{row.entry}|{row.status}|{ids}|{row.repeats_line}\n".encode())
        return digest.hexdigest()[:32]


def _valid_lines(entries: list[Entry], unreadable: list[Unreadable]) -> list[Entry]:
    """Drop the lines with an address that is not one (``lib.emails``), whole, as the parser does."""
    bad: dict[int, str] = {}
    for entry in entries:
        if entry.email and entry.line not in bad:
            try:
                normalize_email(entry.email)
            except EmailError:
                bad[entry.line] = entry.email
    for line, address in bad.items():
        unreadable.append(Unreadable(line=line, text=address, problem=f"{address!r} is not an email address"))
    unreadable.sort(key=lambda u: u.line)
    return [entry for entry in entries if entry.line not in bad]


def preview_paste(owner: User, text: str) -> PastePreview:
    """What adding the people in ``text`` would do: who is new, who is already in the network
    (the same email: not addable), who may be a duplicate, and which lines cannot be read."""
    pasted = parse_pasted(text)
    unreadable = list(pasted.unreadable)
    entries = _valid_lines(pasted.entries, unreadable)
    matches = likely_duplicates_batch(owner, [Wanted(e.name, (e.email,) if e.email else ()) for e in entries])
    seen: dict[str, int] = {}  # an email, or a name pasted without one: the line it was first on
    rows = []
    for index, (entry, candidates) in enumerate(zip(entries, matches, strict=True)):
        key = entry.email or f"name:{fold_name(entry.name)}"
        if key in seen:
            rows.append(PasteRow(index, entry, "repeat", repeats_line=seen[key]))
            continue
        seen[key] = entry.line
        same_email = tuple(c for c in candidates if c.is_same_email)
        if same_email:
            rows.append(PasteRow(index, entry, "in_network", same_email))
        else:
            rows.append(PasteRow(index, entry, "duplicate" if candidates else "new", tuple(candidates)))
    return PastePreview(rows=rows, unreadable=unreadable)
