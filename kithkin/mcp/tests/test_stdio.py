"""`kithkin mcp`: the agent server on stdin and stdout, started as a desktop agent starts it, with
the MCP SDK's own client. The command runs in a process of its own, on a data directory of its
own: what it did is checked with the `kithkin` command on that directory, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client

KITHKIN = str(Path(sys.executable).with_name("kithkin"))


def kithkin_json(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run([KITHKIN, *args, "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_agent_started_on_kithkin_mcp_logs_a_touch_that_kithkin_due_then_lists(tmp_path):
    env = {**os.environ, "KITHKIN_DATA_DIR": str(tmp_path), "KITHKIN_WARM": "off"}
    env.pop("DATABASE_URL", None)
    ana = kithkin_json(env, "add", "Ana Ruiz", "--org", "Acme")

    async def agent() -> tuple[list[str], Any, Any, Any]:
        started = StdioServerParameters(command=KITHKIN, args=["mcp"], env=env)
        async with stdio_client(started) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = [t.name for t in (await session.list_tools()).tools]
            logged = await session.call_tool(
                "log_touch", {"kind": "coffee", "people": ["Ana Ruiz"], "at": "3 days ago"}
            )
            refused = await session.call_tool("log_touch", {"kind": "coffee", "people": ["Nobody Known"]})
            today = await session.read_resource("kithkin://today")
            return tools, logged, refused, today

    tools, logged, refused, today = anyio.run(agent)

    assert "log_touch" in tools and "whats_due" in tools
    assert not logged.is_error, logged.content
    assert [p["id"] for p in logged.structured_content["participants"]] == [ana["id"]]
    (thank_you,) = logged.structured_content["follow_ups"]
    assert refused.is_error and "people: no person" in refused.content[0].text
    # The thank-you fell due a day after the coffee: `kithkin due` lists it.
    due = kithkin_json(env, "due")
    assert [(row["id"], row["kind"], row["person"]["id"]) for row in due] == [(thank_you["id"], "thank_you", ana["id"])]
    assert "due" in json.loads(today.contents[0].text)
