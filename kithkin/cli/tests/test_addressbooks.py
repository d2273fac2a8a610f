"""kithkin addressbook add, list, sync, remove, against a real CardDAV server (Radicale)."""

import json

import pytest

from kithkin.capture.models import Source
from kithkin.capture.tests.conftest import card, carddav  # noqa: F401  (carddav is a fixture)
from kithkin.imports.models import Import
from kithkin.people.models import Person

PASSWORD = "s3cret-app-password"


def said(err):
    """What the command wrote to stderr: the server runs in this process, and its log goes there too."""
    return [line for line in err.splitlines() if line.startswith("kithkin:")]


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return str(path)


def test_adding_shows_the_first_sync_and_sync_yes_imports_it_then_syncs_go_in_quietly(
    kithkin,
    carddav,  # noqa: F811
    password_file,
):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    carddav.put("bo", card("Bo Li", email="bo@li.example"))

    code, out, err = kithkin(
        "addressbook", "add", carddav.server.url, "--user", "ana", "--password-file", password_file
    )
    assert code == 0, err
    assert "Contacts on 127.0.0.1" in out and "2 new" in out and "+ Ana Ruiz <ana@acme.example>" in out
    assert "kithkin addressbook sync --yes" in out and PASSWORD not in out + err
    assert Person.objects.count() == 0

    code, out, _ = kithkin("addressbook", "sync")
    assert code == 0 and "not imported yet" in out and Person.objects.count() == 0

    code, out, err = kithkin("addressbook", "sync", "--yes")
    assert code == 0, err
    assert "2 added, 0 updated" in out and Person.objects.count() == 2

    code, out, _ = kithkin("addressbook", "sync")
    assert code == 0 and "nothing new" in out
    carddav.put("cy", card("Cy Twombly", email="cy@art.example"))
    code, out, _ = kithkin("addressbook", "sync", "--json")
    [synced] = json.loads(out)
    assert synced["counts"] == {"cards_read": 1, "people_created": 1, "people_updated": 0, "skipped": 0}
    assert Import.objects.get(pk=synced["import_id"]).format == "address_book"

    code, out, _ = kithkin("addressbook", "list", "--json")
    [listed] = json.loads(out)
    assert listed["is_confirmed"] and listed["last_error"] == "" and "secret" not in listed
    code, out, _ = kithkin("addressbook", "list")
    assert "Contacts on 127.0.0.1" in out and "ok" in out


def test_errors_are_one_line_and_a_failed_sync_exits_1(
    kithkin,
    carddav,  # noqa: F811
    password_file,
    tmp_path,
):
    wrong = tmp_path / "wrong"
    wrong.write_text("not-it")
    code, out, err = kithkin("addressbook", "add", carddav.url, "--user", "ana", "--password-file", str(wrong))
    [line] = said(err)
    assert code == 1 and line.startswith("kithkin: error: --password-file: 127.0.0.1:")
    assert line.endswith("refused this user name and password")
    assert "not-it" not in out + err
    code, _, err = kithkin(
        "addressbook", "add", "http://contacts.example.com/", "--user", "ana", "--password-file", password_file
    )
    assert code == 1 and said(err)[0].startswith("kithkin: error: URL: use https")
    code, _, err = kithkin(
        "addressbook", "add", carddav.url, "--user", "ana", "--password-file", str(tmp_path / "none")
    )
    assert code == 1 and "--password-file" in err and "no such file" in err

    code, _, _ = kithkin("addressbook", "add", carddav.url, "--user", "ana", "--password-file", password_file)
    assert code == 0
    source = Source.objects.get()
    source.url = carddav.url.replace(carddav.server.url.split("//")[1].split("/")[0], "127.0.0.1:9")
    source.save()
    code, out, err = kithkin("addressbook", "sync", "--yes")
    assert code == 1 and said(err) == [
        f"kithkin: error: {source.name}: could not reach 127.0.0.1:9 (connection refused)"
    ]


def test_remove_forgets_the_address_book_but_keeps_its_people(
    kithkin,
    carddav,  # noqa: F811
    password_file,
):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example"))
    kithkin("addressbook", "add", carddav.url, "--user", "ana", "--password-file", password_file)
    kithkin("addressbook", "sync", "--yes")
    pk = Source.objects.get().pk
    code, out, _ = kithkin("addressbook", "remove", str(pk))
    assert code == 0 and "removed address book" in out
    assert Source.objects.count() == 0 and Person.objects.count() == 1
    code, _, err = kithkin("addressbook", "remove", str(pk))
    assert code == 1 and f"ID: no connected account of yours has id {pk}" in err
    code, out, _ = kithkin("addressbook", "list")
    assert "No address books yet" in out
