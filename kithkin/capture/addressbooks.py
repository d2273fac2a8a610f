"""Address books over CardDAV (RFC 6352): Nextcloud, Fastmail, iCloud, Radicale, with the user's
own account.

Adding one signs in and finds the address book from whatever address the user has: the server's,
the account's (its principal), or the address book's own (current-user-principal, then
addressbook-home-set, then the collections that are address books). Only the password is kept,
sealed (``capture.secrets``).

A sync lists each card's address and ETag, fetches only the cards that are new or changed since
the last sync (addressbook-multiget, in batches), and hands them to the same importer and matcher
as a vCard file (``imports.services.import_file``): a card with the email of someone in the
network updates them instead of adding them twice. The import is listed as the address book's
sync, and can be undone like any other. A card deleted on the server deletes nobody here: it is
only forgotten. The first sync is shown to the user before anything goes in
(``preview_address_book``, then ``confirm_address_book``); later ones go in quietly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit
from xml.sax.saxutils import escape

from caldav.davclient import DAVClient
from caldav.lib import error as dav_error
from caldav.lib.http_sync import requests
from django.contrib.auth.models import User
from lxml import etree

from kithkin.capture.models import Source
from kithkin.capture.secrets import SecretLost, seal, unseal
from kithkin.capture.services import BUSY, Synced, alone, get_source, list_sources, remove_source
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import require_owned
from kithkin.imports.models import Import
from kithkin.imports.plan import Plan
from kithkin.imports.services import import_file, preview_import
from kithkin.lib.hosts import is_loopback

KIND = Source.Kind.CARDDAV
# Cards asked for in one addressbook-multiget: a few hundred kilobytes of vCards at most.
BATCH = 100
# Seconds a server may take to answer one request before the sync gives up on it.
TIMEOUT = 30
DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
# Address books a server makes by itself rather than the user: Nextcloud's "Recently contacted"
# (every address the user ever wrote to) and its list of the server's own users.
GENERATED = ("z-app-generated--", "z-server-generated--")
WAITING = "waiting for you to look at its first sync before anything goes in"

_PROPFIND_ACCOUNT = f"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="{DAV}" xmlns:card="{CARDDAV}">
  <d:prop><d:resourcetype/><d:displayname/><d:current-user-principal/><card:addressbook-home-set/></d:prop>
</d:propfind>"""
_PROPFIND_BOOKS = f"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="{DAV}"><d:prop><d:resourcetype/><d:displayname/></d:prop></d:propfind>"""
_PROPFIND_CARDS = f"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="{DAV}"><d:prop><d:resourcetype/><d:getetag/></d:prop></d:propfind>"""


class Failed(Exception):
    """A server that cannot be used now, in words for the user ("the server refused …"); ``field``
    is what the user would change to fix it, when adding the address book."""

    def __init__(self, message: str, field: str = "url") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Book:
    url: str
    name: str


@dataclass
class Card:
    href: str
    etag: str
    text: str


# --- the account's own services --------------------------------------------------------------------


def list_address_books(owner: User) -> list[Source]:
    return list_sources(owner, KIND)


def get_address_book(owner: User, pk: int) -> Source:
    return get_source(owner, pk, (KIND,))


def remove_address_book(owner: User, pk: int) -> Source:
    """Forget an address book and its password; the people its syncs brought in stay."""
    return remove_source(owner, pk, (KIND,))


def add_address_book(owner: User, url: str, *, username: str, password: str, now: datetime | None = None) -> Source:
    """Sign in to a CardDAV account and connect its address book. ``url`` may be the server's
    address, the account's or the address book's. Nothing is imported yet: the first sync is
    previewed (``preview_address_book``) and confirmed (``confirm_address_book``)."""
    url = _checked_url(url)
    username = username.strip()
    if not username:
        raise BadInput("username", "give the user name you sign in to the address book with")
    if not password:
        raise BadInput("password", "give the password (an app password, where the service offers them)")
    try:
        with _client(url, username, password) as client:
            book = _find_book(client, url)
    except Failed as exc:
        raise BadInput(exc.field, exc.message) from None
    _checked_url(book.url)  # the server may name another host for it: the same rules hold there
    known = Source.objects.for_owner(owner).filter(kind=KIND, url=book.url, username=username).first()
    if known is not None:
        raise BadInput("url", f"this address book is already connected, as “{known.name}” (#{known.pk})")
    where = urlsplit(book.url)
    return Source.objects.create(
        owner=owner,
        kind=KIND,
        name=f"{book.name} on {_host(url)}"[:300],
        host=where.hostname or "",
        port=where.port or (443 if where.scheme == "https" else 80),
        security=Source.Security.TLS if where.scheme == "https" else Source.Security.PLAIN,
        username=username,
        url=book.url,
        secret=seal(password),
        created_at=now or clock.now(),
    )


