"""Places: a city and a country from what people type ("berlin, de", "San Francisco Bay Area",
"München", "New York, NY, USA"), knowing nothing of Django.

The gazetteer is three small files beside this module (``gazetteer/``): every country (ISO 3166-1
alpha-2 code, the name shown, other names such as UK, USA or Deutschland), a few hundred major
cities with their other names, and the states and provinces that say a country without being a
city. A city the gazetteer does not know is kept as typed when something else in the text says
where it is ("Tübingen, Germany"); a lone unknown word ("Bavaria"? "Springfield"?) is not
guessed at, and words that are not places ("Remote", "Worldwide") give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kithkin.lib.search import fold

__all__ = [
    "City",
    "Place",
    "address_parts",
    "city_name",
    "country_code",
    "country_name",
    "format_place",
    "known_city",
    "parse_place",
    "place_of",
    "place_words",
    "tidy_city",
]

GAZETTEER = Path(__file__).parent / "gazetteer"
MAX_CITY_LENGTH = 100  # Person.city

# What people put in a location field that is not a place.
_NOT_PLACES = frozenset(
    {
        "remote", "fully remote", "remote first", "remote only", "100% remote", "worldwide", "anywhere",
        "anywhere in the world", "global", "globally", "hybrid", "home", "home office", "homeoffice",
        "work from home", "wfh", "on the road", "online", "virtual", "earth", "planet earth", "everywhere",
        "n/a", "none", "various", "multiple locations", "distributed", "international", "travelling",
        "traveling", "nomad", "digital nomad", "tbd", "unknown", "emea", "apac", "latam", "europe", "eu",
        "asia", "africa", "north america", "south america", "dach", "nordics", "benelux", "middle east",
        "on site", "onsite",
    }
)  # fmt: skip

# How LinkedIn and others name the area around a city: "Greater Paris Metropolitan Region",
# "San Francisco Bay Area", "Großraum München", "Berlin und Umgebung". Tried after the text whole.
_AREA_PREFIX = re.compile(
    r"^(greater|metro|grand|gran|grande|region de|großraum|grossraum|metropolregion|area metropolitana di"
    r"|area metropolitana de|region metropolitana de|regiao metropolitana de|ile de|agglomeration de) "
)
_AREA_SUFFIX = re.compile(
    r" (bay area|metropolitan region|metropolitan area|metro area|metroplex|area|region|metro|capital region"
    r"|und umgebung|e regiao|y alrededores|city area|metropolitan|urban area)$"
)
# Where a place's name ends and something else begins: "Berlin, Germany", "Berlin · Germany",
# "Berlin - Germany", "Berlin | Germany"; brackets hold a part too ("Remote (Germany)").
_PARTS = re.compile(r"\s*(?:[,;|·•()\[\]]|\s-\s|\s–\s|\s—\s)\s*")


@dataclass(frozen=True)
class City:
    name: str
    country: str


@dataclass(frozen=True)
class Place:
    """A city (the gazetteer's name, else as typed) and an ISO 3166-1 alpha-2 country code;
    either may be empty."""

    city: str = ""
    country: str = ""

    def __str__(self) -> str:
        return format_place(self.city, self.country)

    def __bool__(self) -> bool:
        return bool(self.city or self.country)


def _key(text: str) -> str:
    """Names compared without case, accents, dots, apostrophes or hyphens: "St. Louis" is "st louis",
    "Saint-Étienne" is "saint etienne"."""
    folded = fold(text).replace(".", "").replace("'", "").replace("’", "")
    return " ".join(folded.replace("-", " ").split())


@dataclass(frozen=True)
class _Gazetteer:
    country_names: dict[str, str]  # code -> name shown
    countries: dict[str, str]  # key -> code
    cities: dict[str, tuple[City, ...]]  # key -> cities of that name, the usual one first
    regions: dict[str, tuple[str, ...]]  # key -> codes of the countries with a region of that name


def _rows(name: str) -> list[tuple[str, str, list[str]]]:
    """(code, name, other names) of each line of a gazetteer file."""
    rows = []
    for line in (GAZETTEER / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, shown, *rest = line.split("\t")
        rows.append((code, shown, [alias for alias in (rest[0] if rest else "").split("|") if alias]))
    return rows


@cache
def _gazetteer() -> _Gazetteer:
    country_names: dict[str, str] = {}
    countries: dict[str, str] = {}
    for code, shown, aliases in _rows("countries.tsv"):
        country_names[code] = shown
        for alias in (shown, *aliases):
            countries.setdefault(_key(alias), code)
    cities: dict[str, list[City]] = {}
    for code, shown, aliases in _rows("cities.tsv"):
        city = City(shown, code)
        for alias in {_key(shown), *(_key(alias) for alias in aliases)}:
            cities.setdefault(alias, []).append(city)
    regions: dict[str, list[str]] = {}
    for code, shown, aliases in _rows("regions.tsv"):
        for alias in {_key(shown), *(_key(alias) for alias in aliases)}:
            if code not in regions.setdefault(alias, []):
                regions[alias].append(code)
    return _Gazetteer(
        country_names,
        countries,
        {key: tuple(found) for key, found in cities.items()},
        {key: tuple(found) for key, found in regions.items()},
    )


def country_name(code: str) -> str:
    """ "Germany" for "DE"; the code itself when it is not a country's."""
    return _gazetteer().country_names.get(code.upper(), code)


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country named, spelt or coded in ``text`` ("Germany",
    "Deutschland", "de", "DEU", "UK", "USA"), or "" when it names none."""
    cleaned = text.strip()
    if len(cleaned) == 2 and cleaned.isascii() and cleaned.isalpha() and cleaned.upper() in _gazetteer().country_names:
        return cleaned.upper()
    if len(cleaned) == 3 and cleaned.isalpha() and not cleaned.isupper():
        return ""  # alpha-3 codes only in capitals: "and", "can" and "per" are words, not countries
    return _gazetteer().countries.get(_key(cleaned), "")


def _lookup_city(key: str) -> tuple[City, ...]:
    cities = _gazetteer().cities
    if key in cities:
        return cities[key]
    bare = key
    while True:
        shorter = _AREA_SUFFIX.sub("", _AREA_PREFIX.sub("", bare))
        if shorter == bare:
            break
        bare = shorter
        if bare in cities:
            return cities[bare]
    # "Dallas-Fort Worth", "Berlin/Brandenburg", "Minneapolis & St. Paul": the first city named.
    first = re.split(r"\s*(?:/|&|\band\b|\bund\b)\s*", bare)[0]
    return cities.get(first, ()) if first != bare else ()


def known_city(text: str, country: str = "") -> City | None:
    """The gazetteer's city named in ``text`` ("München" is Munich, Germany), in ``country``
    when given, or None when the gazetteer does not know one."""
    found = _lookup_city(_key(text))
    if country:
        found = tuple(city for city in found if city.country == country.upper())
    return found[0] if found else None


def tidy_city(text: str) -> str:
    """A city the gazetteer does not know, as it will be stored and compared: whitespace collapsed,
    and "BERLIN" or "tübingen" in title case (a name typed in mixed case is kept as it is)."""
    cleaned = " ".join(text.split()).strip(" .")
    if cleaned.islower() or cleaned.isupper():
        cleaned = cleaned.title()
    return cleaned[:MAX_CITY_LENGTH]


def city_name(text: str, country: str = "") -> str:
    """The name a city is stored and filtered by: the gazetteer's when it knows the city (in
    ``country`` when given), else ``tidy_city``."""
    city = known_city(text, country)
    return city.name if city else tidy_city(text)


def _meanings(part: str) -> tuple[str, ...]:
    """The countries a part after the city may stand for: a country, or a state or province
    ("CA" is California before Canada; "ca" is Canada; "Georgia" is the country first)."""
    region = _gazetteer().regions.get(_key(part), ())
    country = country_code(part)
    countries = (country,) if country else ()
    if len(part) == 2 and part.isupper():
        return tuple(dict.fromkeys(region + countries))
    return tuple(dict.fromkeys(countries + region))


def _parts(text: str) -> list[str]:
    parts = [part for part in _PARTS.split(text) if part.strip()]
    return [part for part in parts if _key(part) not in _NOT_PLACES and fold(part) not in _NOT_PLACES]


def _one_part(part: str) -> Place:
    """A location of one name: a country (a city-state is both), a city, or a state."""
    code = country_code(part)
    if code:
        city = known_city(part, code)
        return Place(city.name if city else "", code)
    cities = _lookup_city(_key(part))
    if cities:
        return Place(cities[0].name, cities[0].country)
    regions = _gazetteer().regions.get(_key(part), ())
    return Place("", regions[0]) if regions else Place()


def parse_place(text: str) -> Place:
    """The city and country in a free-text location, as far as it says them.

    The first part names the city; the last part that names a country or a state says where it
    is, and picks among cities of the same name ("Cambridge, MA" is the one in the US).
    """
    parts = _parts(text)
    if not parts:
        return Place()
    if len(parts) == 1:
        return _one_part(parts[0])
    first, rest = parts[0], parts[1:]
    stated = next((meanings for meanings in map(_meanings, reversed(rest)) if meanings), ())
    cities = _lookup_city(_key(first))
    for code in stated:
        match = next((city for city in cities if city.country == code), None)
        if match:
            return Place(match.name, code)
    if not stated:
        return Place(cities[0].name, cities[0].country) if cities else Place()
    if country_code(first) or _gazetteer().regions.get(_key(first)) or _key(first) in _NOT_PLACES:
        return Place("", stated[0])  # "California, United States", "England, UK"
    return Place(tidy_city(first), stated[0])


def place_of(city: str = "", region: str = "", country: str = "") -> Place:
    """The place an address's parts give (a vCard's locality, region and country; a CSV's City,
    State and Country columns): the file's city is trusted even when the gazetteer does not know
    it, and the country may be a name or a code, or follow from the region or the city."""
    code = country_code(country) if country.strip() else ""
    if not code and region.strip():
        code = next(iter(_meanings(region.strip())), "")
    if not city.strip() or _key(city) in _NOT_PLACES:
        return Place("", code) if code else parse_place(country)
    known = known_city(city, code) if code else known_city(city)
    if known is not None:
        return Place(known.name, known.country)
    return Place(tidy_city(city), code)


def address_parts(location: str, city: str = "", country: str = "") -> tuple[str, str, str]:
    """The city, region and country fields of an address that holds a person's place, for the
    writers of vCards and CSV files. The location as typed when it splits into them and says the
    same place as ``city`` and ``country`` (a name), so that it reads back unchanged ("Cambridge,
    MA, USA" is Cambridge; MA; USA, "San Francisco Bay Area" all a city); else the city and
    country themselves."""
    pieces = location.strip().split(", ")
    if len(pieces) == 1 or not all(piece and piece == piece.strip() and not piece.endswith(",") for piece in pieces):
        split = (location.strip(), "", "")
    elif len(pieces) == 2:
        split = (pieces[0], "", pieces[1])
    else:
        split = (pieces[0], ", ".join(pieces[1:-1]), pieces[-1])
    if not (city or country) or (location.strip() and place_of(*split) == place_of(city, "", country)):
        return split
    return city, "", country


def place_words(location: str, city: str, country: str) -> list[str]:
    """What search reads of a place: the location as typed, the city, and the country's name
    (so "berlin" finds "Greater Berlin Area" and "germany" finds "München")."""
    return [location, city, country_name(country) if country else ""]


def format_place(city: str, country: str) -> str:
    """ "Berlin, Germany"; either alone ("Singapore" once, not twice); "" for neither."""
    name = country_name(country) if country else ""
    return ", ".join(dict.fromkeys(part for part in (city, name) if part))
