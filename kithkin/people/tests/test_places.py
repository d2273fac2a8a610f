from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from kithkin.core.errors import BadInput
from kithkin.people.merge import merge_people
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, edit_person, filter_people, search_people
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


def _place(person: Person) -> tuple[str, str]:
    person.refresh_from_db()
    return person.city, person.country


def test_city_and_country_follow_the_location_as_typed(alice):
    ana = make_person(alice, "Ana Ruiz", location="München")
    assert (ana.location, ana.city, ana.country) == ("München", "Munich", "DE")
    assert ana.place_label == "Munich, Germany"
    edit_person(alice, ana, PersonChanges(location="San Francisco Bay Area"))
    assert _place(ana) == ("San Francisco", "US")
    edit_person(alice, ana, PersonChanges(location="Remote"))
    assert _place(ana) == ("", "")


def test_city_and_country_given_by_hand_win_over_the_location(alice):
    ana = make_person(alice, "Ana Ruiz", location="Bay Area", city="Oakland", country="us")
    assert (ana.location, ana.city, ana.country) == ("Bay Area", "Oakland", "US")
    edit_person(alice, ana, PersonChanges(location="Berlin", country="Germany"))
    assert _place(ana) == ("Berlin", "DE")


def test_a_city_given_alone_brings_its_country_and_keeps_the_location(alice):
    ana = make_person(alice, "Ana Ruiz", location="somewhere near the lake")
    assert _place(ana) == ("", "")
    edit_person(alice, ana, PersonChanges(city="zürich"))
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("somewhere near the lake", "Zurich", "CH")
    edit_person(alice, ana, PersonChanges(city="Tübingen"))  # unknown to the gazetteer: the country stays
    assert _place(ana) == ("Tübingen", "CH")


def test_an_edit_that_does_not_touch_the_place_keeps_a_city_set_by_hand(alice):
    ana = make_person(alice, "Ana Ruiz", location="Berlin", city="Potsdam")
    edit_person(alice, ana, PersonChanges(title="CTO"))
    assert _place(ana) == ("Potsdam", "DE")


def test_a_country_that_is_no_country_is_refused_and_changes_nothing(alice):
    ana = make_person(alice, "Ana Ruiz", location="Berlin")
    with pytest.raises(BadInput) as error:
        edit_person(alice, ana, PersonChanges(location="Lagos", country="Atlantis"))
    assert error.value.field == "country"
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("Berlin", "Berlin", "DE")


def test_a_city_too_long_is_refused(alice):
    with pytest.raises(BadInput) as error:
        make_person(alice, "Ana Ruiz", city="x" * 101)
    assert error.value.field == "city"


def test_clearing_city_and_country_by_hand(alice):
    ana = make_person(alice, "Ana Ruiz", location="Berlin")
    edit_person(alice, ana, PersonChanges(city="", country=""))
    assert _place(ana) == ("", "")


def test_people_are_filtered_by_city_by_any_of_its_names_and_by_country_by_name_or_code(alice, bob):
    ana = make_person(alice, "Ana Ruiz", location="München")
    bo = make_person(alice, "Bo Chen", location="Berlin, Germany")
    make_person(alice, "Cy Diaz", location="Lagos, Nigeria")
    make_person(bob, "Bob's Munich friend", location="Munich")
    assert list(filter_people(alice, city="Munich")) == [ana]
    assert list(filter_people(alice, city="münchen")) == [ana]
    assert list(filter_people(alice, country="Germany")) == [ana, bo]
    assert list(filter_people(alice, country="de")) == [ana, bo]
    assert list(filter_people(alice, city="Berlin", country="DE")) == [bo]
    assert list(Person.objects.for_owner(alice).in_city("MUNICH")) == [ana]
    with pytest.raises(BadInput) as error:
        filter_people(alice, country="Atlantis")
    assert error.value.field == "country"


def test_plain_search_finds_people_by_city_country_and_location(alice, bob):
    ana = make_person(alice, "Ana Ruiz", location="München")
    bo = make_person(alice, "Bo Chen", location="Greater Berlin Area")
    make_person(bob, "Bob's Berlin friend", location="Berlin")
    assert list(search_people(alice, "munich")) == [ana]
    assert list(search_people(alice, "munchen")) == [ana]
    assert list(search_people(alice, "germany")) == [ana, bo]
    assert list(search_people(alice, "berlin")) == [bo]


def test_a_merge_takes_the_city_and_country_with_the_location(alice):
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.", location="Lagos, Nigeria")
    merge_people(alice, keep, drop)
    keep.refresh_from_db()
    assert (keep.location, keep.city, keep.country) == ("Lagos, Nigeria", "Lagos", "NG")
    assert list(search_people(alice, "nigeria")) == [keep]


def test_the_migration_fills_city_and_country_from_existing_locations(alice, bob):
    fill_places = import_module("kithkin.people.migrations.0007_person_city_country").fill_places
    people = {
        text: make_person(owner, f"Someone {n}", location=text)
        for n, (owner, text) in enumerate(
            [(alice, "berlin, de"), (alice, "Greater Paris Metropolitan Region"), (alice, "Remote"), (bob, "München")]
        )
    }
    Person.objects.filter(pk__in=[p.pk for p in people.values()]).update(city="", country="")
    untouched = make_person(alice, "No Location")

    fill_places(django_apps, SimpleNamespace(connection=connection))

    found = {text: _place(person) for text, person in people.items()}
    assert found == {
        "berlin, de": ("Berlin", "DE"),
        "Greater Paris Metropolitan Region": ("Paris", "FR"),
        "Remote": ("", ""),
        "München": ("Munich", "DE"),
    }
    assert _place(untouched) == ("", "")
