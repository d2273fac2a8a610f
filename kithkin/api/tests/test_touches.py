"""Touches over HTTP: logging one answers as `kithkin log --json`; the list and a person's
timeline, newest first, a page at a time; another account's touches are 404."""

import json

import pytest

from kithkin.api.tests.scene import small_network
from kithkin.interactions.models import Touch
from kithkin.testing import run_json

pytestmark = pytest.mark.usefixtures("frozen")


def test_logging_a_touch_answers_as_the_command_line_does(make_api, me, kithkin):
    scene = small_network(me)
    answer = make_api(me).post("/touches", {"kind": "meal", "people": [str(scene.ana.pk)], "at": "yesterday 8pm"})
    assert answer.status_code == 201, answer.content
    logged = answer.json()
    by_cli = run_json(kithkin, "log", "meal", str(scene.ana.pk), "--at", "yesterday 8pm")
    assert logged["id"] != by_cli["id"]
    assert {**logged, "id": 0, "follow_ups": []} == {**by_cli, "id": 0, "follow_ups": []}
    assert [f["reason"] for f in logged["follow_ups"]] == [f["reason"] for f in by_cli["follow_ups"]]
    assert logged["follow_ups"][0]["kind"] == "thank_you"
    assert logged["participants"] == [{"id": scene.ana.pk, "name": "Ana Ruiz"}]


def test_a_touch_through_an_introducer_thanks_them(api, alice):
    scene = small_network(alice)
    answer = api.post("/touches", {"kind": "coffee", "people": ["Dee Park"], "introduced_by": "Ana Ruiz"})
    assert answer.status_code == 201, answer.content
    assert any(f["person"]["id"] == scene.ana.pk for f in answer.json()["follow_ups"])


def test_refused_touches_name_the_field_and_change_nothing(api, alice):
    small_network(alice)
    before = Touch.objects.filter(owner=alice).count()
    bad_kind = api.post("/touches", {"kind": "telepathy", "people": ["Ana Ruiz"]})
    assert bad_kind.status_code == 400 and bad_kind.json()["field"] == "kind"
    nobody = api.post("/touches", {"kind": "call", "people": ["Nobody At All"]})
    assert nobody.status_code == 404 and nobody.json()["field"] == "people"
    assert api.post("/touches", {"kind": "call", "people": []}).status_code == 422
    bad_when = api.post("/touches", {"kind": "call", "people": ["Ana Ruiz"], "at": "the twelfth of never"})
    assert bad_when.status_code == 400 and bad_when.json()["field"] == "at"
    assert Touch.objects.filter(owner=alice).count() == before


def test_the_list_is_newest_first_and_filters(api, alice):
    scene = small_network(alice)
    answer = api.get("/touches", {"limit": 3})
    page = answer.json()
    assert int(answer["X-Total-Count"]) == Touch.objects.filter(owner=alice).count() > 3
    assert len(page) == 3 and 'rel="next"' in answer["Link"]
    assert page[0]["id"] == scene.touch.pk
    times = [t["happened_at"] for t in api.get("/touches", {"limit": 500}).json()]
    assert times == sorted(times, reverse=True)
    calls = api.get("/touches", {"kind": "call"})
    assert {t["participants"][0]["name"] for t in calls.json()} == {"Cy Ng"} and calls["X-Total-Count"] == "20"
    assert api.get("/touches", {"person": scene.cy.pk})["X-Total-Count"] == "20"
    assert api.get("/touches", {"since": "2026-11-01"})["X-Total-Count"] == "1"
    assert api.get("/touches", {"kind": "telepathy"}).json()["field"] == "kind"


def test_a_persons_timeline_is_what_show_lists(api, alice):
    from kithkin.network.serialize import person_profile_data

    scene = small_network(alice)
    answer = api.get(f"/people/{scene.ana.pk}/touches", {"limit": 4})
    shown = json.loads(json.dumps(person_profile_data(alice, scene.ana.pk)))["touches"]
    assert int(answer["X-Total-Count"]) == len(shown) == 6
    assert answer.json() == shown[:4]
    rest = api.get(f"/people/{scene.ana.pk}/touches", {"limit": 4, "offset": 4})
    assert rest.json() == shown[4:] and 'rel="next"' not in rest["Link"]
    assert api.get(f"/touches/{scene.touch.pk}").json() == shown[0]


def test_another_accounts_touches_are_not_found(make_api, alice, bob):
    scene = small_network(alice)
    theirs = make_api(bob)
    assert theirs.get(f"/touches/{scene.touch.pk}").status_code == 404
    assert theirs.get(f"/people/{scene.ana.pk}/touches").status_code == 404
    assert theirs.get("/touches").json() == []
    assert theirs.get("/touches", {"person": scene.ana.pk}).json() == []
    refused = theirs.post("/touches", {"kind": "call", "people": [str(scene.ana.pk)]})
    assert refused.status_code == 404
    assert Touch.objects.filter(owner=bob).count() == 0


def test_a_read_only_token_cannot_log_a_touch(make_api, alice):
    scene = small_network(alice)
    reader = make_api(alice, read_only=True)
    assert reader.get("/touches").status_code == 200
    refused = reader.post("/touches", {"kind": "call", "people": [str(scene.ana.pk)]})
    assert refused.status_code == 403
    assert not Touch.objects.filter(owner=alice, kind="call", participants__person=scene.ana).exists()


def test_a_page_of_touches_costs_the_same_queries_however_long(api, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kithkin.testing import make_person, make_touch

    scene = small_network(alice)
    pages = ["/touches", f"/people/{scene.ana.pk}/touches"]
    api.get(pages[0])  # the token's first use is recorded once

    def queries(path: str, limit: int) -> int:
        with CaptureQueriesContext(connection) as done:
            assert len(api.get(path, {"limit": limit}).json()) == limit
        return len(done.captured_queries)

    few = [queries(path, 2) for path in pages]
    for n in range(20):
        make_touch(alice, [scene.ana, make_person(alice, f"Person {n}")], "call")
    assert [queries(path, 25) for path in pages] == few
