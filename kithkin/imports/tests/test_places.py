"""City and country from real files: the address's parts where the file has them, else the
location text; and back out through the exports, the same place after a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from kithkin.exports.backup import export_document, restore_document
from kithkin.exports.services import export_csv, export_vcard
from kithkin.imports.plan import guess_format
from kithkin.imports.services import import_file, undo_import
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import make_person

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"

pytestmark = pytest.mark.usefixtures("frozen")


def _import(owner, relative: str):
    path = FIXTURES / relative
    data = path.read_bytes()
    return import_file(owner, guess_format(data, path.name), data, path.name)


def _places(owner) -> dict[str, tuple[str, str]]:
    return {
        name: (city, country)
        for name, city, country in Person.objects.for_owner(owner).values_list("full_name", "city", "country")
        if city or country
    }


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("csv/google_current.csv", {"Dr. Ana María Núñez Ruiz": ("Madrid", "ES"), "Yamada Sakura": ("Kyoto", "JP")}),
        ("csv/outlook_desktop.csv", {"Sr. José Núñez": ("Madrid", "ES"), "Bo Chen": ("San Francisco", "US")}),
        ("csv/outlook_com.csv", {"Dr. Ingrid Bergström": ("Stockholm", "SE")}),
        ("vcf/ezvcard__John_Doe_IPHONE.vcf", {"Mr. John Richter James Doe Sr.": ("New York", "US")}),
        ("vcf/ezvcard__rfc2426-example.vcf", {"Frank Dawson": ("Raleigh", "US"), "Tim Howes": ("Mountain View", "US")}),
        ("vcf/ezvcard__gmail-single.vcf", {"Greg Dartmouth": ("Custom City", "US")}),
        ("csv/linkedin_2024.csv", {}),  # LinkedIn exports no location
    ],
)
def test_an_import_fills_city_and_country_from_the_files_addresses(alice, relative, expected):
    _import(alice, relative)
    assert _places(alice) == expected


def test_an_import_reads_city_and_country_from_a_location_column(alice):
    text = 'Name,Email,Location\nAna Ruiz,ana@acme.example,"Berlin, Germany"\nBo Chen,bo@acme.example,München\n'
    text += "Cy Diaz,cy@acme.example,Remote\n"
    import_file(alice, "csv", text.encode(), "people.csv")
    assert _places(alice) == {"Ana Ruiz": ("Berlin", "DE"), "Bo Chen": ("Munich", "DE")}


def test_an_import_reads_city_and_country_columns_of_a_plain_spreadsheet(alice):
    text = "Name,Email,City,Country\nAna Ruiz,ana@acme.example,Tübingen,Deutschland\n"
    import_file(alice, "csv", text.encode(), "people.csv")
    ana = Person.objects.for_owner(alice).get()
    assert (ana.location, ana.city, ana.country) == ("Tübingen, Deutschland", "Tübingen", "DE")


def test_an_import_gives_a_place_to_someone_without_one_and_undo_takes_it_back(alice):
    ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    text = "Name,Email,City,Country\nAna Ruiz,ana@acme.example,Lagos,Nigeria\n"
    result = import_file(alice, "csv", text.encode(), "people.csv")
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("Lagos, Nigeria", "Lagos", "NG")
    undo_import(alice, result.import_id)
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("", "", "")


def test_an_import_never_moves_someone_who_has_a_place(alice):
    ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"], location="Berlin")
    text = "Name,Email,City,Country\nAna Ruiz,ana@acme.example,Lagos,Nigeria\n"
    import_file(alice, "csv", text.encode(), "people.csv")
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("Berlin", "Berlin", "DE")


def _network_with_places(owner) -> None:
    make_person(owner, "Ana Ruiz", emails=["ana@acme.example"], location="Cambridge, MA, USA")
    make_person(owner, "Bo Chen", emails=["bo@acme.example"], location="San Francisco Bay Area")
    bea = make_person(owner, "Bea Ode", emails=["bea@acme.example"], location="Remote")
    edit_person(owner, bea, PersonChanges(city="Lagos", country="NG"))  # a place set by hand
    make_person(owner, "Cy Diaz", emails=["cy@acme.example"], location="München")
    make_person(owner, "Di Eze", emails=["di@acme.example"])


@pytest.mark.parametrize("fmt", ["vcard-4.0", "vcard-3.0", "csv"])
def test_city_and_country_survive_an_export_and_an_import(alice, bob, fmt):
    _network_with_places(alice)
    people = Person.objects.for_owner(alice)
    if fmt == "csv":
        data, name = export_csv(alice, people).encode(), "kithkin.csv"
    else:
        data, name = export_vcard(alice, people, version=fmt.split("-")[1]).encode(), "kithkin.vcf"
    import_file(bob, guess_format(data, name), data, name)
    assert (
        _places(bob)
        == _places(alice)
        == {
            "Ana Ruiz": ("Cambridge", "US"),
            "Bo Chen": ("San Francisco", "US"),
            "Bea Ode": ("Lagos", "NG"),
            "Cy Diaz": ("Munich", "DE"),
        }
    )
    typed = dict(Person.objects.for_owner(bob).values_list("full_name", "location"))
    # A location that says its place is written as typed; one that does not gives way to the place.
    assert typed["Ana Ruiz"] == "Cambridge, MA, USA"
    assert typed["Bo Chen"] == "San Francisco Bay Area"
    assert typed["Bea Ode"] == "Lagos, Nigeria"


def test_a_backup_keeps_places_and_one_made_before_places_reads_them_from_the_location(alice, bob):
    make_person(alice, "Ana Ruiz", location="Bay Area", city="Oakland")  # set by hand: kept as it is
    make_person(alice, "Bo Chen", location="München")
    document = export_document(alice)
    restore_document(bob, document)
    assert _places(bob) == {"Ana Ruiz": ("Oakland", "US"), "Bo Chen": ("Munich", "DE")}
    for row in document["data"]["people.person"]:
        del row["city"], row["country"]
    carol = User.objects.create_user("carol")
    restore_document(carol, document)
    assert _places(carol) == {"Ana Ruiz": ("San Francisco", "US"), "Bo Chen": ("Munich", "DE")}
