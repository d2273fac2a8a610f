"""`kithkin graph`: the same graph as the Graph page, through the command line."""

from datetime import date

import pytest

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.network.models import Tie
from kithkin.testing import NOW, make_person, make_touch, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def me(kithkin):
    me = get_or_create_local_owner()
    ana = make_person(me, "Ana Ruiz", circle="friend")
    bo = make_person(me, "Bo Chen", circle="colleague", organization="Acme")
    make_person(me, "Cy Diaz", circle="colleague", organization="Acme")
    make_touch(me, ana, "coffee")
    first, second = sorted([ana, bo], key=lambda p: p.pk)
    day = date(2026, 11, 1)
    Tie.objects.create(
        owner=me, first=first, second=second, weight=4, first_day=day, last_day=day, kinds="touch", computed_at=NOW
    )
    return me


def test_the_json_lists_you_the_strongest_people_and_their_ties(kithkin, me):
    found = run_json(kithkin, "graph", "--limit", "2")
    assert [n["name"] for n in found["nodes"][1:]] == ["Ana Ruiz", "Bo Chen"]
    assert [e["kind"] for e in found["edges"]] == ["you", "you", "tie"]
    assert found["clusters"] == [
        {"key": "circle:colleague", "label": "colleague", "count": 1, "filters": {"circle": "colleague"}}
    ]


def test_the_text_says_who_knows_whom_and_what_is_folded_away(kithkin, me):
    code, out, _err = kithkin("graph", "--circle", "colleague", "--limit", "1")
    assert code == 0
    assert "Bo Chen" in out and "Not shown, by organization:" in out and "Acme: 1" in out


def test_an_unknown_circle_is_refused_naming_the_option(kithkin, me):
    code, _out, err = kithkin("graph", "--circle", "rivals")
    assert code == 1 and "--circle" in err