def preview_address_book(owner: User, source: Source) -> Plan:
    """What importing every card of the address book would do, changing nothing: the preview of
    its first sync. Raises Failed (kept on the source as its last error) when the server cannot
    be read."""
    _require_mine(owner, source)
    try:
        _listing, cards = _read(source, everything=True)
        if not cards:
            return Plan("vcard", "address book", source.name, "")
        return preview_import(owner, "vcard", _vcards(cards), source.name)
    except Failed as exc:
        _fail(source, exc.message)
        raise
    except BadInput as exc:  # the importer refused what the server sent as cards
        _fail(source, exc.message)
        raise Failed(exc.message) from None


def confirm_address_book(owner: User, source: Source, *, now: datetime | None = None) -> Synced:
    """Import every card of the address book (its first sync, once the user has seen the
    preview); from then on its syncs go in quietly."""
    _require_mine(owner, source)
    with alone(source) as only:
        if not only:
            return Synced(source, error=f"{source.name}: {BUSY}")
        return _sync(owner, source, now=now or clock.now(), everything=True)


def sync_source(owner: User, source: Source, *, now: datetime) -> Synced:
    """Bring in the cards that are new or changed since the last sync. An address book whose
    first sync the user has not yet seen imports nothing: it says it is waiting (as ``error``,
    without marking the account as failing)."""
    _require_mine(owner, source)
    if not source.is_confirmed:
        return Synced(source, error=f"{source.name}: {WAITING}")
    return _sync(owner, source, now=now, everything=False)


def _require_mine(owner: User, source: Source) -> None:
    require_owned(owner, source, field="ID", message=f"no connected account of yours has id {source.pk}")


# --- syncing -------------------------------------------------------------------------------------


def _sync(owner: User, source: Source, *, now: datetime, everything: bool) -> Synced:
    """Import the cards new or changed (all of them for the first sync, ``everything``), with
    the last state read again: a sync that held the lock a moment ago may have moved it on."""
    try:
        source.refresh_from_db()
    except Source.DoesNotExist:  # removed while another sync held the lock
        return Synced(source, error=f"{source.name}: it was removed")
    if everything and source.is_confirmed:
        everything = False  # confirmed meanwhile, by the sync that held the lock
    return _sync_now(owner, source, now=now, everything=everything)


def _sync_now(owner: User, source: Source, *, now: datetime, everything: bool) -> Synced:
    try:
        listing, cards = _read(source, everything=everything)
        result = (
            import_file(owner, "vcard", _vcards(cards), source.name, now=now, recorded_as=Import.Format.ADDRESS_BOOK)
            if cards
            else None
        )
    except Failed as exc:
        return _fail(source, exc.message)
    except BadInput as exc:  # the importer refused what the server sent as cards
        return _fail(source, exc.message)
    # Each card as it was imported; a card that changed but could not be fetched is left out,
    # so that the next sync asks for it again. Deleted cards are forgotten, nobody is deleted.
    fetched = {card.href: card.etag for card in cards}
    known = {} if everything else source.state
    source.state = {
        href: fetched.get(href) or etag for href, etag in listing.items() if href in fetched or known.get(href) == etag
    }
    source.is_confirmed = True
    source.last_synced_at = now
    source.last_error = ""
    source.save(update_fields=["state", "is_confirmed", "last_synced_at", "last_error"])
    counts = {"cards_read": len(cards)}
    if result is not None and result.import_id is not None:
        counts.update(people_created=result.created, people_updated=result.updated, skipped=len(result.plan.skipped))
    return Synced(source, result.import_id if result else None, counts)


def _fail(source: Source, why: str) -> Synced:
    message = f"{source.name}: {why}"[:500]
    source.last_error = message
    source.save(update_fields=["last_error"])
    return Synced(source, error=message)


