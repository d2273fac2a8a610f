"""The MCP server: Kithkin's tools and resources for an agent, thin over the domain's services.

Each tool parses its arguments, calls the services the matching CLI command calls, and answers
with the data shape of that command's ``--json`` (the same serializers). It acts for one account,
inside that account's owner scope: the local owner over stdio, the token's account over HTTP.
Who that is, and whether they may write, is read once per message by ``identify`` (see
``CallerMiddleware``); a tool that writes refuses a read-only token before it touches anything.

Input a service refuses (``BadInput``) is a tool error that names the field, as the CLI's one
line does; another account's person or follow-up is "not found", as a missing one is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, Literal, TypeVar

import orjson
from django.contrib.auth.models import User
from django.db import close_old_connections
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from pydantic import Field

from kithkin.accounts.when import parse_user_day, parse_user_when
from kithkin.core import clock
from kithkin.core.choices import parse_choice
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.scopes import owner_scope
from kithkin.drafts.serialize import draft_data
from kithkin.drafts.services import draft_follow_up
from kithkin.exchanges.balances import person_balance
from kithkin.exchanges.models import Kind as ExchangeKind
from kithkin.exchanges.serialize import exchange_data
from kithkin.exchanges.services import (
    follow_ups_after_exchange,
    follow_ups_after_touch,
    log_introduced_touch,
    record_exchange,
    record_received,
)
from kithkin.finder.serialize import answer_data
from kithkin.finder.services import MAX_LIMIT, ask
from kithkin.followups.serialize import follow_up_data
from kithkin.followups.services import complete_follow_up, find_follow_up, snooze_follow_up, snooze_until
from kithkin.goals.serialize import review_data
from kithkin.goals.week import routine, week_review
from kithkin.interactions.serialize import touch_data
from kithkin.interactions.services import log_touch
from kithkin.introductions.serialize import introduction_data
from kithkin.introductions.services import introductions, parse_state, propose_introduction
from kithkin.network.paths import find_organization, paths_to_organization, paths_to_person
from kithkin.network.rekindle import rekindle_list
from kithkin.network.serialize import (
    candidate_data,
    person_profile_data,
    ranked_due_data,
    with_strengths,
)
from kithkin.people.serialize import iter_people_data
from kithkin.people.services import filter_people, find_person, order_people

NAME = "kithkin"
INSTRUCTIONS = (
    "Kithkin is the user's private relationship manager: the people they know or want to meet,"
    " their touches (interactions), the follow-ups due, the give-and-take ledger, introductions"
    " and warm paths. A person is named by an id (12), an email or a name; the tools that find"
    " people give ids. Dates and times read as the user writes them: 'yesterday 3pm', 'next"
    " monday', 2026-03-14."
)
READ_ONLY = "this token is read-only: it cannot change anything (make one without --read-only to write)"
# How many of a person's touches a tool or resource shows (the newest), as `kithkin show` does.
TOUCHES_SHOWN = 20
# How much Today shows of what is due and of the ties to rekindle.
TODAY_CHECK_INS = 10
TODAY_REKINDLE = 5

T = TypeVar("T")

Ref = Annotated[str, Field(description="A person: their id (12 or #12), an email, or a name ('Ana Ruiz').")]
FollowUpId = Annotated[int, Field(description="The follow-up's id, as `whats_due` lists it.", ge=1)]


@dataclass(frozen=True)
class Caller:
    """Who the agent acts for, and whether it may change anything."""

    user: User
    may_write: bool


_caller: ContextVar[Caller] = ContextVar("kithkin_mcp_caller")


class CallerMiddleware:
    """Reads who a message is from (``identify`` gets the HTTP request, or None over stdio) and
    holds it while the message is answered: the tools and resources read it from ``_caller``."""

    def __init__(self, identify: Callable[[Any], Caller]) -> None:
        self.identify = identify

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        token = _caller.set(self.identify(ctx.request))
        try:
            return await call_next(ctx)
        finally:
            _caller.reset(token)


@contextmanager
def _acting(
    *, writes: bool, error: type[Exception] = ToolError, not_found: type[Exception] = ToolError
) -> Iterator[User]:
    """The caller's account, inside its owner scope, with the database connection handled as
    Django handles it around a request; a refused value becomes ``error`` naming the field (a
    reference to nothing the caller has, ``not_found``)."""
    caller = _caller.get()
    if writes and not caller.may_write:
        raise error(READ_ONLY)
    close_old_connections()
    try:
        with owner_scope(caller.user):
            yield caller.user
    except NotFound as exc:
        raise not_found(f"{exc.field}: {exc.message}") from None
    except BadInput as exc:
        raise error(f"{exc.field}: {exc.message}") from None
    finally:
        close_old_connections()


def _person(user: User, ref: str, *, touches: int = TOUCHES_SHOWN) -> dict[str, Any]:
    """A person as `kithkin show --json` gives them, with their newest ``touches`` touches and
    how many there are in all (``touch_count``)."""
    return person_profile_data(user, find_person(user, ref).pk, touches=touches)


def _today(user: User) -> dict[str, Any]:
    """What Today shows, as data: what is due now (the promises, then the most worthwhile
    check-ins), the quiet ties to rekindle, the open introductions, and the week's progress."""
    now = clock.now()
    found = routine(user, now)
    return {
        "due": ranked_due_data(user, now, now, top=TODAY_CHECK_INS),
        "rekindle": [candidate_data(c) for c in rekindle_list(user, now=now, limit=TODAY_REKINDLE)],
        "introductions": [
            introduction_data(intro, user) for intro in introductions(user).filter(state__in=parse_state("open"))
        ],
        "week": review_data(week_review(user, now), user, found.streak if found else None),
    }


