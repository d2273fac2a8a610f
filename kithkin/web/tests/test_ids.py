"""Ids out of range: a number too large to be an id, in a path, a query string or a form body, is
a 404 or a form error, never a 500 (SQLite raises OverflowError past a signed 64-bit integer)."""

import re

import pytest

from kithkin.core.errors import NotFound
from kithkin.core.refs import MAX_ID, parse_id, parse_ids, ref_id
from kithkin.people.services import find_person
from kithkin.web.tests.test_owner_sweep import LINKEDIN, PUBLIC, a_network, alices_ids_in_every_field, routes, url_with

pytestmark = pytest.mark.usefixtures("frozen")

TOO_LARGE = ["9" * 20, str(MAX_ID + 1)]
ROUTES = sorted(routes())
ID_IN_PATH = re.compile(r"<(?:id|int):\w+>")
ROUTES_WITH_IDS = [(name, path) for name, path in ROUTES if ID_IN_PATH.search(path)]


# Issue 13, item 5
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("12", 12), (" 12 ", 12), (12, 12), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 20, None)],
        *[("0", None), ("-1", None), ("1e3", None), ("²", None), ("١٢", None), ("", None), (None, None), (True, None)],
    ],
)
def test_one_id_parser_refuses_what_is_no_64_bit_id(value, expected):
    assert parse_id(value) == expected


# Issue 13, item 5
def test_a_list_of_ids_keeps_only_the_ids_and_a_reference_to_a_huge_id_finds_nothing(alice):
    assert parse_ids(["3", "9" * 20, "x", "4"]) == [3, 4]
    assert ref_id("#" + "9" * 20) == int("9" * 20)  # written as an id: never taken for a name
    with pytest.raises(NotFound, match=f"no person has id {'9' * 20}"):
        find_person(alice, "#" + "9" * 20)


# Issue 13, item 5
@pytest.mark.parametrize("too_large", TOO_LARGE)
@pytest.mark.parametrize(("name", "path"), ROUTES_WITH_IDS, ids=[name for name, _ in ROUTES_WITH_IDS])
def test_an_out_of_range_id_in_a_path_is_a_404(signed_in, name, path, too_large):
    url = "/" + ID_IN_PATH.sub(too_large, path.replace("<slug:section>", "about").replace("<str:token>", "x"))
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"name": "x"}).status_code == 404


def too_large_in_every_field(kind):
    """Every field of the web face that names an object by id (see the owner sweep), holding an id
    too large for the database; "#id or name" fields likewise."""
    fields = alices_ids_in_every_field(dict.fromkeys(("people", "other", *IDS_BY_PREFIX), 1), kind)
    huge = TOO_LARGE[0]
    for key, value in fields.items():
        if isinstance(value, list):
            fields[key] = [huge] * len(value)
        elif value == 1:
            fields[key] = huge
        elif value == "#1":
            fields[key] = f"#{huge}"
    return fields


IDS_BY_PREFIX = (
    "ledger/asks", "ledger/resources", "introductions", "events", "goals", "milestones", "follow-ups", "touches", "imports",
    "connections/calendars",
)  # fmt: skip
SENT = [(name, path) for name, path in ROUTES if name not in PUBLIC]


# Issue 13, item 5
@pytest.mark.parametrize(("name", "path"), SENT, ids=[name for name, _ in SENT])
def test_an_out_of_range_id_in_a_query_string_or_form_body_is_never_a_500(signed_in, alice, name, path):
    mine = a_network(alice, "Ana Ruiz", "Grace Hopper", "Mine", LINKEDIN)
    url = url_with(path, mine)
    for method, kind in (("get", "advice"), ("post", "advice"), ("post", "coffee")):
        response = getattr(signed_in, method)(url, too_large_in_every_field(kind))
        code = response.status_code
        assert code in {200, 302} or 400 <= code < 500, (method, code)
