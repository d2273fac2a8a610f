"""Address books over CardDAV, against a real server (Radicale on 127.0.0.1): adding one from any
of its addresses, the first sync previewed then confirmed, later syncs bringing in only what
changed, through the same importer and matcher as vCard files."""

import logging
import socket

import pytest

from kithkin.capture import addressbooks, services
from kithkin.capture.models import Source
from kithkin.capture.secrets import seal, unseal
from kithkin.capture.services import sync_all
from kithkin.capture.tests.conftest import FIXTURES, card
from kithkin.core.errors import BadInput, NotFound
from kithkin.imports.models import Import
from kithkin.imports.services import list_imports, undo_import
from kithkin.people.models import Email, Person
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")
PASSWORD = "s3cret-app-password"
REAL = ["ezvcard__John_Doe_EVOLUTION", "ezvcard__issue114", "icaljs__escape_semicolon", "nodevcf__xing"]


def add(owner, served, url=None, **kwargs):
    return addressbooks.add_address_book(
        owner, url or served.url, username=served.server.username, password=PASSWORD, **kwargs
    )


def confirmed(owner, served):
    """An address book connected and its first sync imported."""
    source = add(owner, served)
    synced = addressbooks.confirm_address_book(owner, source, now=NOW)
    assert synced.error == ""
    return source


def names(owner):
    return sorted(Person.objects.for_owner(owner).values_list("full_name", flat=True))


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_address_book_is_found_from_the_servers_the_accounts_or_its_own_address(alice, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    found = set()
    for url in (carddav.server.url, carddav.server.principal_url(), carddav.url):
        source = add(alice, carddav, url)
        found.add((source.url, source.name))
        assert source.kind == Source.Kind.CARDDAV and not source.is_confirmed
        assert PASSWORD not in source.secret and unseal(source.secret) == PASSWORD
        source.delete()
    host = carddav.server.url.split("//")[1].rstrip("/")
    assert found == {(carddav.url, f"Contacts on {host}")}
    # Connecting reads nothing in.
    assert Person.objects.count() == 0 and Import.objects.count() == 0


def test_connecting_the_same_address_book_twice_is_refused(alice, carddav):
    first = add(alice, carddav)
    with pytest.raises(BadInput) as refused:
        add(alice, carddav, carddav.server.url)
    assert refused.value.field == "url" and f"#{first.pk}" in refused.value.message


def test_an_account_with_several_address_books_asks_which(alice, carddav):
    carddav.make_book("work", "Work")
    # Nextcloud's own "Recently contacted" book is never offered.
    carddav.make_book("z-app-generated--contactsinteraction--recent", "Recently contacted")
    with pytest.raises(BadInput) as refused:
        add(alice, carddav, carddav.server.url)
    message = refused.value.message
    assert refused.value.field == "url" and "2 address books" in message
    assert "Contacts (" in message and "Work (" in message and "Recently" not in message
    assert add(alice, carddav, carddav.server.url + "ana/work/").name.startswith("Work on ")


def test_a_wrong_password_or_a_server_that_does_not_answer_is_refused_in_one_line_naming_the_field(
    alice, carddav, caplog
):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BadInput) as refused:
        addressbooks.add_address_book(alice, carddav.url, username="ana", password="not-the-password")
    assert refused.value.field == "password" and "refused this user name and password" in refused.value.message
    assert "not-the-password" not in caplog.text
    with pytest.raises(BadInput) as refused:
        addressbooks.add_address_book(alice, f"http://127.0.0.1:{closed_port()}/", username="ana", password=PASSWORD)
    assert refused.value.field == "url" and "connection refused" in refused.value.message
    with pytest.raises(BadInput) as refused:
        addressbooks.add_address_book(alice, carddav.url, username=" ", password=PASSWORD)
    assert refused.value.field == "username"
    assert "\n" not in str(refused.value) and Source.objects.count() == 0


def test_plain_http_is_only_for_a_server_on_this_machine(alice):
    refusals = {
        "http://contacts.example.com/dav/": "use https: plain http is only for a server on this machine",
        "https://ana:pw@contacts.example.com/": "leave the user name and password out of the address",
        "ftp://contacts.example.com/": "is not a web address",
    }
    for url, why in refusals.items():
        with pytest.raises(BadInput) as refused:
            addressbooks.add_address_book(alice, url, username="ana", password=PASSWORD)
        assert refused.value.field == "url" and why in refused.value.message
    assert Source.objects.count() == 0


