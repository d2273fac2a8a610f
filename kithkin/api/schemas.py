"""The shapes the API answers with: the same data as the command line's ``--json`` (the domain's
``serialize`` modules make both), declared here so that the OpenAPI document describes them and
each answer is checked against them."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field


class Ref(Schema):
    id: int
    name: str


class Link(Schema):
    kind: str
    url: str


class Person(Schema):
    id: int
    name: str
    organization: str | None
    title: str
    circle: str | None
    closeness: str
    emails: list[str]
    phones: list[str]
    interests: list[str]
    needs: list[str]
    offers: list[str]
    is_prospect: bool
    why: str
    last_touch_at: str | None = Field(description="ISO 8601, in your time zone")
    cadence_days: int | None = Field(description="Days between check-ins in effect; null for none")
    cadence_override: int | Literal["never"] | None
    links: list[Link]
    nicknames: list[str]
    location: str
    city: str
    country: str = Field(description="ISO 3166-1 alpha-2; empty when not known")
    place: str
    met_how: str
    met_through: Ref | None
    met_on: str | None
    birthday: str | None = Field(description="YYYY-MM-DD, or --MM-DD when the year is not known")
    created_at: str | None
    updated_at: str | None
    prospect_status: str | None = Field(default=None, description="Only for people you want to meet")
    strength: int | None = None
    trend: str | None = None
    status: str | None = None


class Touch(Schema):
    id: int
    kind: str
    happened_at: str | None
    participants: list[Ref]
    notes: str
    advice: str
    initiated_by: str
    is_history: bool


class FollowUp(Schema):
    id: int
    kind: str
    reason: str
    due_at: str | None
    remind_at: str | None
    status: str
    snoozed_until: str | None
    completed_at: str | None
    origin: str
    touch_id: int | None
    person: Ref
    rank: int | None = Field(default=None, description="A ranked check-in's place in Today's order")
    why: str | None = Field(default=None, description="Why a ranked check-in is worth it now")


class NameParts(Schema):
    prefix: str
    given: str
    middle: str
    family: str
    suffix: str


class Position(Schema):
    organization: str | None
    title: str
    started_on: str | None
    ended_on: str | None


class PersonDetail(Person):
    name_parts: NameParts
    notes: str
    positions: list[Position]
    strength_why: list[str]
    touches: list[Touch]
    follow_ups: list[FollowUp]