def _exchange_recorded(user: User, exchange: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """An exchange just recorded, as `kithkin gave --json` gives it."""
    caused = follow_ups_after_exchange(user, exchange)
    return {
        **exchange_data(exchange),
        **(extra or {}),
        "follow_ups": [follow_up_data(f, user) for f in caused],
        "balance": person_balance(user, exchange.person).to_json(),
    }


def find_people(
    search: Annotated[str, Field(description="Words in a name, organization, title or email.")] = "",
    circle: Annotated[str | None, Field(description="How the user knows them: friend, colleague, client...")] = None,
    closeness: Annotated[str | None, Field(description="inner, close, active, wider or acquaintance.")] = None,
    organization: Annotated[str | None, Field(description="Their current organization.")] = None,
    interest: Annotated[str | None, Field(description="An interest, such as 'fintech' or 'marathons'.")] = None,
    city: Annotated[str | None, Field(description="A city ('München' finds Munich).")] = None,
    country: Annotated[str | None, Field(description="A country: a name or a code (DE, Germany).")] = None,
    prospects: Annotated[bool, Field(description="Only people the user wants to meet.")] = False,
    limit: Annotated[int, Field(description="At most this many, by name.", ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Find people in the user's network by words and filters (as `kithkin people --json`): each
    with their id, organization, title, circle, closeness, last touch and tie strength. Use
    `ask_network` for a question in plain words instead."""
    with _acting(writes=False) as user:
        found = filter_people(
            user,
            search=search,
            circle=circle,
            closeness=closeness,
            interest=interest,
            organization=organization,
            prospects=True if prospects else None,
            city=city,
            country=country,
        )
        chosen = order_people(found)[:limit]
        return {
            "total": found.count(),
            "people": list(with_strengths(user, iter_people_data(chosen, user), chosen)),
        }


def ask_network(
    question: Annotated[str, Field(description='In plain words: "who in Berlin could advise on hiring".')],
    limit: Annotated[int, Field(description="How many people, best first.", ge=1, le=MAX_LIMIT)] = 10,
) -> dict[str, Any]:
    """Ask the user's network a question in plain words (as `kithkin ask --json`): the people who
    best answer it, best first, each with why (what they know, need or offer, where they are)."""
    with _acting(writes=False) as user:
        return answer_data(ask(user, question, limit=limit))


def show_person(person: Ref) -> dict[str, Any]:
    """One person's profile (as `kithkin show --json`): organization, roles, circle, closeness,
    interests, needs and offers, tie strength and why, their open follow-ups, and their newest
    touches (with `touch_count`, how many there are in all)."""
    with _acting(writes=False) as user:
        return _person(user, person)


def log_touch_tool(
    kind: Annotated[
        str,
        Field(
            description="coffee, meal, meeting, call, video, email, message, event, informational_interview, social or other."
        ),
    ],
    people: Annotated[list[str], Field(description="Who took part: ids, emails or names.", min_length=1)],
    at: Annotated[str, Field(description="When: '2026-03-14 15:00', 'yesterday 3pm', 'last friday'.")] = "now",
    notes: Annotated[str, Field(description="What was talked about.")] = "",
    advice: Annotated[
        str, Field(description="Advice the user received (a close-the-loop follow-up comes of it).")
    ] = "",
    thank: Annotated[
        bool | None,
        Field(description="Ask for a thank-you (or not); by default coffees, meals, meetings and events do."),
    ] = None,
    by_them: Annotated[bool, Field(description="They reached out, not the user.")] = False,
    introduced_by: Annotated[
        str | None, Field(description="Who introduced the user to them: they get a thank-you, then hear how it went.")
    ] = None,
) -> dict[str, Any]:
    """Log a touch, an interaction with one or more people (as `kithkin log --json`): the touch,
    and the follow-ups it set (a thank-you, closing the loop on advice)."""
    with _acting(writes=True) as user:
        participants = [find_person(user, ref, "people") for ref in people]
        happened = parse_user_when(user, at, field="at")
        options: dict[str, Any] = {
            "notes": notes,
            "advice": advice,
            "initiated_by": "them" if by_them else "me",
            "thank": thank,
        }
        if introduced_by:
            introducer = find_person(user, introduced_by, "introduced_by")
            touch = log_introduced_touch(user, introducer, participants, kind, happened, **options)
        else:
            touch = log_touch(user, participants, kind, happened, **options)
        caused = follow_ups_after_touch(user, touch).caused
        return {**touch_data(touch, user), "follow_ups": [follow_up_data(f, user) for f in caused]}


def whats_due(
    within_days: Annotated[int, Field(description="Also what falls due in the next days.", ge=0, le=365)] = 0,
    top: Annotated[
        int | None, Field(description="At most this many check-ins, most worthwhile first (null: all).", ge=0)
    ] = 20,
) -> list[dict[str, Any]]:
    """The follow-ups due now (as `kithkin due --json`): the promises (thank-yous, closing the
    loop, introduction steps), most overdue first, then the check-ins most worthwhile first, each
    with its rank and why. Each has an id for `complete_follow_up`, `snooze_follow_up` and
    `draft_message`."""
    with _acting(writes=False) as user:
        now = clock.now()
        return ranked_due_data(user, now, now + timedelta(days=within_days), top=top)


def complete_follow_up_tool(follow_up: FollowUpId) -> dict[str, Any]:
    """Mark a follow-up done (as `kithkin done --json`); a done check-in schedules the next one."""
    with _acting(writes=True) as user:
        return follow_up_data(complete_follow_up(user, find_follow_up(user, follow_up, "follow_up")), user)


def snooze_follow_up_tool(
    follow_up: FollowUpId,
    until: Annotated[str, Field(description="When it comes back: 'tomorrow', 'next monday', 2026-12-01.")],
) -> dict[str, Any]:
    """Put a follow-up off until later (as `kithkin snooze --json`)."""
    with _acting(writes=True) as user:
        found = find_follow_up(user, follow_up, "follow_up")
        return follow_up_data(snooze_follow_up(user, found, snooze_until(user, until)), user)


def draft_message(follow_up: FollowUpId) -> dict[str, Any]:
    """The message that does a follow-up (as `kithkin draft --json`): subject, body, the addresses
    it goes to, the people whose address is missing, and a mailto link. Nothing is sent."""
    with _acting(writes=False) as user:
        found = find_follow_up(user, follow_up, "follow_up")
        return draft_data(found.pk, draft_follow_up(user, found))


def propose_introduction_tool(
    a: Annotated[str, Field(description="Who is asked first (double opt-in): an id, email or name.")],
    b: Annotated[str, Field(description="Who is asked once A agrees.")],
    why: Annotated[str, Field(description="Why they should meet; it goes into both messages.")],
) -> dict[str, Any]:
    """Propose introducing A to B (as `kithkin intro propose --json`): the introduction, its next
    step and the drafted message asking A."""
    with _acting(writes=True) as user:
        intro = propose_introduction(user, find_person(user, a, "a"), find_person(user, b, "b"), why)
        return introduction_data(intro, user, full=True)


def record_exchange_tool(
    direction: Annotated[
        Literal["gave", "got"], Field(description="gave: the user helped them; got: they helped the user.")
    ],
    person: Ref,
    what: Annotated[str, Field(description="What was given or received.")],
    kind: Annotated[
        str, Field(description="intro, referral, advice, resource, favor, recommendation, time or other.")
    ] = "other",
    on: Annotated[
        str | None, Field(description="When: 2026-03-14, 'yesterday', 'last friday' (default today).")
    ] = None,
    to: Annotated[
        str | None, Field(description="For help received of kind intro: whom they introduced the user to.")
    ] = None,
) -> dict[str, Any]:
    """Record a give or a get in the give-and-take ledger (as `kithkin gave --json` and `kithkin
    got --json`): the exchange, its follow-ups (help received asks for a thank-you within a day)
    and the balance with that person."""
    with _acting(writes=True) as user:
        found = find_person(user, person)
        day = parse_user_day(user, on, field="on")
        kind_value = parse_choice(ExchangeKind, kind, "kind")
        if direction == "gave":
            if to is not None:
                raise BadInput("to", "is for help received (direction got) of kind intro")
            return _exchange_recorded(user, record_exchange(user, found, "gave", what, kind=kind_value, on=day))
        exchange, added = record_received(user, found, what, kind=kind_value, to=to, on=day)
        return _exchange_recorded(user, exchange, {"added": added} if to is not None else None)


def warm_path(
    person: Annotated[str | None, Field(description="Someone the user wants to meet: an id, email or name.")] = None,
    organization: Annotated[str | None, Field(description="Or an organization to get into: its name or id.")] = None,
    limit: Annotated[int, Field(description="How many paths, best first.", ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    """Who could introduce the user to a person, or get them into an organization (as `kithkin
    path --json`): ranked warm paths through people the user knows, each with why."""
    with _acting(writes=False) as user:
        if (person is None) == (organization is None):
            raise BadInput("person", "name a person, or an organization (one of the two)")
        if organization is not None:
            paths = paths_to_organization(user, find_organization(user, organization), limit=limit)
        else:
            paths = paths_to_person(user, find_person(user, person or ""), limit=limit)
        return [p.to_json() for p in paths]


def person_resource(person_id: str) -> str:
    """A person's profile, follow-ups and newest touches, as `show_person` gives them."""
    with _acting(writes=False, error=ResourceError, not_found=ResourceNotFoundError) as user:
        return orjson.dumps(_person(user, person_id)).decode()


def today_resource() -> str:
    """Today: what is due now, people to rekindle, introductions in progress, the week's progress."""
    with _acting(writes=False, error=ResourceError) as user:
        return orjson.dumps(_today(user)).decode()


TOOLS: tuple[tuple[Callable[..., Any], str, bool], ...] = (
    # (function, tool name, whether it changes anything)
    (find_people, "find_people", False),
    (ask_network, "ask_network", False),
    (show_person, "show_person", False),
    (log_touch_tool, "log_touch", True),
    (whats_due, "whats_due", False),
    (complete_follow_up_tool, "complete_follow_up", True),
    (snooze_follow_up_tool, "snooze_follow_up", True),
    (draft_message, "draft_message", False),
    (propose_introduction_tool, "propose_introduction", True),
    (record_exchange_tool, "record_exchange", True),
    (warm_path, "warm_path", False),
)


def build_agent(identify: Callable[[Any], Caller]) -> MCPServer:
    """Kithkin's MCP server; ``identify`` tells who each message comes from (it is given the HTTP
    request, or None over stdio)."""
    from mcp.types import ToolAnnotations

    server: MCPServer = MCPServer(
        NAME,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
        middleware=[CallerMiddleware(identify)],
    )
    for fn, name, writes in TOOLS:
        annotations = ToolAnnotations(read_only_hint=not writes, destructive_hint=False, open_world_hint=False)
        server.add_tool(fn, name=name, annotations=annotations)
    server.resource(
        "kithkin://people/{person_id}", name="person", mime_type="application/json", description=person_resource.__doc__
    )(person_resource)
    server.resource("kithkin://today", name="today", mime_type="application/json", description=today_resource.__doc__)(
        today_resource
    )
    return server