def test_the_first_sync_is_a_preview_that_changes_nothing_until_confirmed(alice, carddav):
    for name in REAL:
        carddav.put(name, (FIXTURES / f"{name}.vcf").read_bytes())
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example", org="Acme"))
    source = add(alice, carddav)

    plan = addressbooks.preview_address_book(alice, source)
    assert plan.counts()["new"] == 5
    assert {row.name for row in plan.people} >= {"Ana Ruiz", "First Last NextCloud", "Hans-Peter Mustermann"}
    # A scheduled sync of a book not yet confirmed waits: it imports nothing and is no failure.
    waiting = addressbooks.sync_source(alice, source, now=NOW)
    assert "waiting for you" in waiting.error and waiting.import_id is None
    source.refresh_from_db()
    assert Person.objects.count() == 0 and Import.objects.count() == 0
    assert source.state == {} and source.last_error == "" and not source.is_confirmed

    synced = addressbooks.confirm_address_book(alice, source, now=NOW)
    assert synced.error == "" and synced.counts["people_created"] == 5 and synced.counts["cards_read"] == 5
    run = Import.objects.get(pk=synced.import_id)
    assert run.format == Import.Format.ADDRESS_BOOK and run.filename == source.name
    assert run.counts["people_created"] == 5
    source.refresh_from_db()
    assert source.is_confirmed and source.last_synced_at == NOW and len(source.state) == 5
    assert "Mr. John Richter, James Doe Sr." in names(alice)
    nextcloud = Person.objects.get(full_name="First Last NextCloud")
    assert sorted(nextcloud.emails.values_list("address", flat=True)) == ["home@gmx.de", "work@gmx.de"]


def test_a_card_with_the_email_of_someone_in_the_network_updates_them_instead_of_adding_them_again(alice, carddav):
    known = make_person(alice, "John Doe", emails=["john.doe@ibm.com"])
    carddav.put("john", (FIXTURES / "ezvcard__John_Doe_EVOLUTION.vcf").read_bytes())
    source = add(alice, carddav)
    plan = addressbooks.preview_address_book(alice, source)
    assert [(row.status, row.person_id) for row in plan.people] == [("update", known.pk)]

    synced = addressbooks.confirm_address_book(alice, source, now=NOW)
    assert synced.counts["people_created"] == 0 and synced.counts["people_updated"] == 1
    assert Person.objects.count() == 1 and Email.objects.filter(address="john.doe@ibm.com").count() == 1
    known.refresh_from_db()
    assert known.phones.count() >= 1


