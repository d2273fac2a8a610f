"""`kithkin rekindle`: the issue's acceptance through the command line, and acting from the list."""

import pytest

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.network.tests.scenarios import three_ties
from kithkin.testing import make_person, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def me(kithkin):
    return get_or_create_local_owner()


@pytest.fixture
def three(me):
    return three_ties(me)


def test_the_quiet_friend_is_first_with_an_opener_about_coffees_and_the_active_colleague_is_absent(kithkin, three):
    found = run_json(kithkin, "rekindle")
    assert found[0]["person"]["name"] == "Fran Ortega"
    assert "coffees" in found[0]["opener"]
    assert found[0]["status"] in {"at_risk", "dormant"}
    assert found[0]["mailto"].startswith("mailto:?subject=")
    assert "Cole Baptiste" not in [c["person"]["name"] for c in found]
    assert set(found[0]) >= {"strength", "trend", "silence_days", "score", "reasons", "subject", "body"}


def test_logging_a_coffee_with_the_friend_today_takes_them_off(kithkin, three):
    code, _out, err = kithkin("log", "coffee", "Fran Ortega")
    assert (code, err) == (0, "")
    assert "Fran Ortega" not in [c["person"]["name"] for c in run_json(kithkin, "rekindle")]


@pytest.mark.parametrize("action", [["reached-out"], ["snooze"], ["let-go"], ["snooze", "--until", "in 2 weeks"]])
def test_acting_from_the_list_takes_them_off(kithkin, three, action):
    verb, *options = action
    code, out, err = kithkin("rekindle", verb, "Fran Ortega", *options)
    assert (code, err) == (0, ""), err
    assert "Fran Ortega" in out
    assert "Fran Ortega" not in [c["person"]["name"] for c in run_json(kithkin, "rekindle")]


def test_keep_brings_back_someone_let_go(kithkin, three):
    kithkin("rekindle", "let-go", "Fran")
    code, _out, _err = kithkin("rekindle", "keep", "Fran")
    assert code == 0
    assert run_json(kithkin, "rekindle")[0]["person"]["name"] == "Fran Ortega"


def test_the_text_list_shows_status_strength_silence_reasons_and_the_opener_indented(kithkin, three):
    code, out, _err = kithkin("rekindle", "--limit", "1")
    assert code == 0
    first, *rest = out.splitlines()
    assert first.startswith("Fran Ortega (#") and "strength" in first and "quiet for 4 months" in first
    assert any(line.startswith("  why: ") for line in rest)
    assert "    Hi Fran," in rest


def test_someone_else_s_person_is_not_found(kithkin, alice):
    other = make_person(alice, "Ana Secret")
    code, out, err = kithkin("rekindle", "let-go", str(other.pk))
    assert code == 1 and out == ""
    assert err.startswith("kithkin: error:")


def test_an_empty_list_says_so_in_a_sentence(kithkin, me):
    code, out, _err = kithkin("rekindle")
    assert code == 0 and out.startswith("No quiet ties to revive")
