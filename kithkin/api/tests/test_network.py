"""The network over HTTP: a tie's strength, Rekindle, warm paths and asking for the introduction,
asking the network, and suggested introductions, each as the command line's --json gives them."""

import pytest

from kithkin.api.tests.scene import small_network
from kithkin.exchanges.models import Ask
from kithkin.testing import run_json

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_ties_strength_is_what_show_says(make_api, me, kithkin):
    scene = small_network(me)
    tie = make_api(me).get(f"/people/{scene.ana.pk}/strength").json()
    shown = run_json(kithkin, "show", str(scene.ana.pk))
    assert tie["person"] == {"id": scene.ana.pk, "name": "Ana Ruiz"}
    assert {k: tie[k] for k in ("strength", "trend", "status", "strength_why")} == {
        k: shown[k] for k in ("strength", "trend", "status", "strength_why")
    }
    assert tie["silence_days"] == 7 and tie["strength"] > 0


def test_rekindle_suggest_and_ask_are_what_the_command_line_gives(make_api, me, kithkin):
    small_network(me)
    api = make_api(me)
    rekindled = api.get("/rekindle", {"limit": 5}).json()
    assert rekindled == run_json(kithkin, "rekindle", "--limit", "5")
    assert "Cy Ng" in [c["person"]["name"] for c in rekindled]
    suggested = api.get("/suggestions").json()
    assert suggested == run_json(kithkin, "suggest")
    assert suggested[0]["person"]["name"] == "Cy Ng" and suggested[0]["helper"]["name"] == "Dee Park"
    answer = api.get("/ask", {"question": "who knows fintech"}).json()
    assert answer == run_json(kithkin, "ask", "who knows fintech")
    assert [p["name"] for p in answer["people"]] == ["Ana Ruiz"]


def test_warm_paths_to_a_person_or_an_organization(make_api, me, kithkin):
    scene = small_network(me)
    api = make_api(me)
    to_bo = api.get("/paths", {"person": "Bo Lindqvist"}).json()
    assert to_bo == run_json(kithkin, "path", "Bo Lindqvist")
    assert to_bo[0]["introducer"] == {"id": scene.ana.pk, "name": "Ana Ruiz"}
    into_stripe = api.get("/paths", {"organization": "stripe"}).json()
    assert into_stripe == run_json(kithkin, "path", "--org", "stripe")
    neither = api.get("/paths")
    assert neither.status_code == 400 and neither.json()["field"] == "person"
    assert api.get("/paths", {"organization": "Initech"}).status_code == 404


def test_asking_for_the_introduction_logs_the_ask_and_drafts_the_message(make_api, me):
    scene = small_network(me)
    asked = make_api(me).post("/paths/ask", {"introducer": "Ana Ruiz", "person": str(scene.bo.pk)})
    assert asked.status_code == 201, asked.content
    data = asked.json()
    assert data["ask"]["person"] == scene.ana.pk and data["ask"]["status"] == "open"
    assert data["draft"]["to"] == ["ana@acme.example"] and "Bo Lindqvist" in data["draft"]["body"]
    assert Ask.objects.get(pk=data["ask"]["id"]).what == "an introduction to Bo Lindqvist"


def test_another_accounts_network_is_not_found_nor_shown(make_api, alice, bob):
    scene = small_network(alice)
    theirs = make_api(bob)
    assert theirs.get(f"/people/{scene.ana.pk}/strength").status_code == 404
    assert theirs.get("/paths", {"person": str(scene.bo.pk)}).status_code == 404
    assert theirs.get("/paths", {"organization": "Stripe"}).status_code == 404
    asked = theirs.post("/paths/ask", {"introducer": str(scene.ana.pk), "person": str(scene.bo.pk)})
    assert asked.status_code == 404
    assert theirs.get("/rekindle").json() == [] and theirs.get("/suggestions").json() == []
    assert theirs.get("/ask", {"question": "who knows fintech"}).json()["people"] == []
    assert not Ask.objects.exists()


def test_a_read_only_token_cannot_ask_for_an_introduction(make_api, alice):
    scene = small_network(alice)
    reader = make_api(alice, read_only=True)
    assert reader.get("/paths", {"person": str(scene.bo.pk)}).status_code == 200
    refused = reader.post("/paths/ask", {"introducer": "Ana Ruiz", "person": str(scene.bo.pk)})
    assert refused.status_code == 403 and not Ask.objects.exists()
