# ruff: noqa: F811  (the fixtures imported from twin are used as arguments)
"""The ledger over HTTP: gives, gets, asks, balances and links, the same JSON as `kithkin gave/got/
asked/asks/close-ask/balance/share/resources --json`."""

import pytest

from kithkin.api.tests.twin import api, cli, kithkin, owner  # noqa: F401
from kithkin.exchanges.models import Ask, Exchange, Resource
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def ana(owner):
    return make_person(owner, "Ana Ruiz", organization="Acme", closeness="close", interests=["fintech"])


def test_a_give_is_recorded_with_its_balance(api, ana):
    answer = api.post("/exchanges/gave", {"person": str(ana.pk), "what": "an intro to Bo", "kind": "intro"})
    assert answer.status_code == 201, answer.content
    given = answer.json()
    assert given["direction"] == "gave" and given["kind"] == "intro" and given["person"]["name"] == "Ana Ruiz"
    assert given["balance"]["gave"] == 1 and "added" not in given
    assert api.get(f"/exchanges/{given['id']}").json()["what"] == "an intro to Bo"


def test_help_received_is_what_got_gives_and_asks_thank_you(api, cli, ana):
    answer = api.post("/exchanges/got", {"person": "Ana Ruiz", "what": "advice on my CV", "kind": "advice"})
    assert answer.status_code == 201
    got = answer.json()
    assert [f["kind"] for f in got["follow_ups"]] == ["thank_you"]
    twin = cli("got", "Ana Ruiz", "more advice", "--kind", "advice")
    assert set(twin) == set(got) - {"added"}
    intro = api.post("/exchanges/got", {"person": "Ana Ruiz", "what": "met Bo", "to": "Bo Chen"}).json()
    assert intro["kind"] == "intro" and intro["added"] is True and intro["to_person"]["name"] == "Bo Chen"


def test_asks_are_listed_and_closed_as_the_cli_does(api, cli, ana):
    asked = api.post("/asks", {"person": "Ana", "what": "an intro to Globex"})
    assert asked.status_code == 201
    assert asked.json()["status"] == "open" and asked.json()["warning"] is None
    cli("asked", "Ana", "a reference")
    listed = api.get("/asks")
    assert listed.json() == cli("asks") and listed["X-Total-Count"] == "2"
    ask_id = asked.json()["id"]
    closed = api.post(f"/asks/{ask_id}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api.get("/asks", {"open": "true"}).json() == cli("asks", "--open")
    settled = api.post("/exchanges/got", {"person": "Ana", "what": "the reference", "settles": 999999})
    assert settled.status_code == 404 and settled.json()["field"] == "settles"


def test_balances_are_what_balance_gives(api, cli, ana):
    cli("gave", "Ana", "a lead", "--kind", "referral")
    cli("got", "Ana", "advice")
    assert api.get("/balance").json() == cli("balance")
    assert api.get("/balance", {"by": "month", "limit": 1}).json() == cli("balance", "--by", "month", "--limit", "1")
    assert api.get(f"/balance/{ana.pk}").json() == cli("balance", str(ana.pk))
    assert api.get("/balance", {"by": "week"}).status_code == 422


def test_links_are_saved_suggested_sent_and_listed(api, cli, ana):
    saved = api.post("/resources", {"url": "https://example.com/fintech", "topics": ["fintech"]})
    assert saved.status_code == 201, saved.content
    assert [c["person"]["name"] for c in saved.json()["candidates"]] == ["Ana Ruiz"]
    sent = api.post("/resources/share", {"url": "https://example.com/fintech", "to": ["Ana"]})
    assert sent.status_code == 201
    assert sent.json()["created"] is False and sent.json()["shares"][0]["person"]["id"] == ana.pk
    assert Exchange.objects.filter(person=ana, kind="resource").count() == 1
    page = api.get("/resources").json()
    assert page == cli("resources")
    resource_id = page[0]["id"]
    assert api.get(f"/resources/{resource_id}").json() == page[0]


def test_refusals_name_the_field_and_change_nothing(api, ana):
    refused = api.post("/exchanges/gave", {"person": "Ana", "what": "help", "kind": "bribe"})
    assert refused.status_code == 400 and refused.json()["field"] == "kind"
    when = api.post("/asks", {"person": "Ana", "what": "help", "on": "the twelfth of never"})
    assert when.status_code == 400 and when.json()["field"] == "on"
    nobody = api.post("/exchanges/gave", {"person": "Zed Nobody", "what": "help"})
    assert nobody.status_code == 404 and nobody.json()["field"] == "person"
    assert not Exchange.objects.exists() and not Ask.objects.exists()


def test_another_accounts_ledger_is_not_found(make_api, bob, api, ana):
    given = api.post("/exchanges/gave", {"person": "Ana", "what": "a lead"}).json()
    ask = api.post("/asks", {"person": "Ana", "what": "a lead"}).json()
    link = api.post("/resources", {"url": "https://example.com/a", "topics": ["x"]}).json()
    theirs = make_api(bob)
    assert theirs.get(f"/exchanges/{given['id']}").status_code == 404
    assert theirs.post(f"/asks/{ask['id']}/close").status_code == 404
    assert theirs.get(f"/balance/{ana.pk}").status_code == 404
    assert theirs.get(f"/resources/{link['resource']['id']}").status_code == 404
    assert theirs.post("/exchanges/gave", {"person": str(ana.pk), "what": "x"}).status_code == 404
    assert theirs.get("/asks").json() == []


def test_a_read_only_token_cannot_write_to_the_ledger(make_api, owner, ana):
    reader = make_api(owner, read_only=True)
    assert reader.get("/asks").status_code == 200
    assert reader.post("/exchanges/gave", {"person": "Ana", "what": "a lead"}).status_code == 403
    assert reader.post("/resources", {"url": "https://example.com/a"}).status_code == 403
    assert not Exchange.objects.exists() and not Resource.objects.exists()
