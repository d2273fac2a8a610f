import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithkin.lib.places import (
    Place,
    address_parts,
    city_name,
    country_code,
    country_name,
    format_place,
    known_city,
    parse_place,
    place_of,
    place_words,
)

# Locations as people and address books write them, and what they say.
REAL_WORLD = [
    ("Berlin", "Berlin", "DE"),
    ("Berlin, Germany", "Berlin", "DE"),
    ("berlin, de", "Berlin", "DE"),
    ("BERLIN", "Berlin", "DE"),
    ("Berlin, Berlin, Germany", "Berlin", "DE"),  # LinkedIn: city, state, country
    ("Berlin, Deutschland", "Berlin", "DE"),
    ("Berlin und Umgebung", "Berlin", "DE"),
    ("Berlin Metropolitan Area", "Berlin", "DE"),
    ("Berlin (Remote)", "Berlin", "DE"),
    ("London, UK", "London", "GB"),
    ("London, United Kingdom", "London", "GB"),
    ("Greater London", "London", "GB"),
    ("London, England, United Kingdom", "London", "GB"),
    ("San Francisco Bay Area", "San Francisco", "US"),
    ("SF Bay Area", "San Francisco", "US"),
    ("Greater Paris Metropolitan Region", "Paris", "FR"),
    ("Paris, Île-de-France, France", "Paris", "FR"),
    ("München", "Munich", "DE"),
    ("Muenchen", "Munich", "DE"),
    ("Greater Munich Metropolitan Area", "Munich", "DE"),
    ("Köln, Nordrhein-Westfalen, Deutschland", "Cologne", "DE"),
    ("Zürich, Schweiz", "Zurich", "CH"),
    ("Wien, Österreich", "Vienna", "AT"),
    ("Kraków, Małopolskie, Poland", "Kraków", "PL"),
    ("New York, NY, USA", "New York", "US"),
    ("New York City Metropolitan Area", "New York", "US"),
    ("Brooklyn, New York", "New York", "US"),
    ("Lagos, Nigeria", "Lagos", "NG"),
    ("Nairobi County, Kenya", "", "KE"),
    ("Bengaluru, Karnataka, India", "Bangalore", "IN"),
    ("São Paulo, São Paulo, Brazil", "São Paulo", "BR"),
    ("Sao Paulo", "São Paulo", "BR"),
    ("Toronto, Ontario, Canada", "Toronto", "CA"),
    ("Washington DC-Baltimore Area", "Washington", "US"),
    ("Washington, D.C.", "Washington", "US"),
    ("Dallas-Fort Worth Metroplex", "Dallas", "US"),
    ("Frankfurt Rhine-Main Metropolitan Area", "Frankfurt", "DE"),
    ("Frankfurt/Main", "Frankfurt", "DE"),
    ("Tel Aviv-Yafo, Israel", "Tel Aviv", "IL"),
    ("Ho Chi Minh City, Vietnam", "Ho Chi Minh City", "VN"),
    ("Amsterdam Area", "Amsterdam", "NL"),
    ("Singapore", "Singapore", "SG"),
    ("Hong Kong SAR", "Hong Kong", "HK"),
    ("Luxembourg", "Luxembourg", "LU"),
    ("Germany", "", "DE"),
    ("UK", "", "GB"),
    ("United States", "", "US"),
    ("Mexico", "", "MX"),
    ("Mexico City", "Mexico City", "MX"),
    ("CDMX", "Mexico City", "MX"),
    ("California, United States", "", "US"),
    ("Bavaria, Germany", "", "DE"),
    ("England, United Kingdom", "", "GB"),
    ("Île-de-France, France", "", "FR"),
    ("Remote (Germany)", "", "DE"),
    ("Remote - US", "", "US"),
    ("Tübingen, Germany", "Tübingen", "DE"),  # not in the gazetteer: kept as typed
    ("springfield, IL", "Springfield", "US"),
    ("Paris, Texas", "Paris", "US"),  # not the Paris the gazetteer knows
    ("Atlanta, Georgia", "Atlanta", "US"),
    ("Tbilisi, Georgia", "Tbilisi", "GE"),
    ("Seattle, WA", "Seattle", "US"),
    ("Perth, WA", "Perth", "AU"),
    ("Melbourne, Victoria, Australia", "Melbourne", "AU"),
    ("Melbourne, FL", "Melbourne", "US"),
    ("Cambridge, MA", "Cambridge", "US"),
    ("Cambridge, England", "Cambridge", "GB"),
    ("Cambridge", "Cambridge", "GB"),
    ("London, Ontario, Canada", "London", "CA"),
    ("Lima, PE", "Lima", "PE"),
    ("Grand Rapids, Michigan", "Grand Rapids", "US"),
    ("Berlin · Germany", "Berlin", "DE"),
    ("  Madrid ,  Spain ", "Madrid", "ES"),
]


