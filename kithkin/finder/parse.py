"""Reading a question about the network in plain words ("who do I know in fintech in Berlin who
could advise on hiring") into the concepts ``ask`` searches for. Pure functions: what they need of
the user's data (their organizations, the places their people live) comes in as ``Known``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kithkin.core.choices import Circle, Closeness
from kithkin.finder.vocabulary import Vocabulary, built_in, key, words

# Where each kind of concept is looked for, and how much a match in each field counts.
Fields = tuple[tuple[str, float], ...]
FIELDS_OF: dict[str, Fields] = {
    "need": (("needs", 1.0), ("notes", 0.3)),
    "offer": (("offers", 1.0), ("work", 0.5), ("interests", 0.5), ("notes", 0.4)),
    "interest": (("interests", 1.0), ("offers", 0.5), ("notes", 0.4), ("work", 0.3)),
    "role": (("work", 1.0), ("offers", 0.4), ("notes", 0.3)),
    "industry": (("work", 1.0), ("interests", 0.9), ("offers", 0.6), ("needs", 0.5), ("notes", 0.4)),
    "topic": (("interests", 1.0), ("offers", 0.9), ("needs", 0.9), ("work", 0.6), ("notes", 0.4)),
    "word": (
        ("name", 1.0),
        ("interests", 0.9),
        ("work", 0.9),
        ("place", 0.8),
        ("offers", 0.8),
        ("needs", 0.8),
        ("notes", 0.5),
    ),
    "place": (("place", 1.0),),
}

# Words that lead into what someone needs, offers or cares about, and words they imply.
MARKERS: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {
    **{
        key(p): ("need", ())
        for p in (
            "needs",
            "need",
            "needing",
            "looking for",
            "searching for",
            "seeking",
            "wants",
            "want",
            "wanting",
            "in need of",
        )
    },
    key("is hiring"): ("need", ("hiring",)),
    key("are hiring"): ("need", ("hiring",)),
    key("is raising"): ("need", ("fundraising",)),
    **{
        key(p): ("offer", ())
        for p in (
            "advise on",
            "advise me on",
            "advise about",
            "advise",
            "advice on",
            "advice about",
            "help with",
            "help me with",
            "help on",
            "help me",
            "help",
            "knows about",
            "know about",
            "expert in",
            "expert on",
            "expertise in",
            "experienced in",
            "experience in",
            "experience with",
            "offers",
            "offer",
            "can offer",
            "tips on",
            "good at",
            "teach me",
        )
    },
    key("mentor"): ("offer", ("mentoring",)),
    key("mentor me"): ("offer", ("mentoring",)),
    key("mentor me on"): ("offer", ("mentoring",)),
    key("review"): ("offer", ("review",)),
    **{
        key(p): ("interest", ())
        for p in (
            "interested in",
            "interest in",
            "into",
            "likes",
            "like",
            "loves",
            "love",
            "cares about",
            "care about",
            "passionate about",
            "enjoys",
            "fan of",
            "keen on",
        )
    },
}

CIRCLE_WORDS: dict[tuple[str, ...], str] = {
    **{key(w): Circle.FAMILY.value for w in ("family", "relative", "relatives")},
    **{key(w): Circle.FRIEND.value for w in ("friend", "friends", "mate", "buddies")},
    **{key(w): Circle.NEIGHBOR.value for w in ("neighbor", "neighbour", "neighbors", "neighbours")},
    **{key(w): Circle.COLLEAGUE.value for w in ("colleague", "coworker", "co worker", "teammate")},
    **{
        key(w): Circle.FORMER_COLLEAGUE.value
        for w in ("former colleague", "ex colleague", "old colleague", "former coworker", "ex coworker")
    },
    **{key(w): Circle.CLASSMATE.value for w in ("classmate", "alumni", "alumnus", "schoolmate", "went to school with")},
    **{key(w): Circle.CLIENT.value for w in ("client", "customer")},
    **{key(w): Circle.VENDOR.value for w in ("vendor", "supplier")},
    **{key(w): Circle.COMPETITOR.value for w in ("competitor",)},
    **{key(w): Circle.COMMITTEE.value for w in ("committee",)},
}
CLOSENESS_WORDS: dict[tuple[str, ...], tuple[str, ...]] = {
    key("close"): (Closeness.INNER.value, Closeness.CLOSE.value),
    key("closest"): (Closeness.INNER.value,),
    key("inner circle"): (Closeness.INNER.value,),
    key("best"): (Closeness.INNER.value,),
    key("acquaintance"): (Closeness.ACQUAINTANCE.value,),
    key("acquaintances"): (Closeness.ACQUAINTANCE.value,),
}

PAST = frozenset({"worked", "formerly", "former", "ex", "previously", "used", "past", "left", "was", "were"})
CURRENT = frozenset({"works", "currently", "now", "working", "is", "are"})
INTRODUCE = frozenset({"introduce", "intro", "introduction", "connect", "touch", "introduced"})
BOUNDARIES = frozenset({"who", "whom", "whose", "that", "which", "where"})
JOINS = frozenset({"and", "or", "but", "plus"})
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "me",
        "my",
        "mine",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "their",
        "it",
        "its",
        "this",
        "these",
        "those",
        "do",
        "does",
        "did",
        "done",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "have",
        "has",
        "had",
        "get",
        "got",
        "find",
        "show",
        "list",
        "give",
        "tell",
        "who",
        "whom",
        "whose",
        "what",
        "which",
        "where",
        "when",
        "why",
        "how",
        "that",
        "there",
        "here",
        "any",
        "some",
        "all",
        "anyone",
        "anybody",
        "someone",
        "somebody",
        "one",
        "ones",
        "people",
        "person",
        "persons",
        "contact",
        "contacts",
        "network",
        "folks",
        "guy",
        "guys",
        "know",
        "knows",
        "known",
        "knew",
        "could",
        "can",
        "would",
        "should",
        "might",
        "may",
        "will",
        "shall",
        "must",
        "in",
        "at",
        "on",
        "of",
        "for",
        "to",
        "with",
        "from",
        "by",
        "as",
        "about",
        "around",
        "near",
        "within",
        "into",
        "over",
        "than",
        "then",
        "also",
        "based",
        "living",
        "lives",
        "live",
        "located",
        "work",
        "works",
        "working",
        "worked",
        "currently",
        "now",
        "formerly",
        "former",
        "previously",
        "used",
        "ex",
        "past",
        "please",
        "just",
        "really",
        "very",
        "good",
        "great",
        "some",
        "kind",
        "sort",
    ]
)
# Words that say little in what someone needs or offers ("needs advice on fundraising").
FILLER = frozenset({"advice", "help", "guidance", "support", "tip", "info", "information", "someone", "thing"})


@dataclass(frozen=True)
class Concept:
    """One thing the question asks for. A person matches when, in one of ``fields``, each group of
    ``terms`` has one of its phrases; or, for an organization, a circle or a closeness, when their
    record says so (``organizations``, ``values``)."""

    kind: str
    said: str
    terms: tuple[frozenset[str], ...] = ()
    fields: Fields = ()
    organizations: tuple[int, ...] = ()
    # For an organization: True when the question asks who worked there before, False who works there now.
    past: bool | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    text: str
    concepts: tuple[Concept, ...]
    # "who could introduce me to X": X as said.
    introduce_to: str = ""


@dataclass(frozen=True)
class Known:
    """What the question is read against of the user's own data: each organization's key (its
    name's words, singular) with its ids and name, and the places their people live."""

    organizations: Mapping[tuple[str, ...], tuple[tuple[int, ...], str]] = field(default_factory=dict)
    places: frozenset[tuple[str, ...]] = frozenset()


@dataclass(frozen=True)
class _Piece:
    kind: str  # word, phrase, organization, place, circle, closeness, marker
    tokens: tuple[str, ...]
    start: int


def _introduction(tokens: list[str]) -> tuple[list[str], str]:
    """Split off "(who could) introduce me to X" / "an intro to X" / "put me in touch with X"."""
    for i, token in enumerate(tokens):
        if token not in INTRODUCE:
            continue
        for j in range(i + 1, min(i + 4, len(tokens))):
            if tokens[j] in ("to", "with") and j + 1 < len(tokens):
                return tokens[:i], " ".join(tokens[j + 1 :])
    return tokens, ""


def _match(phrase: tuple[str, ...], known: Known, vocabulary: Vocabulary) -> str | None:
    if phrase in known.organizations:
        return "organization"
    if phrase in CIRCLE_WORDS:
        return "circle"
    if phrase in CLOSENESS_WORDS:
        return "closeness"
    if phrase in MARKERS:
        return "marker"
    if phrase in vocabulary.places or phrase in known.places:
        return "place"
    if len(phrase) > 1 and (
        phrase in vocabulary.roles or phrase in vocabulary.industries or phrase in vocabulary.topics
    ):
        return "phrase"  # kept whole even where it holds a common word ("people ops")
    return None


def _pieces(tokens: Sequence[str], known: Known, vocabulary: Vocabulary) -> list[_Piece]:
    """The question cut into the longest phrases it knows, and single words between them."""
    keys = key(tuple(tokens))
    longest = max([vocabulary.longest(), *(len(k) for k in known.organizations), 4])
    pieces: list[_Piece] = []
    i = 0
    while i < len(keys):
        for length in range(min(longest, len(keys) - i), 0, -1):
            kind = _match(keys[i : i + length], known, vocabulary)
            if kind is not None:
                pieces.append(_Piece(kind, keys[i : i + length], i))
                i += length
                break
        else:
            pieces.append(_Piece("word", keys[i : i + 1], i))
            i += 1
    return pieces


def _groups(said: Sequence[str], vocabulary: Vocabulary) -> list[tuple[str, tuple[str, ...], frozenset[str]]]:
    """Longest known phrases first: each with the section it is from and what it stands for."""
    found: list[tuple[str, tuple[str, ...], frozenset[str]]] = []
    sections = (("role", vocabulary.roles), ("industry", vocabulary.industries), ("topic", vocabulary.topics))
    i = 0
    while i < len(said):
        for length in range(min(vocabulary.longest(), len(said) - i), 0, -1):
            phrase = tuple(said[i : i + length])
            hits = [(name, section[phrase]) for name, section in sections if phrase in section]
            if hits:
                found.append((hits[0][0], phrase, frozenset().union(*(terms for _, terms in hits))))
                i += length
                break
        else:
            found.append(("word", (said[i],), frozenset({said[i]})))
            i += 1
    return found


class _Reader:
    """Walks the pieces: markers open what someone needs, offers or likes, up to the next
    boundary; places, organizations and circles stand on their own; other words are loose."""

    def __init__(self, tokens: Sequence[str], known: Known, vocabulary: Vocabulary) -> None:
        self.tokens, self.known, self.vocabulary = tokens, known, vocabulary
        self.concepts: list[Concept] = []
        self.mode: str | None = None
        self.said: list[str] = []
        # What a marker says without more words ("who is hiring"), used when none follow.
        self.implied: tuple[str, ...] = ()
        self.loose: list[str] = []

    def read(self, pieces: Sequence[_Piece]) -> tuple[Concept, ...]:
        for piece in pieces:
            if piece.kind == "word":
                self.word(piece.tokens[0])
            elif piece.kind == "phrase":
                (self.said if self.mode else self.loose).extend(piece.tokens)
            elif piece.kind == "marker":
                self.flush()
                self.mode, self.implied = MARKERS[piece.tokens]
            else:
                self.flush()
                self.mode = None
                self.concepts.append(self.standalone(piece))
        self.flush()
        return tuple(dict.fromkeys(self.concepts))

    def word(self, word: str) -> None:
        if word in BOUNDARIES or (self.mode and self.said and word in ("in", "at")):
            # "who needs to hire in fintech": what follows "in" is said of the person, not the need.
            self.flush()
            self.mode = None
        elif word in JOINS:
            self.flush()
        elif word not in STOPWORDS:
            (self.said if self.mode else self.loose).append(word)

    def flush(self) -> None:
        said = [w for w in self.said if w not in FILLER] or self.said or list(self.implied)
        if self.mode and said:
            terms = tuple(group for _, _, group in _groups(said, self.vocabulary))
            self.concepts.append(Concept(self.mode, " ".join(said), terms, FIELDS_OF[self.mode]))
        self.said, self.implied = [], ()
        for kind, phrase, group in _groups(self.loose, self.vocabulary):
            self.concepts.append(Concept(kind, " ".join(phrase), (group,), FIELDS_OF[kind]))
        self.loose = []

    def standalone(self, piece: _Piece) -> Concept:
        said = " ".join(piece.tokens)
        if piece.kind == "organization":
            ids, name = self.known.organizations[piece.tokens]
            return Concept("organization", name, organizations=ids, past=self.tense(piece.start))
        if piece.kind == "circle":
            return Concept("circle", said, values=(CIRCLE_WORDS[piece.tokens],))
        if piece.kind == "closeness":
            return Concept("closeness", said, values=CLOSENESS_WORDS[piece.tokens])
        terms = self.vocabulary.places.get(piece.tokens, frozenset({said}))
        return Concept("place", said, (terms,), FIELDS_OF["place"])

    def tense(self, start: int) -> bool | None:
        before = set(self.tokens[max(0, start - 4) : start])
        if before & PAST:
            return True
        if before & CURRENT:
            return False
        return None


def parse(text: str, known: Known | None = None, vocabulary: Vocabulary | None = None) -> Question:
    """The concepts of a question, and whom it asks for a way to, if it does."""
    tokens, target = _introduction(list(words(text)))
    known = known or Known()
    vocabulary = vocabulary or built_in()
    if target:
        # Until a way to them is worked out, whoever offers it, or works where it leads, may help.
        tokens = [*tokens, "offers", *target.split()]
    pieces = _pieces(tokens, known, vocabulary)
    return Question(text, _Reader(tokens, known, vocabulary).read(pieces), target)


def organization_keys(organizations: Sequence[tuple[int, str]]) -> dict[tuple[str, ...], tuple[tuple[int, ...], str]]:
    """Each organization's key, with and without a legal suffix ("Stripe, Inc." is also "stripe")."""
    found: dict[tuple[str, ...], tuple[tuple[int, ...], str]] = {}
    for pk, name in organizations:
        name_key = key(name)
        if not name_key:
            continue
        keys = {name_key}
        if len(name_key) > 1 and name_key[-1] in LEGAL_SUFFIXES:
            keys.add(name_key[:-1])
        for k in keys:
            ids, first = found.get(k, ((), name))
            found[k] = ((*ids, pk), first)
    return found


LEGAL_SUFFIXES = frozenset({"inc", "ltd", "llc", "gmbh", "co", "corp", "sa", "ag", "plc", "bv", "limited", "srl"})


def place_keys(locations: Sequence[str]) -> frozenset[tuple[str, ...]]:
    """The places the user's people live, each part of "Berlin, Germany" on its own."""
    return frozenset(k for location in locations for part in location.split(",") if (k := key(part)))
