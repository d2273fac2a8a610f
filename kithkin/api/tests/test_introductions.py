# ruff: noqa: F811  (the fixtures imported from twin are used as arguments)
"""Introductions over HTTP: the same JSON as `kithkin intro propose/list/show/step/templates --json`."""

import pytest

from kithkin.api.tests.twin import api, cli, kithkin, owner  # noqa: F401
from kithkin.introductions.models import Introduction
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def pair(owner):
    return (
        make_person(owner, "Ana Ruiz", emails=["ana@acme.example"]),
        make_person(owner, "Bo Chen", emails=["bo@globex.example"]),
    )


def test_an_introduction_is_proposed_shown_and_stepped(api, cli, pair):
    answer = api.post("/introductions", {"a": "Ana", "b": "Bo", "why": "both build payment systems"})
    assert answer.status_code == 201, answer.content
    intro = answer.json()
    assert intro["state"] == "proposed" and intro["draft"]["kind"] == "ask_a"
    assert api.get(f"/introductions/{intro['id']}").json() == cli("intro", "show", str(intro["id"]))
    stepped = api.post(f"/introductions/{intro['id']}/steps", {"action": "ask-a"})
    assert stepped.status_code == 200
    assert stepped.json()["state"] == "asked_a" and "follow_ups_created" in stepped.json()
    assert api.get("/introductions").json() == cli("intro", "list")
    assert api.get("/introductions", {"state": "closed"}).json() == []


def test_a_step_the_state_does_not_allow_is_refused_on_action(api, pair):
    intro = api.post("/introductions", {"a": "Ana", "b": "Bo", "why": "x"}).json()
    refused = api.post(f"/introductions/{intro['id']}/steps", {"action": "introduce"})
    assert refused.status_code == 400 and refused.json()["field"] == "action"
    assert Introduction.objects.get(pk=intro["id"]).state == "proposed"
    bad_state = api.get("/introductions", {"state": "sideways"})
    assert bad_state.status_code == 400 and bad_state.json()["field"] == "state"


def test_the_templates_are_read_and_changed(api, cli):
    assert api.get("/introductions/templates").json() == cli("intro", "templates")
    changed = api.send("PUT", "/introductions/templates", {"ask_a": "Subject: Hi {a_first}\n\nMeet {b}? {why}"})
    assert changed.status_code == 200
    assert changed.json()["templates"]["ask_a"]["is_default"] is False
    assert changed.json() == cli("intro", "templates")


def test_another_accounts_introduction_is_not_found(make_api, bob, api, pair):
    intro = api.post("/introductions", {"a": "Ana", "b": "Bo", "why": "x"}).json()
    theirs = make_api(bob)
    assert theirs.get(f"/introductions/{intro['id']}").status_code == 404
    assert theirs.post(f"/introductions/{intro['id']}/steps", {"action": "ask-a"}).status_code == 404
    assert theirs.get("/introductions").json() == []


def test_a_read_only_token_cannot_propose_or_step(make_api, owner, api, pair):
    intro = api.post("/introductions", {"a": "Ana", "b": "Bo", "why": "x"}).json()
    reader = make_api(owner, read_only=True)
    assert reader.post("/introductions", {"a": "Ana", "b": "Bo", "why": "x"}).status_code == 403
    assert reader.post(f"/introductions/{intro['id']}/steps", {"action": "ask-a"}).status_code == 403
    assert Introduction.objects.get(pk=intro["id"]).state == "proposed"
