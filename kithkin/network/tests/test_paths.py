"""Warm paths: who could introduce you to a person or get you into an organization, and why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User

from kithkin.network.models import Tie
from kithkin.network.paths import find_organization, paths_to_organization, paths_to_person, ties_of
from kithkin.network.ties import record_tie, remove_tie
from kithkin.people.models import Person
from kithkin.people.services import add_role, want_to_meet
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.django_db


def stripe_scene(owner: User) -> tuple[Person, Person, Person]:
    """You know Ana well (coffee last month); Ana worked at Stripe with Bo from 2019 to 2022; Bo
    is someone you want to meet. Cy, whom you barely know, was at Stripe too, years later."""
    ana = make_person(owner, "Ana Ruiz", closeness="close")
    for k in range(6):
        make_touch(owner, ana, "coffee", NOW - timedelta(days=30 + 60 * k))
    bo = want_to_meet(owner, "Bo Lindqvist", "runs payments partnerships")
    add_role(owner, ana, "Stripe", title="Engineer", started_on=date(2019, 1, 1), ended_on=date(2022, 12, 31), now=NOW)
    add_role(owner, bo, "Stripe", title="Partnerships lead", started_on=date(2018, 5, 1), now=NOW)
    cy = make_person(owner, "Cy Okafor", closeness="acquaintance")
    make_touch(owner, cy, "email", NOW - timedelta(days=100))
    add_role(owner, cy, "Stripe", started_on=date(2023, 6, 1), ended_on=date(2024, 6, 30), now=NOW)
    return ana, bo, cy


def test_a_colleague_you_know_well_is_the_first_way_to_a_prospect(alice: User) -> None:
    ana, bo, _cy = stripe_scene(alice)

    paths = paths_to_person(alice, bo, now=NOW)

    assert paths[0].introducer == ana
    assert paths[0].why == (
        "Ana worked at Stripe with Bo Lindqvist from 2019 to 2022; you had coffee with Ana last month."
    )
    # Cy was at Stripe after Bo's years with Ana had ended, but Bo is still there: they overlapped.
    assert [p.introducer.full_name for p in paths] == ["Ana Ruiz", "Cy Okafor"]
    assert paths[0].score > paths[1].score


def test_the_way_into_an_organization_names_the_introducer_and_whom_they_know(alice: User) -> None:
    ana, _bo, _cy = stripe_scene(alice)
    stripe = find_organization(alice, "stripe")

    paths = paths_to_organization(alice, stripe, now=NOW)

    first = paths[0]
    assert first.introducer == ana
    assert "Ana" in first.why and ("Bo Lindqvist" in first.why or "Stripe" in first.why)
    named = {p.introducer.full_name for p in paths} | {p.target.full_name for p in paths if p.target}
    assert {"Ana Ruiz", "Bo Lindqvist"} <= named


def test_a_removed_tie_is_never_found_again_and_a_recorded_one_stands(alice: User) -> None:
    ana, bo, _cy = stripe_scene(alice)

    remove_tie(alice, ana, bo, now=NOW)
    make_touch(alice, ana, "call", NOW)  # evidence changes again: the tie must stay gone

    assert ana not in [p.introducer for p in paths_to_person(alice, bo, now=NOW)]
    record_tie(alice, ana, bo, "ex-colleagues, still friends", now=NOW)
    first = paths_to_person(alice, bo, now=NOW)[0]
    assert first.introducer == ana
    assert first.why.startswith("You said Ana knows Bo Lindqvist (ex-colleagues, still friends)")
    known, count = ties_of(alice, bo, now=NOW)
    assert count == 2 and known[0].person == ana and known[0].is_recorded


def test_people_at_the_same_touch_know_each_other(alice: User) -> None:
    ana = make_person(alice, "Ana Ruiz")
    dee = make_person(alice, "Dee Park")
    make_touch(alice, [ana, dee], "meal", NOW - timedelta(days=3))

    tie = Tie.objects.for_owner(alice).get()
    assert (tie.first_id, tie.second_id) == (ana.pk, dee.pk)
    assert tie.kinds == "touch"
    known, _count = ties_of(alice, ana, now=NOW)
    assert known[0].sentences == ["Ana was with Dee Park at your touches once, last in November 2026"]


def test_another_users_people_are_never_a_path(alice: User, bob: User) -> None:
    _ana, bo, _cy = stripe_scene(alice)
    mallory = make_person(bob, "Mallory")
    make_touch(bob, mallory, "coffee", NOW)

    with pytest.raises(Exception, match="no such person"):
        paths_to_person(bob, bo, now=NOW)
    with pytest.raises(Exception, match="no organization"):
        find_organization(bob, "Stripe")
    assert all(p.introducer.owner_id == alice.pk for p in paths_to_person(alice, bo, now=NOW))
