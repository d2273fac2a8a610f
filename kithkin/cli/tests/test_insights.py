"""`kithkin insights`: the Insights page's numbers, with circle counts that agree with `kithkin people`."""

import pytest

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.core.choices import Circle
from kithkin.network.tests.scenarios import three_ties
from kithkin.testing import make_person, make_user, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def me(kithkin):
    owner = get_or_create_local_owner()
    three_ties(owner)
    make_person(owner, "Ana Ruiz", circle="friend", organization="Acme")
    make_person(owner, "Bo Chen", circle="friend", is_prospect=True, why="Runs the fintech meetup")
    make_person(owner, "Cy Diaz", circle="client", closeness="inner", organization="Acme")
    return owner


def test_the_json_has_every_part_of_the_page(kithkin, me):
    found = run_json(kithkin, "insights")
    assert set(found) == {
        "at", "people", "prospects", "circles", "layers", "in_touch", "months", "discipline", "give_and_take",
        "touches_per_week", "strength", "organizations", "met",
    }  # fmt: skip
    assert (found["people"], found["prospects"]) == (5, 1)
    assert [layer["closeness"] for layer in found["layers"]] == ["inner", "close", "active", "wider", "acquaintance"]
    assert found["layers"][0] == {"closeness": "inner", "people": 1, "within": 1, "dunbar": 5, "verdict": "under by 4"}
    assert len(found["months"]) == 12 and found["months"][-1]["month"] == "2026-11"
    assert set(found["months"][-1]["by_closeness"]) == {"inner", "close", "active", "wider", "acquaintance"}
    assert found["in_touch"]["close"] == 0 and sum(found["in_touch"].values()) == 1  # the colleague
    assert set(found["discipline"][0]) == {"month", "thank_yous", "loops_closed", "check_ins"}
    assert len(found["touches_per_week"]) == 26 and found["touches_per_week"][-1]["week_of"] == "2026-11-16"
    assert len(found["strength"]["steps"]) == 10 and found["strength"]["steps"][0]["strength"] == "0-9"
    assert found["organizations"][0]["name"] == "Acme" and found["organizations"][0]["people"] == 2
    assert found["met"] == {"introduced": 0, "at_event": 0, "imported": 0, "by_hand": 5}


def test_each_circle_counts_what_kithkin_people_lists_for_it(kithkin, me):
    circles = {c["circle"]: c for c in run_json(kithkin, "insights")["circles"]}
    for circle in Circle.values:
        listed = run_json(kithkin, "people", "--circle", circle)
        assert circles[circle]["people"] == len(listed), circle
    assert (circles["friend"]["people"], circles["friend"]["prospects"]) == (3, 1)


def test_the_text_names_the_layers_and_the_strength(kithkin, me):
    code, out, err = kithkin("insights")
    assert (code, err) == (0, "")
    assert "5 people in your network, 1 you want to meet" in out
    assert "inner" in out and "vs   5: under by 4" in out
    assert "Organizations with the most people:" in out and "Acme: 2" in out
    assert "at risk" in out and "dormant" in out


def test_someone_elses_network_is_not_counted(kithkin, me, db):
    other = make_user("someone")
    three_ties(other)
    make_person(other, "Zed Hidden", circle="friend", organization="Secretcorp")
    found = run_json(kithkin, "insights")
    assert found["people"] == 5
    assert "Secretcorp" not in str(found)
