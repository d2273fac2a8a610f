# ruff: noqa: F811  (the fixtures imported from twin are used as arguments)
"""Events over HTTP: the same JSON as `kithkin event add/list/show/met/review/gave/got/asked --json`."""

import pytest

from kithkin.api.tests.twin import api, cli, kithkin, owner  # noqa: F401
from kithkin.events.models import Event
from kithkin.interactions.models import Touch
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def ana(owner):
    return make_person(owner, "Ana Ruiz", organization="Acme")


def test_an_event_is_planned_with_the_people_to_meet(api, ana):
    answer = api.post(
        "/events",
        {"name": "Fintech Drinks", "on": "friday 6pm", "goal": "meet two founders", "hope_to_meet": ["Ana", "Cy Park"]},
    )
    assert answer.status_code == 201, answer.content
    event = answer.json()
    assert [p["name"] for p in event["hope_to_meet"]] == ["Ana Ruiz", "Cy Park"]
    assert [p["name"] for p in event["added_to_meet"]] == ["Cy Park"]
    assert event["is_past"] is False and "figures" not in event


def test_whom_you_met_the_review_and_the_list_are_what_the_cli_gives(api, cli, ana):
    event = api.post("/events", {"name": "Breakfast", "on": "yesterday 8:30"}).json()
    met = api.post(f"/events/{event['id']}/met", {"people": ["Ana", "Dee Noor"]})
    assert met.status_code == 201, met.content
    assert [p["is_new"] for p in met.json()["met"]] == [False, True]
    assert [f["kind"] for f in met.json()["follow_ups"]] == ["thank_you", "thank_you"]
    reviewed = api.post(f"/events/{event['id']}/review", {"verdict": "good crowd", "worth": True})
    assert reviewed.status_code == 200 and reviewed.json()["is_worth_again"] is True
    helped = api.post(f"/events/{event['id']}/got", {"person": "Ana", "what": "a lead", "kind": "referral"})
    assert helped.status_code == 201 and helped.json()["event"]["id"] == event["id"]
    assert api.get(f"/events/{event['id']}").json() == cli("event", "show", str(event["id"]))
    cli("event", "add", "Meetup", "--on", "next tuesday")
    assert api.get("/events").json() == cli("event", "list")
    assert api.get("/events", {"past": "true"}).json() == cli("event", "list", "--past")
    assert api.get("/events", {"limit": 1, "offset": 1}).json() == cli("event", "list")[1:2]


def test_refusals_name_the_field_and_change_nothing(api, ana):
    bad = api.post("/events", {"name": "Drinks", "on": "someday maybe"})
    assert bad.status_code == 400 and bad.json()["field"] == "on"
    upcoming = api.post("/events", {"name": "Later", "on": "next friday"}).json()
    early = api.post(f"/events/{upcoming['id']}/review", {"verdict": "great"})
    assert early.status_code == 400 and early.json()["field"] == "verdict"
    assert Event.objects.get(pk=upcoming["id"]).verdict == ""


def test_an_event_is_forgotten_and_its_touches_stay(api, ana):
    event = api.post("/events", {"name": "Breakfast", "on": "yesterday 8:30"}).json()
    api.post(f"/events/{event['id']}/met", {"people": ["Ana"]})
    gone = api.send("DELETE", f"/events/{event['id']}")
    assert gone.status_code == 204
    assert not Event.objects.filter(pk=event["id"]).exists() and Touch.objects.count() == 1


def test_another_accounts_event_is_not_found(make_api, bob, api, ana):
    event = api.post("/events", {"name": "Breakfast", "on": "yesterday 8:30"}).json()
    theirs = make_api(bob)
    assert theirs.get(f"/events/{event['id']}").status_code == 404
    assert theirs.post(f"/events/{event['id']}/met", {"people": ["Someone"]}).status_code == 404
    assert theirs.send("DELETE", f"/events/{event['id']}").status_code == 404
    assert theirs.get("/events").json() == []


def test_a_read_only_token_cannot_plan_or_record(make_api, owner, api, ana):
    event = api.post("/events", {"name": "Breakfast", "on": "yesterday 8:30"}).json()
    reader = make_api(owner, read_only=True)
    assert reader.get(f"/events/{event['id']}").status_code == 200
    assert reader.post("/events", {"name": "X", "on": "friday"}).status_code == 403
    assert reader.post(f"/events/{event['id']}/met", {"people": ["Ana"]}).status_code == 403
    assert reader.send("DELETE", f"/events/{event['id']}").status_code == 403
    assert Touch.objects.count() == 0 and Event.objects.count() == 1