def _read(source: Source, *, everything: bool) -> tuple[dict[str, str], list[Card]]:
    """Every card's ETag by address, and the cards new or changed since the last sync (all of
    them when ``everything``)."""
    try:
        password = unseal(source.secret)
    except SecretLost as exc:
        raise Failed(f"{exc} (remove the address book and add it again)") from None
    with _client(source.url, source.username, password) as client:
        listing = _list_cards(client, source.url)
        known = {} if everything else source.state
        wanted = [href for href, etag in sorted(listing.items()) if known.get(href) != etag]
        cards: list[Card] = []
        for start in range(0, len(wanted), BATCH):
            cards += _fetch_cards(client, source.url, wanted[start : start + BATCH])
    return listing, cards


def _vcards(cards: list[Card]) -> bytes:
    """The cards as one vCard file, as the importer reads them."""
    return "\r\n".join(card.text.strip() for card in cards).encode("utf-8") + b"\r\n"


# --- talking to the server -----------------------------------------------------------------------


def _checked_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise BadInput("url", "give the address of the address book, or of the server")
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks it)
    except ValueError:
        raise BadInput("url", f"{url} is not a web address") from None
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise BadInput("url", f"{url} is not a web address (https://…)")
    if parts.username or parts.password:
        raise BadInput("url", "leave the user name and password out of the address: give them on their own")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise BadInput("url", "use https: plain http is only for a server on this machine (localhost)")
    return url if parts.path else url + "/"


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc.rsplit("@", 1)[-1]


@contextmanager
def _client(url: str, username: str, password: str) -> Iterator[DAVClient]:
    """A CardDAV session (the caldav library's DAVClient: it signs in as the server asks, basic
    or digest), with the ways it fails told in one line."""
    client = DAVClient(url, username=username, password=password, timeout=TIMEOUT, enable_rfc6764=False)
    host = _host(url)
    try:
        yield client
    except dav_error.AuthorizationError as exc:
        if getattr(exc, "status", 401) == 403:
            raise Failed(f"{host} refused access to the address book (403 Forbidden)", "username") from None
        raise Failed(f"{host} refused this user name and password", "password") from None
    except requests.exceptions.Timeout:
        raise Failed(f"{host} did not answer within {TIMEOUT} seconds") from None
    except requests.exceptions.SSLError:
        raise Failed(f"could not reach {host} safely: its certificate is not valid") from None
    except requests.exceptions.RequestException as exc:
        raise Failed(f"could not reach {host} ({_why(exc)})") from None
    except (dav_error.DAVError, etree.LxmlError):
        raise Failed(f"{host} does not answer as a CardDAV server does") from None
    finally:
        client.close()


def _why(exc: Exception) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "resolve" in text or "name or service" in text or "nodename" in text:
        return "no such host"
    return "the connection failed"


def _ask(client: DAVClient, method: str, url: str, body: str, depth: int) -> etree._Element:
    """A PROPFIND or REPORT's multistatus answer, or Failed saying what the server answered."""
    if method == "PROPFIND":
        response = client.propfind(url, body, depth=depth)
    else:
        response = client.report(url, body, depth=depth)
    if response.status not in {200, 207} or response.tree is None:
        raise Failed(
            f"{_host(url)} answered {response.status} {response.reason or ''} for {urlsplit(url).path}".strip()
        )
    tree: etree._Element = response.tree
    return tree


def _responses(tree: etree._Element) -> Iterator[tuple[str, dict[str, etree._Element]]]:
    """Each resource of a multistatus answer: its address as the server wrote it, and the
    properties it found (those it did not are left out)."""
    for response in tree.iter(f"{{{DAV}}}response"):
        href = response.findtext(f"{{{DAV}}}href") or ""
        found: dict[str, etree._Element] = {}
        for propstat in response.iter(f"{{{DAV}}}propstat"):
            status = propstat.findtext(f"{{{DAV}}}status") or ""
            if " 200" not in status:
                continue
            for prop in propstat.iter(f"{{{DAV}}}prop"):
                for child in prop:
                    found[str(child.tag)] = child
        if href:
            yield href.strip(), found


def _is_book(props: dict[str, etree._Element]) -> bool:
    kinds = props.get(f"{{{DAV}}}resourcetype")
    return kinds is not None and kinds.find(f"{{{CARDDAV}}}addressbook") is not None


def _href_in(props: dict[str, etree._Element], name: str) -> str | None:
    prop = props.get(name)
    if prop is None:
        return None
    return (prop.findtext(f"{{{DAV}}}href") or "").strip() or None


