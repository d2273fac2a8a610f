"""Places on the web: the About section sets location, city and country; the People list
filters by city and country; the person page shows "Berlin, Germany"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")

LIST = reverse("people:list")


def _about(person):
    return reverse("people:section", args=[person.pk, "about"])


def _names(response) -> list[str]:
    return [p.full_name for p, _check_in, _tie in response.context["rows"]]


def _about_form(person, **changes: str) -> dict[str, str]:
    """The About form as the page fills it in, with ``changes`` typed over it."""
    data = {
        "name": person.full_name,
        "nicknames": "",
        "organization": "",
        "title": "",
        "location": person.location,
        "city": person.city,
        "country": "Germany" if person.country == "DE" else person.country,
        "birthday": "",
    }
    return data | changes


def test_the_person_page_shows_the_city_and_countrys_name(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", title="CTO", location="berlin, de")
    page = signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    assert "CTO · Berlin, Germany" in page
    assert 'berlin, de <span class="muted">(Berlin, Germany)</span>' in page


def test_a_new_location_in_the_about_section_moves_city_and_country(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", location="Berlin")
    response = signed_in.post(_about(ana), _about_form(ana, location="Lagos, Nigeria"))
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("Lagos, Nigeria", "Lagos", "NG")


def test_a_city_corrected_in_the_about_section_stays_when_the_form_is_saved_again(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", location="Berlin")
    signed_in.post(_about(ana), _about_form(ana, city="Potsdam"))
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("Berlin", "Potsdam", "DE")
    signed_in.post(_about(ana), _about_form(ana, title="CTO"))
    ana.refresh_from_db()
    assert (ana.title, ana.city, ana.country) == ("CTO", "Potsdam", "DE")


def test_a_country_that_is_no_country_is_shown_next_to_its_field_and_changes_nothing(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", location="Berlin")
    response = signed_in.post(_about(ana), _about_form(ana, location="Lagos", country="Atlantis"))
    assert "is not a country" in response.content.decode()  # the form again, the error at its field
    ana.refresh_from_db()
    assert (ana.location, ana.city, ana.country) == ("Berlin", "Berlin", "DE")


def test_the_list_filters_by_city_and_by_country_name_or_code(client, alice, bob):
    make_person(alice, "Ana Ruiz", location="München")
    make_person(alice, "Bo Chen", location="Berlin, Germany")
    make_person(alice, "Cy Diaz", location="Lagos, Nigeria")
    make_person(bob, "Bob's Berliner", location="Berlin")
    client.force_login(alice)
    assert _names(client.get(LIST, {"city": "Munich"})) == ["Ana Ruiz"]
    assert _names(client.get(LIST, {"city": "berlin"})) == ["Bo Chen"]
    assert _names(client.get(LIST, {"country": "Germany"})) == ["Ana Ruiz", "Bo Chen"]
    assert _names(client.get(LIST, {"country": "ng"})) == ["Cy Diaz"]
    # A country that is none (an old link, a typo) is ignored, as the list's other bad values are.
    assert _names(client.get(LIST, {"country": "Atlantis"})) == ["Ana Ruiz", "Bo Chen", "Cy Diaz"]
    page = client.get(LIST).content.decode()
    assert '<option value="Berlin">' in page and '<option value="Munich">' in page


def test_the_filtered_list_takes_as_many_queries_for_many_people_as_for_few(client, alice):
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"country": "DE"}).status_code == 200
        return len(captured)

    make_person(alice, "Ana Ruiz", location="Berlin")
    few = queries()
    for n in range(10):
        make_person(alice, f"Person {n}", location="München")
    assert queries() == few
