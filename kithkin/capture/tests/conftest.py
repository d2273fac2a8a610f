"""A real CardDAV server for the address book tests: Radicale on 127.0.0.1 (``dav_server``), with
an address book made and filled through the same HTTP client the sync uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from caldav.davclient import DAVClient

from kithkin.testing import DavServer, dav_server

FIXTURES = Path(__file__).parent / "fixtures"
MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <d:set><d:prop>
    <d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>
    <d:displayname>{name}</d:displayname>
  </d:prop></d:set>
</d:mkcol>"""


@dataclass
class Served:
    """An address book on a running Radicale: ``url`` is its address; ``put`` and ``delete``
    change its cards as another program (a phone, Nextcloud's web page) would."""

    server: DavServer
    client: DAVClient
    url: str

    def make_book(self, slug: str, name: str) -> str:
        url = f"{self.server.principal_url()}{slug}/"
        response = self.client.mkcol(url, MKCOL.format(name=name))
        assert response.status == 201, response.status
        return url

    def put(self, name: str, card: str | bytes, *, book: str | None = None) -> None:
        body = card.decode("utf-8") if isinstance(card, bytes) else card
        response = self.client.put(f"{book or self.url}{name}.vcf", body, {"Content-Type": "text/vcard; charset=utf-8"})
        assert response.status in {201, 204}, (response.status, response.raw)

    def delete(self, name: str) -> None:
        assert self.client.delete(f"{self.url}{name}.vcf").status in {200, 204}


@pytest.fixture
def carddav(tmp_path: Path) -> Iterator[Served]:
    """Radicale with one empty address book, "Contacts", for the account ana."""
    with dav_server(tmp_path) as server:
        client = DAVClient(server.url, username=server.username, password=server.password, enable_rfc6764=False)
        served = Served(server, client, "")
        served.url = served.make_book("contacts", "Contacts")
        try:
            yield served
        finally:
            client.close()


def card(name: str, *, email: str = "", tel: str = "", org: str = "", uid: str = "") -> str:
    """A vCard 3.0 as an address book app writes one."""
    given, _, family = name.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid or name.lower().replace(' ', '-')}", f"FN:{name}"]
    lines.append(f"N:{family};{given};;;")
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    if tel:
        lines.append(f"TEL;TYPE=CELL:{tel}")
    if org:
        lines.append(f"ORG:{org}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
