"""The agent's tools and resources, called through the MCP SDK's own client connected to the server
in-process: their answers have the CLI's ``--json`` shapes, their writes go through the services."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError
from mcp_types import INVALID_PARAMS

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.exchanges.models import Exchange
from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder
from kithkin.introductions.models import Introduction
from kithkin.mcp.agent import Caller, build_agent
from kithkin.network.ties import record_tie
from kithkin.testing import make_person, make_touch, run_json


def call(user, name: str, arguments: dict[str, Any], *, may_write: bool = True) -> Any:
    """One tool call as ``user``: its structured answer, or the error's text."""

    async def run():
        async with Client(build_agent(lambda request: Caller(user, may_write))) as client:
            result = await client.call_tool(name, arguments)
            if result.is_error:
                return result.content[0].text
            return result.structured_content

    return anyio.run(run)


def read(user, uri: str) -> Any:
    async def run():
        async with Client(build_agent(lambda request: Caller(user, True))) as client:
            return json.loads((await client.read_resource(uri)).contents[0].text)

    return anyio.run(run)


@pytest.fixture
def owner(transactional_db, kithkin):
    return get_or_create_local_owner()


def test_a_person_and_the_people_found_have_the_shapes_of_the_clis_json(owner, kithkin):
    ana = make_person(owner, "Ana Ruiz", organization="Acme", title="CTO")
    make_touch(owner, ana, "coffee")

    shown = call(owner, "show_person", {"person": "Ana Ruiz"})
    by_cli = run_json(kithkin, "show", str(ana.pk))
    assert shown.pop("touch_count") == 1
    assert shown == by_cli
    assert read(owner, f"kithkin://people/{ana.pk}") == shown | {"touch_count": 1}

    found = call(owner, "find_people", {"search": "acme"})
    assert found == {"total": 1, "people": run_json(kithkin, "people", "--search", "acme")}


def test_an_agent_gives_thanks_introduces_and_follows_up_through_the_services(owner):
    ana, ben, cleo = (make_person(owner, name) for name in ("Ana Ruiz", "Ben Bauer", "Cleo Diaz"))
    make_touch(owner, [ana, ben], "meeting")
    record_tie(owner, ana, cleo, "former colleagues")

    got = call(
        owner, "record_exchange", {"direction": "got", "person": "Ana Ruiz", "what": "a referral", "kind": "referral"}
    )
    gave = call(
        owner, "record_exchange", {"direction": "gave", "person": "Ben", "what": "an article", "kind": "resource"}
    )
    assert [f["kind"] for f in got["follow_ups"]] == ["thank_you"] and got["balance"]["got"] == 1
    assert gave["direction"] == "gave" and Exchange.objects.filter(owner=owner).count() == 2

    thank_you = got["follow_ups"][0]["id"]
    drafted = call(owner, "draft_message", {"follow_up": thank_you})
    assert drafted["id"] == thank_you and "Ana" in drafted["body"] and drafted["mailto"].startswith("mailto:")
    snoozed = call(owner, "snooze_follow_up", {"follow_up": thank_you, "until": "tomorrow"})
    assert snoozed["snoozed_until"] is not None
    assert call(owner, "complete_follow_up", {"follow_up": thank_you})["status"] == "done"

    proposed = call(owner, "propose_introduction", {"a": "Ana Ruiz", "b": "Ben Bauer", "why": "both in fintech"})
    assert Introduction.objects.get(owner=owner).pk == proposed["id"]

    (path,) = call(owner, "warm_path", {"person": "Cleo Diaz"})["result"]
    assert path["introducer"] == {"id": ana.pk, "name": "Ana Ruiz"}
    assert call(owner, "warm_path", {}).endswith("person: name a person, or an organization (one of the two)")


def test_a_read_only_caller_changes_nothing_and_bad_input_names_the_field(owner):
    ana = make_person(owner, "Ana Ruiz")
    follow_up = add_reminder(owner, ana, "Send Ana the deck", ana.created_at)

    refused = call(owner, "complete_follow_up", {"follow_up": follow_up.pk}, may_write=False)
    assert "read-only" in refused
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN
    refused = call(owner, "snooze_follow_up", {"follow_up": follow_up.pk, "until": "someday soon"})
    assert refused.startswith("Error executing tool snooze_follow_up: until: ")
    assert "follow_up: no follow-up has id 999" in call(owner, "draft_message", {"follow_up": 999})


def test_today_says_what_is_due_who_to_rekindle_and_the_weeks_progress(owner):
    ana = make_person(owner, "Ana Ruiz")
    make_touch(owner, ana, "coffee")

    today = read(owner, "kithkin://today")

    assert set(today) == {"due", "rekindle", "introductions", "week"}
    assert today["introductions"] == []


def test_another_accounts_person_is_not_found_as_a_resource(owner):
    from kithkin.testing import make_user

    stranger = make_person(make_user("bob"), "Ben Bauer")

    async def run():
        async with Client(build_agent(lambda request: Caller(owner, True))) as client:
            with pytest.raises(MCPError) as refused:
                await client.read_resource(f"kithkin://people/{stranger.pk}")
            return refused.value

    refused = anyio.run(run)
    assert refused.error.code == INVALID_PARAMS and f"no person has id {stranger.pk}" in refused.error.message


def test_bob_reaches_none_of_alices_people_or_follow_ups_through_any_tool(transactional_db):
    from kithkin.interactions.models import Touch
    from kithkin.testing import make_user

    alice, bob = make_user("alice"), make_user("bob")
    ana = make_person(alice, "Ana Ruiz", organization="Acme")
    cleo = make_person(alice, "Cleo Diaz")
    record_tie(alice, ana, cleo)
    follow_up = add_reminder(alice, ana, "Send Ana the deck", ana.created_at)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("show_person", {"person": str(ana.pk)}),
        ("show_person", {"person": "Ana Ruiz"}),
        ("log_touch", {"kind": "call", "people": [str(ana.pk)]}),
        ("complete_follow_up", {"follow_up": follow_up.pk}),
        ("snooze_follow_up", {"follow_up": follow_up.pk, "until": "tomorrow"}),
        ("draft_message", {"follow_up": follow_up.pk}),
        ("propose_introduction", {"a": str(ana.pk), "b": str(cleo.pk), "why": "they should meet"}),
        ("record_exchange", {"direction": "gave", "person": str(ana.pk), "what": "an article"}),
        ("warm_path", {"person": str(cleo.pk)}),
        ("warm_path", {"organization": str(ana.organization_id)}),
        ("warm_path", {"organization": "Acme"}),
    ]

    for name, arguments in calls:
        answer = call(bob, name, arguments)
        assert isinstance(answer, str) and ": no " in answer, (name, answer)
    assert call(bob, "find_people", {"search": "ana"}) == {"total": 0, "people": []}
    assert call(bob, "ask_network", {"question": "who works at Acme"})["people"] == []
    assert call(bob, "whats_due", {"within_days": 30})["result"] == []
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN and follow_up.snoozed_until is None
    assert not Touch.objects.exists() and not Exchange.objects.exists() and not Introduction.objects.exists()
