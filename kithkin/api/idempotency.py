"""Idempotency keys on creating requests (the IETF draft's ``Idempotency-Key`` header).

A POST sent again with the same key and the same request gets the first answer again (marked
``Idempotent-Replayed: true``) and changes nothing; the same key with a different request is
refused (422); a key whose first request is still running is refused (409). Keys are kept 24
hours per account, in Django's cache.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException

from kithkin.api.auth import access_of
from kithkin.api.problems import problem

HEADER = "Idempotency-Key"
KEEP_SECONDS = 24 * 3600
MAX_KEY = 255


class Replay:
    """A first answer kept to be given again."""

    def __init__(self, fingerprint: str, result: Any) -> None:
        self.fingerprint = fingerprint
        self.result = result


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    try:
        digest.update(request.body)
    except RawPostDataException:  # a multipart upload already read as files
        for name, values in sorted(request.POST.lists()):
            digest.update(f"{name}={values}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    return digest.hexdigest()


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Give a POST with an ``Idempotency-Key`` its first answer again (an API-wide decorator,
    applied after the token is checked: keys are per account)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return view(request, *args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY:
            return problem(422, "Invalid request", f"{HEADER}: 1 to {MAX_KEY} characters", field=HEADER)
        owner_id = access_of(request).user.pk
        name = f"kithkin_api_idempotency_{owner_id}_{hashlib.sha256(key.encode()).hexdigest()}"
        fingerprint = _fingerprint(request)
        if not cache.add(name, "running", timeout=KEEP_SECONDS):
            kept = cache.get(name)
            if isinstance(kept, Replay):
                if kept.fingerprint != fingerprint:
                    return problem(
                        422,
                        "Idempotency key reused",
                        f"{HEADER} {key!r} was used for a different request; use a new key",
                        field=HEADER,
                    )
                return _replayed(request, kept.result)
            return problem(409, "Request in progress", f"the first request with {HEADER} {key!r} is still running")
        try:
            result = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(name)  # refused or failed: nothing was done, the key may be used again
            raise
        if isinstance(result, HttpResponse) and result.status_code >= 400:
            cache.delete(name)
        else:
            cache.set(name, Replay(fingerprint, result), timeout=KEEP_SECONDS)
        return result

    return wrapper


REPLAYED = "_kithkin_replayed"


def _replayed(request: HttpRequest, result: Any) -> Any:
    """The kept result, marked on the request: ``main.finish`` adds the header to the answer."""
    setattr(request, REPLAYED, True)
    return result
