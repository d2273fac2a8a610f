# ruff: noqa: F811  (the fixtures imported from twin are used as arguments)
"""Goals over HTTP: the same JSON as `kithkin goal add/list/show/done --json`."""

import pytest

from kithkin.api.tests.twin import api, cli, kithkin, owner  # noqa: F401
from kithkin.goals.models import Goal
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def ana(owner):
    return make_person(owner, "Ana Ruiz", organization="Acme", closeness="close")


def test_a_goal_is_added_shown_listed_and_achieved(api, cli, ana):
    answer = api.post(
        "/goals", {"text": "A way into Acme", "target_organizations": ["Acme"], "target_people": ["Eve Stone"]}
    )
    assert answer.status_code == 201, answer.content
    goal = answer.json()
    assert goal["target_organizations"][0]["people"][0]["name"] == "Ana Ruiz"
    assert "Eve Stone" in [p["name"] for p in goal["target_people"] + goal["prospects"]]
    assert api.get(f"/goals/{goal['id']}").json() == cli("goal", "show", str(goal["id"]))
    assert api.get("/goals").json() == cli("goal", "list")
    done = api.post(f"/goals/{goal['id']}/done")
    assert done.status_code == 200 and done.json()["is_open"] is False
    assert api.get("/goals").json() == []
    assert api.get("/goals", {"all": "true"}).json() == cli("goal", "list", "--all")


def test_refusals_name_the_field_and_change_nothing(api, ana):
    unknown = api.post("/goals", {"text": "Into Acme", "target_people": ["nobody@example.com"]})
    assert unknown.status_code == 404 and unknown.json()["field"] == "target_people"
    empty = api.post("/goals", {"text": ""})
    assert empty.status_code == 422 and empty.json()["field"] == "text"
    assert not Goal.objects.exists()


def test_another_accounts_goal_is_not_found_and_a_reader_cannot_write(make_api, bob, owner, api, ana):
    goal = api.post("/goals", {"text": "Into Acme"}).json()
    theirs = make_api(bob)
    assert theirs.get(f"/goals/{goal['id']}").status_code == 404
    assert theirs.post(f"/goals/{goal['id']}/done").status_code == 404
    reader = make_api(owner, read_only=True)
    assert reader.post(f"/goals/{goal['id']}/done").status_code == 403
    assert reader.post("/goals", {"text": "Another"}).status_code == 403
    assert Goal.objects.get().achieved_at is None
