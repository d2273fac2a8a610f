"""Telling what kind of link a URL is."""

from __future__ import annotations

from urllib.parse import urlsplit


def normalize_url(raw: str) -> str:
    text = raw.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or "." not in parts.netloc:
        raise ValueError(f"{raw!r} is not a web address")
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def link_kind(url: str) -> str:
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    if host.endswith("linkedin.com"):
        return "linkedin"
    if host == "github.com":
        return "github"
    if host in {"x.com", "twitter.com"}:
        return "x"
    if host.startswith("mastodon.") or "/@" in url:
        return "mastodon"
    return "website"