@pytest.mark.parametrize(("text", "city", "country"), REAL_WORLD)
def test_a_real_world_location_gives_its_city_and_country(text, city, country):
    assert parse_place(text) == Place(city, country)


@pytest.mark.parametrize(
    "text", ["", "   ", "Remote", "remote", "Worldwide", "Anywhere", "N/A", "Earth", "EMEA", "Home office", "Hybrid"]
)
def test_words_that_are_not_places_give_nothing(text):
    assert parse_place(text) == Place()
    assert not parse_place(text)


@pytest.mark.parametrize("text", ["Springfield", "Bigtown", "Foo, Bar"])
def test_an_unknown_name_alone_is_not_guessed_at(text):
    """A lone word the gazetteer does not know could be a region, a company or a typo."""
    assert parse_place(text) == Place()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Germany", "DE"),
        ("germany", "DE"),
        ("Deutschland", "DE"),
        ("de", "DE"),
        ("DE", "DE"),
        ("DEU", "DE"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("España", "ES"),
    ],
)
def test_a_country_is_found_by_its_names_codes_and_aliases(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["", "Atlantis", "XX", "and", "can", "Berlin"])
def test_what_names_no_country_has_no_code(text):
    assert country_code(text) == ""


def test_every_country_has_a_name_and_its_code_finds_it():
    assert country_name("DE") == "Germany"
    assert country_name("gb") == "United Kingdom"
    assert country_name("US") == "United States"
    assert country_name("ZZ") == "ZZ"
    for code in ("FR", "NG", "JP", "BR", "IN", "ZA", "NZ", "AE"):
        assert country_code(country_name(code)) == code


def test_a_place_is_shown_as_city_and_country_name():
    assert format_place("Berlin", "DE") == "Berlin, Germany"
    assert format_place("", "DE") == "Germany"
    assert format_place("Tübingen", "") == "Tübingen"
    assert format_place("Singapore", "SG") == "Singapore"
    assert format_place("", "") == ""
    assert str(parse_place("berlin, de")) == "Berlin, Germany"


def test_a_known_city_is_found_by_its_local_name_and_in_a_given_country():
    assert known_city("München") is not None and known_city("München").name == "Munich"
    assert known_city("Cambridge", "US").country == "US"
    assert known_city("Berlin", "US") is None
    assert known_city("Tübingen") is None


def test_a_city_is_stored_by_the_gazetteers_name_else_tidied():
    assert city_name("münchen") == "Munich"
    assert city_name("tübingen") == "Tübingen"
    assert city_name("TÜBINGEN") == "Tübingen"
    assert city_name("  McAllen ") == "McAllen"


def test_an_addresss_parts_trust_the_files_city_and_read_its_country():
    assert place_of("Berlin", "", "Germany") == Place("Berlin", "DE")
    assert place_of("München", "Bayern", "Deutschland") == Place("Munich", "DE")
    assert place_of("Mountain View", "CA", "US") == Place("Mountain View", "US")
    assert place_of("Smallville", "KS", "") == Place("Smallville", "US")
    assert place_of("Tübingen", "", "DE") == Place("Tübingen", "DE")
    assert place_of("", "", "Deutschland") == Place("", "DE")
    assert place_of("Springfield", "", "") == Place("Springfield", "")
    assert place_of("Remote", "", "") == Place()
    assert place_of("", "", "") == Place()


def test_a_location_that_says_the_place_is_written_as_typed_into_an_address():
    assert address_parts("Cambridge, MA, USA", "Cambridge", "United States") == ("Cambridge", "MA", "USA")
    assert address_parts("San Francisco Bay Area", "San Francisco", "United States") == (
        "San Francisco Bay Area",
        "",
        "",
    )
    assert address_parts("Madrid, Spain") == ("Madrid", "", "Spain")


def test_a_location_that_says_another_place_gives_way_to_the_city_and_country():
    assert address_parts("Remote", "Berlin", "Germany") == ("Berlin", "", "Germany")
    assert address_parts("", "Lagos", "Nigeria") == ("Lagos", "", "Nigeria")
    assert address_parts("Berlin", "Potsdam", "Germany") == ("Potsdam", "", "Germany")


def test_search_reads_the_location_the_city_and_the_countrys_name():
    assert place_words("München", "Munich", "DE") == ["München", "Munich", "Germany"]
    assert place_words("", "", "") == ["", "", ""]


@given(st.text(max_size=80))
def test_any_text_parses_to_a_place_without_error(text):
    place = parse_place(text)
    assert len(place.city) <= 100
    assert place.country == "" or country_name(place.country) != place.country


@given(st.sampled_from([row[0] for row in REAL_WORLD]))
def test_a_parsed_place_written_and_read_back_is_the_same_place(text):
    place = parse_place(text)
    country = country_name(place.country) if place.country else ""
    assert place_of(*address_parts(text, place.city, country)) == place
