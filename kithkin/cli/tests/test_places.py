"""`kithkin add/edit --location/--city/--country` and `kithkin people --city/--country`."""

from kithkin.people.models import Person
from kithkin.testing import make_person, run_json


def test_add_reads_city_and_country_from_the_location(kithkin):
    ana = run_json(kithkin, "add", "Ana Ruiz", "--location", "berlin, de")
    assert (ana["location"], ana["city"], ana["country"], ana["place"]) == (
        "berlin, de",
        "Berlin",
        "DE",
        "Berlin, Germany",
    )


def test_edit_sets_city_and_country_by_hand_over_the_location(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--location", "Bay Area")
    ana = run_json(kithkin, "edit", "Ana", "--city", "Oakland")
    assert (ana["location"], ana["city"], ana["country"]) == ("Bay Area", "Oakland", "US")
    ana = run_json(kithkin, "edit", "Ana", "--location", "Remote", "--country", "Portugal")
    assert (ana["location"], ana["city"], ana["country"]) == ("Remote", "", "PT")


def test_people_filters_by_city_and_by_country_name_or_code(kithkin, alice):
    run_json(kithkin, "add", "Ana Ruiz", "--location", "München")
    run_json(kithkin, "add", "Bo Chen", "--location", "Berlin")
    run_json(kithkin, "add", "Cy Diaz", "--location", "Lagos, Nigeria")
    make_person(alice, "Alice's Berliner", location="Berlin")  # another user's: never listed

    def names(*args: str) -> list[str]:
        return [p["name"] for p in run_json(kithkin, "people", *args)]

    assert names("--city", "Berlin") == ["Bo Chen"]
    assert names("--city", "Munich") == ["Ana Ruiz"]
    assert names("--country", "DE") == ["Ana Ruiz", "Bo Chen"]
    assert names("--country", "Germany") == ["Ana Ruiz", "Bo Chen"]
    assert names("--country", "ng") == ["Cy Diaz"]
    assert names("--country", "de", "--city", "münchen") == ["Ana Ruiz"]
    code, out, _ = kithkin("people", "--country", "Germany")
    assert code == 0 and "place" in out and "Munich" in out and "Berlin" in out


def test_show_prints_the_place_beside_the_location(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--location", "Greater Paris Metropolitan Region")
    code, out, _ = kithkin("show", "Ana Ruiz")
    assert code == 0 and "Greater Paris Metropolitan Region" in out and "Paris, France" in out


def test_a_country_that_is_no_country_is_one_line_on_stderr_and_changes_nothing(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--location", "Berlin")
    before = list(Person.objects.values())
    code, out, err = kithkin("edit", "Ana", "--location", "Lagos", "--country", "Atlantis")
    assert (code, out) == (1, "")
    assert err.startswith("kithkin: error: --country: 'Atlantis' is not a country") and err.count("\n") == 1
    assert list(Person.objects.values()) == before
    code, out, err = kithkin("people", "--country", "Atlantis")
    assert (code, out) == (1, "") and err.startswith("kithkin: error: --country:")
