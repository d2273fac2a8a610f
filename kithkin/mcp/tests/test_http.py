"""The agent server over streamable HTTP at /mcp, in the real waitress server `kithkin serve` runs,
with the MCP SDK's own client and a personal access token."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from kithkin.accounts.tokens import create_token
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.testing import make_person, make_touch, make_user
from kithkin.tests.live_server import running_server


@pytest.fixture
def server(transactional_db):
    with running_server() as address:
        yield f"{address}/mcp"
    assert not any(t.name == "kithkin-mcp" for t in threading.enumerate())


def session_with(url: str, secret: str, work: Callable[[ClientSession], Awaitable[Any]]) -> Any:
    """Run ``work`` on an initialised MCP client session that sends ``secret`` as its token."""

    async def run() -> Any:
        async with (
            create_mcp_http_client(headers={"Authorization": f"Bearer {secret}"}) as http,
            streamable_http_client(url, http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return await work(session)

    return anyio.run(run)


def test_an_agent_with_a_token_lists_the_tools_and_logs_a_touch_for_the_tokens_account(server):
    alice = make_user("alice")
    ana = make_person(alice, "Ana Ruiz")
    secret = create_token(alice, "desktop agent").secret

    async def work(session: ClientSession) -> tuple[list[str], Any, Any]:
        tools = [t.name for t in (await session.list_tools()).tools]
        logged = await session.call_tool("log_touch", {"kind": "coffee", "people": ["Ana Ruiz"], "notes": "Pricing"})
        due = await session.call_tool("whats_due", {"within_days": 2})
        return tools, logged, due

    tools, logged, due = session_with(server, secret, work)

    assert {"log_touch", "whats_due", "find_people", "show_person", "warm_path", "record_exchange"} <= set(tools)
    assert not logged.is_error
    touch = Touch.objects.get(owner=alice)
    assert logged.structured_content["id"] == touch.pk
    assert [p["id"] for p in logged.structured_content["participants"]] == [ana.pk]
    thank_you = FollowUp.objects.get(owner=alice, kind="thank_you")
    assert thank_you.pk in [row["id"] for row in due.structured_content["result"]]


def test_a_read_only_token_reads_but_its_writes_are_refused_and_change_nothing(server):
    alice = make_user("alice")
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "call")
    secret = create_token(alice, "reader", read_only=True).secret

    async def work(session: ClientSession) -> tuple[Any, Any, Any]:
        found = await session.call_tool("find_people", {"search": "ana"})
        logged = await session.call_tool("log_touch", {"kind": "coffee", "people": ["Ana Ruiz"]})
        person = await session.read_resource(f"kithkin://people/{ana.pk}")
        return found, logged, person

    found, logged, person = session_with(server, secret, work)

    assert [p["name"] for p in found.structured_content["people"]] == ["Ana Ruiz"]
    assert logged.is_error and "read-only" in logged.content[0].text
    assert Touch.objects.filter(owner=alice).count() == 1
    assert json.loads(person.contents[0].text)["touch_count"] == 1


def test_another_accounts_person_is_not_found_and_bad_input_names_the_field(server):
    alice, bob = make_user("alice"), make_user("bob")
    ana = make_person(alice, "Ana Ruiz")
    make_person(bob, "Ben Bauer")
    secret = create_token(bob, "bob's agent").secret

    async def work(session: ClientSession) -> tuple[Any, Any]:
        shown = await session.call_tool("show_person", {"person": str(ana.pk)})
        refused = await session.call_tool("log_touch", {"kind": "tea", "people": ["Ben Bauer"]})
        return shown, refused

    shown, refused = session_with(server, secret, work)

    assert shown.is_error and f"person: no person has id {ana.pk}" in shown.content[0].text
    assert refused.is_error and "kind: unknown value 'tea'" in refused.content[0].text
    assert not Touch.objects.exists()


@pytest.mark.parametrize("authorization", [None, "Bearer kk_not-a-token", "Basic YWxpY2U6cHc="])
def test_without_a_valid_token_the_answer_is_401(server, authorization):
    request = urllib.request.Request(
        server,
        data=b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}',
        headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        | ({"Authorization": authorization} if authorization else {}),
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    assert refused.value.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(server):
    from kithkin.accounts.tokens import revoke_token

    alice = make_user("alice")
    made = create_token(alice, "old agent")
    revoke_token(alice, made.token.pk)
    request = urllib.request.Request(server, data=b"{}", headers={"Authorization": f"Bearer {made.secret}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