def test_later_syncs_bring_in_only_the_cards_that_changed(alice, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    carddav.put("bo", card("Bo Li", email="bo@li.example"))
    source = confirmed(alice, carddav)
    ana = Person.objects.get(full_name="Ana Ruiz")
    ana.notes = "Met at the conference"
    ana.save()

    carddav.put("bo", card("Bo Li", email="bo@li.example", tel="+34 600 123 456"))
    synced = addressbooks.sync_source(alice, source, now=NOW)
    assert synced.error == "" and synced.counts["cards_read"] == 1
    assert synced.counts["people_created"] == 0 and synced.counts["people_updated"] == 1
    run = Import.objects.get(pk=synced.import_id)
    assert run.format == Import.Format.ADDRESS_BOOK
    bo = Person.objects.get(full_name="Bo Li")
    assert list(bo.phones.values_list("number", flat=True)) == ["+34600123456"]
    assert Person.objects.count() == 2

    carddav.put("cy", card("Cy Twombly", email="cy@art.example"))
    synced = addressbooks.sync_source(alice, source, now=NOW)
    assert synced.counts == {"cards_read": 1, "people_created": 1, "people_updated": 0, "skipped": 0}
    assert names(alice) == ["Ana Ruiz", "Bo Li", "Cy Twombly"]


def test_a_sync_with_nothing_new_records_no_import(alice, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = confirmed(alice, carddav)
    before = Import.objects.count()
    synced = addressbooks.sync_source(alice, source, now=NOW)
    assert synced.error == "" and synced.import_id is None and synced.counts == {"cards_read": 0}
    assert Import.objects.count() == before == 1


def test_a_card_deleted_on_the_server_deletes_nobody_here(alice, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    carddav.put("bo", card("Bo Li", email="bo@li.example"))
    source = confirmed(alice, carddav)
    carddav.delete("bo")
    synced = addressbooks.sync_source(alice, source, now=NOW)
    assert synced.error == "" and synced.import_id is None
    assert names(alice) == ["Ana Ruiz", "Bo Li"]
    source.refresh_from_db()
    assert list(source.state) == ["/ana/contacts/ana.vcf"]


def test_a_sync_is_an_import_that_can_be_undone(alice, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = confirmed(alice, carddav)
    carddav.put("bo", card("Bo Li", email="bo@li.example"))
    synced = addressbooks.sync_source(alice, source, now=NOW)
    assert list_imports(alice)[0].pk == synced.import_id

    undone = undo_import(alice, synced.import_id)
    assert undone.people_removed == 1 and names(alice) == ["Ana Ruiz"]
    # Undone means undone: the card is not brought back until it changes on the server.
    assert addressbooks.sync_source(alice, source, now=NOW).import_id is None
    assert names(alice) == ["Ana Ruiz"]


def test_cards_are_fetched_in_batches(alice, carddav, monkeypatch):
    monkeypatch.setattr(addressbooks, "BATCH", 2)
    for n in range(5):
        carddav.put(f"p{n}", card(f"Person {n}", email=f"p{n}@example.com"))
    source = confirmed(alice, carddav)
    assert len(source.state) == 5 and Person.objects.count() == 5


def test_a_failing_sync_is_one_line_naming_the_address_book_never_raised_nor_logged_with_the_password(
    alice, carddav, caplog
):
    caplog.set_level(logging.DEBUG)
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = confirmed(alice, carddav)
    source.secret = seal("an-old-password")
    source.save()
    synced = addressbooks.sync_source(alice, source, now=NOW)
    assert synced.error == f"{source.name}: {carddav.server.url[7:-1]} refused this user name and password"
    source.refresh_from_db()
    assert source.last_error == synced.error
    assert "an-old-password" not in caplog.text and PASSWORD not in caplog.text

    source.url = f"http://127.0.0.1:{closed_port()}/ana/contacts/"
    source.save()
    synced = addressbooks.sync_source(alice, source, now=NOW)
    assert synced.error.startswith(f"{source.name}: could not reach 127.0.0.1:") and "\n" not in synced.error
    assert "connection refused" in synced.error

    # Once it works again, the error goes.
    source.url, source.secret = carddav.url, seal(PASSWORD)
    source.save()
    assert addressbooks.sync_source(alice, source, now=NOW).error == ""
    source.refresh_from_db()
    assert source.last_error == ""


def test_each_owner_sees_and_syncs_only_their_own_address_books(alice, bob, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = confirmed(alice, carddav)
    assert addressbooks.list_address_books(bob) == []
    with pytest.raises(NotFound):
        addressbooks.get_address_book(bob, source.pk)
    with pytest.raises(NotFound):
        addressbooks.remove_address_book(bob, source.pk)
    assert sync_all(bob, (Source.Kind.CARDDAV,), now=NOW) == []
    # Bob may connect the same address book: it fills his network, not Alice's.
    his = confirmed(bob, carddav)
    assert his.pk != source.pk
    assert names(bob) == ["Ana Ruiz"] and Person.objects.for_owner(alice).count() == 1
    assert [s.pk for s in addressbooks.list_address_books(alice)] == [source.pk]


def test_two_syncs_of_one_address_book_never_run_at_once(alice, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = confirmed(alice, carddav)
    carddav.put("bo", card("Bo Li", email="bo@li.example"))
    with services.alone(source) as alone:  # the schedule's sync, say, still running
        assert alone
        synced = services.sync_source(alice, source, now=NOW)
        assert addressbooks.confirm_address_book(alice, source, now=NOW).error == f"{source.name}: {services.BUSY}"
    assert synced.error == f"{source.name}: {services.BUSY}" and synced.import_id is None
    source.refresh_from_db()
    assert source.last_error == "" and names(alice) == ["Ana Ruiz"]
    # Once it is done, the next sync goes ahead.
    assert services.sync_source(alice, source, now=NOW).counts["people_created"] == 1


def test_no_one_can_preview_import_or_sync_another_owners_address_book(alice, bob, carddav):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    source = add(alice, carddav)
    for act in (
        lambda: addressbooks.preview_address_book(bob, source),
        lambda: addressbooks.confirm_address_book(bob, source, now=NOW),
        lambda: addressbooks.sync_source(bob, source, now=NOW),
    ):
        with pytest.raises(NotFound):
            act()
    assert Person.objects.count() == 0 and Import.objects.count() == 0