def _text(props: dict[str, etree._Element], name: str) -> str:
    prop = props.get(name)
    return (prop.text or "").strip() if prop is not None else ""


def _path(href: str) -> str:
    """An address as a path, whether the server wrote it whole or as a path, escaped or not."""
    return unquote(urlsplit(href).path).rstrip("/")


def _find_book(client: DAVClient, url: str) -> Book:
    """The address book ``url`` leads to (RFC 6352 section 7: the principal's home set, then the
    address books in it), or Failed naming them when it leads to several."""
    props = _props_of(client, url)
    if props is None or (not _is_book(props) and not _href_in(props, f"{{{DAV}}}current-user-principal")):
        # A server's address with nothing to say about the account: ask where CardDAV lives.
        well_known = urljoin(url, "/.well-known/carddav")
        props = _props_of(client, well_known) or props
    if props is None:
        raise Failed(f"found no address book at {url}")
    if _is_book(props):
        return Book(url, _book_name(props, url))
    home = _href_in(props, f"{{{CARDDAV}}}addressbook-home-set")
    principal = _href_in(props, f"{{{DAV}}}current-user-principal")
    if home is None and principal is not None:
        home = _href_in(_props_of(client, urljoin(url, principal)) or {}, f"{{{CARDDAV}}}addressbook-home-set")
    books = _books_in(client, urljoin(url, home or url))
    mine = [book for book in books if not urlsplit(book.url).path.rstrip("/").rsplit("/", 1)[-1].startswith(GENERATED)]
    if not mine:
        raise Failed(f"found no address book at {url}")
    if len(mine) > 1:
        named = ", ".join(f"{book.name} ({book.url})" for book in mine)
        raise Failed(f"this account has {len(mine)} address books: {named}; give the address of the one to connect")
    return mine[0]


def _props_of(client: DAVClient, url: str) -> dict[str, etree._Element] | None:
    """What the server says of ``url`` itself, or None when it has nothing there."""
    response = client.propfind(url, _PROPFIND_ACCOUNT, depth=0)
    if response.status not in {200, 207} or response.tree is None:
        return None
    for _href, props in _responses(response.tree):
        return props
    return None


def _books_in(client: DAVClient, home: str) -> list[Book]:
    tree = _ask(client, "PROPFIND", home, _PROPFIND_BOOKS, 1)
    return [Book(urljoin(home, href), _book_name(props, href)) for href, props in _responses(tree) if _is_book(props)]


def _book_name(props: dict[str, etree._Element], url: str) -> str:
    name = (
        _text(props, f"{{{DAV}}}displayname")
        or unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
        or "Contacts"
    )
    # The name is the import's: a slash would read as a folder in its history line.
    return " ".join(name.replace("/", "-").split())[:200]


def _list_cards(client: DAVClient, book: str) -> dict[str, str]:
    """Every card in the address book: its ETag by its address."""
    tree = _ask(client, "PROPFIND", book, _PROPFIND_CARDS, 1)
    cards: dict[str, str] = {}
    for href, props in _responses(tree):
        kinds = props.get(f"{{{DAV}}}resourcetype")
        if _path(href) == _path(book) or (kinds is not None and len(kinds)):
            continue  # the address book itself, or a collection inside it
        cards[href] = _text(props, f"{{{DAV}}}getetag")
    return cards


def _fetch_cards(client: DAVClient, book: str, hrefs: list[str]) -> list[Card]:
    """The cards at ``hrefs``, in one addressbook-multiget; one deleted meanwhile is left out."""
    body = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<card:addressbook-multiget xmlns:d="{DAV}" xmlns:card="{CARDDAV}">'
        "<d:prop><d:getetag/><card:address-data/></d:prop>"
        + "".join(f"<d:href>{escape(href)}</d:href>" for href in hrefs)
        + "</card:addressbook-multiget>"
    )
    tree = _ask(client, "REPORT", book, body, 0)
    # Each card under the address it was asked by, however the server spells it in the answer.
    asked = {_path(href): href for href in hrefs}
    cards = []
    for href, props in _responses(tree):
        data = props.get(f"{{{CARDDAV}}}address-data")
        if data is not None and data.text and _path(href) in asked:
            cards.append(Card(asked[_path(href)], _text(props, f"{{{DAV}}}getetag"), data.text))
    return cards
