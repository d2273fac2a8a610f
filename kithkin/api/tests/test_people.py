"""People over HTTP: the same data as the CLI's --json, tokens, problems, pages, idempotency."""

import json

import pytest

from kithkin.api.main import api as ninja_api
from kithkin.core import clock
from kithkin.network.serialize import people_data, person_profile_data
from kithkin.network.services import list_people
from kithkin.people.models import Person
from kithkin.testing import make_person, make_touch


@pytest.fixture
def network(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", closeness="close", emails=["ana@acme.example"])
    make_person(alice, "Bruno Díaz", organization="Globex", closeness="active")
    make_person(alice, "Carla Acosta", organization="Acme", interests=["fintech"])
    make_touch(alice, ana)
    return ana


def test_a_token_is_needed_and_a_bad_one_refused(make_api, network):
    answer = make_api(None).get("/people")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["WWW-Authenticate"].startswith("Bearer")
    bad = make_api(None)
    bad.secret = "kk_not-a-token"
    assert bad.get("/people").status_code == 401


def test_the_list_is_what_the_cli_lists(api, alice, network):
    answer = api.get("/people", {"search": "acme"})
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store, private"
    page = answer.json()
    expected = people_data(alice, list_people(alice, now=clock.now(), search="acme"))
    assert page == json.loads(json.dumps(expected))
    assert [p["name"] for p in page] == ["Ana Ruiz", "Carla Acosta"]
    assert answer["X-Total-Count"] == "2" and "Link" not in answer
    assert "prospect_status" not in page[0]


def test_pages_follow_one_another_without_repeats(api, alice, network):
    for n in range(7):
        make_person(alice, f"Person {n}")
    first = api.get("/people", {"limit": 4})
    assert first["X-Total-Count"] == "10"
    assert first["Link"] == '<http://127.0.0.1/api/v1/people?limit=4&offset=4>; rel="next"'
    second = api.get("/people", {"limit": 4, "offset": 4})
    assert 'rel="next"' in second["Link"] and 'offset=0>; rel="prev"' in second["Link"]
    third = api.get("/people", {"limit": 4, "offset": 8})
    assert third["Link"] == '<http://127.0.0.1/api/v1/people?limit=4&offset=4>; rel="prev"'
    seen = [p["id"] for answer in (first, second, third) for p in answer.json()]
    assert len(seen) == len(set(seen)) == 10


def test_another_accounts_token_sees_none_of_these_people(make_api, bob, network):
    theirs = make_api(bob)
    assert theirs.get("/people").json() == []
    assert theirs.get(f"/people/{network.pk}").status_code == 404
    assert theirs.patch(f"/people/{network.pk}", {"title": "CEO"}).status_code == 404


def test_one_person_is_what_show_gives(api, alice, network):
    answer = api.get(f"/people/{network.pk}")
    assert answer.status_code == 200
    assert answer.json() == json.loads(json.dumps(person_profile_data(alice, network.pk)))
    assert answer.json()["touches"][0]["kind"] == "coffee"
    assert api.get("/people/999999").status_code == 404


def test_add_edit_and_want(api, alice, network):
    added = api.post("/people", {"name": "Dana Lee", "organization": "Initech", "closeness": "close"})
    assert added.status_code == 201, added.content
    dana = added.json()
    assert dana["organization"] == "Initech" and dana["cadence_days"] == 30
    edited = api.patch(f"/people/{dana['id']}", {"title": "CTO", "interests": ["rust"]})
    assert edited.status_code == 200
    assert edited.json()["title"] == "CTO" and edited.json()["interests"] == ["rust"]
    wanted = api.post("/people/want", {"name": "Eve Kim", "why": "runs the meetup"})
    assert wanted.status_code == 201 and wanted.json()["is_prospect"] is True


def test_refused_values_are_problems_naming_the_field(api, alice):
    answer = api.post("/people", {"name": "Dana Lee", "closeness": "bestie"})
    assert answer.status_code == 400
    problem = answer.json()
    assert answer["Content-Type"] == "application/problem+json"
    assert problem["field"] == "closeness" and problem["status"] == 400
    assert not Person.objects.filter(owner=alice).exists()
    invalid = api.get("/people", {"limit": 0})
    assert invalid.status_code == 422 and invalid.json()["field"] == "limit"
    missing = api.post("/people", {})
    assert missing.status_code == 422 and missing.json()["field"] == "name"


def test_a_read_only_token_reads_and_never_writes(make_api, alice, network):
    reader = make_api(alice, read_only=True)
    assert reader.get("/people").status_code == 200
    refused = reader.post("/people", {"name": "Dana Lee"})
    assert refused.status_code == 403
    assert refused.json()["title"] == "Read-only token"
    assert not Person.objects.filter(owner=alice, full_name="Dana Lee").exists()


def test_an_idempotency_key_makes_a_second_send_harmless(api, alice):
    first = api.post("/people", {"name": "Dana Lee"}, **{"Idempotency-Key": "abc"})
    again = api.post("/people", {"name": "Dana Lee"}, **{"Idempotency-Key": "abc"})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(owner=alice, full_name="Dana Lee").count() == 1
    other = api.post("/people", {"name": "Someone Else"}, **{"Idempotency-Key": "abc"})
    assert other.status_code == 422 and other.json()["field"] == "Idempotency-Key"
    refused = api.post("/people", {"name": "X", "closeness": "bestie"}, **{"Idempotency-Key": "k2"})
    assert refused.status_code == 400
    fixed = api.post("/people", {"name": "X", "closeness": "bestie"}, **{"Idempotency-Key": "k2"})
    assert fixed.status_code == 400  # a refused request kept nothing: it is tried again


def test_too_many_requests_get_429_with_retry_after(api, monkeypatch, network):
    throttle = ninja_api.throttle[0]
    monkeypatch.setattr(throttle, "num_requests", 2)
    assert api.get("/people").status_code == 200
    assert api.get("/people").status_code == 200
    refused = api.get("/people")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["title"] == "Too many requests"
