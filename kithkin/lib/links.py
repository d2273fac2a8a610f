"""Telling what kind of link a URL is, and the one form a person's link is kept in.

A profile is written many ways: ``https://www.linkedin.com/in/alex-johnson/``,
``linkedin.com/in/alex-johnson`` and ``http://de.linkedin.com/in/Alex-Johnson?trk=...`` are one
profile. ``canonical_link`` gives each the same text, which is what is stored, compared by the
importer and grouped by ``kithkin duplicates`` (through ``link_key``).
"""

from __future__ import annotations

from urllib.parse import SplitResult, quote, unquote, urlsplit

# The kinds of link that name one person: the same one on two people says they are one.
PROFILE_KINDS = frozenset({"linkedin", "github", "x", "mastodon"})

# The host each profile site is written with, whatever host the link had ("de.linkedin.com",
# "mobile.twitter.com").
_PROFILE_HOSTS = {"linkedin": "www.linkedin.com", "github": "github.com", "x": "x.com"}
# LinkedIn paths whose first two segments are the profile ("/in/alex-johnson/details/experience").
_LINKEDIN_PROFILES = frozenset({"in", "company", "school", "showcase"})
# Characters a path keeps as they are when written back (besides letters and digits).
_PATH_SAFE = "/@:~!$&'()*+,;=-._"


def _split(raw: str) -> SplitResult:
    text = raw.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or "." not in parts.netloc:
        raise ValueError(f"{raw!r} is not a web address")
    return parts


def normalize_url(raw: str) -> str:
    """A web address as typed, tidied: a scheme (https when none), the host in lower case, no
    fragment, no trailing slash. For any link (a shared article keeps its query)."""
    parts = _split(raw)
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def canonical_link(raw: str) -> str:
    """The one form of a person's link. A profile (LinkedIn, GitHub, X, Mastodon) is https, on
    the site's own host (no country subdomain: "de.linkedin.com" is "www.linkedin.com"), with
    no query, fragment or trailing slash, its path decoded and in lower case (handles ignore
    case). Any other link is ``normalize_url``'s. Raises ValueError for what is not a web address."""
    parts = _split(raw)
    netloc = parts.netloc.lower()
    path = parts.path.rstrip("/")
    kind = _kind(_host(netloc), path)
    if kind not in PROFILE_KINDS:
        return f"{parts.scheme.lower()}://{netloc}{path}" + (f"?{parts.query}" if parts.query else "")
    host = _PROFILE_HOSTS.get(kind, _host(netloc))
    if "%" in path or not path.isascii():
        segments = [unquote(segment).lower() for segment in path.split("/") if segment]
    else:
        segments = [segment for segment in path.lower().split("/") if segment]
    if kind == "linkedin" and len(segments) >= 2 and segments[0] in _LINKEDIN_PROFILES:
        segments = segments[:2]
    joined = "/".join(segments)
    if not joined.isascii() or "%" in joined:
        joined = quote(joined, safe=_PATH_SAFE)
    return f"https://{host}/{joined}" if joined else f"https://{host}"


def link_key(url: str) -> str:
    """A link as ``kithkin duplicates`` compares and shows it: its canonical form without the
    scheme or "www.", in lower case ("linkedin.com/in/alex-johnson")."""
    try:
        url = canonical_link(url)
    except ValueError:
        return url.strip().lower()
    return url.split("://", 1)[-1].removeprefix("www.").lower()


def link_kind(url: str) -> str:
    parts = urlsplit(url if "://" in url else "https://" + url.strip())
    return _kind(_host(parts.netloc.lower()), parts.path)


def _host(netloc: str) -> str:
    """The host of a lower-case netloc, without user, port or "www."."""
    return netloc.rsplit("@", 1)[-1].split(":", 1)[0].removeprefix("www.")


def _kind(host: str, path: str) -> str:
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        return "linkedin"
    if host == "github.com":
        return "github"
    if host in {"x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"}:
        return "x"
    if host.startswith("mastodon.") or path.startswith("/@"):
        return "mastodon"
    return "website"
