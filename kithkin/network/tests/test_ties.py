"""Ties between people are found from what Kithkin holds, kept up to date, and stay removed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.exchanges.services import record_received
from kithkin.imports.services import import_file
from kithkin.network.models import RecordedTie, Tie
from kithkin.network.paths import paths_to_person
from kithkin.network.ties import COLLEAGUE_CAP, ensure_ties, record_tie, refresh_ties, tie_strength
from kithkin.people.merge import merge_people
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, add_role, edit_person, refresh_search
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.django_db

CONNECTIONS = """First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Acme,Head of Product,09 Oct 2024
Bo,Chen,https://www.linkedin.com/in/bochen,,Acme,CFO,12 Mar 2021
Cy,Park,https://www.linkedin.com/in/cypark,,Globex,Engineer,01 Jan 2019
"""


def kinds(owner: User) -> dict[tuple[str, str], str]:
    names = dict(Person.objects.for_owner(owner).values_list("pk", "given_name"))
    return {(names[t.first_id], names[t.second_id]): t.kinds for t in Tie.objects.for_owner(owner)}


def test_a_contacts_import_links_the_people_who_work_at_the_same_place(alice: User) -> None:
    import_file(alice, "linkedin", CONNECTIONS.encode(), "Connections.csv")

    assert kinds(alice) == {("Ana", "Bo"): "colleague"}


def test_an_introduction_received_ties_the_introducer_to_the_person_met(alice: User) -> None:
    ana = make_person(alice, "Ana Ruiz")

    record_received(alice, ana, "an intro to Dee", kind="intro", to="Dee Park", now=NOW)

    assert kinds(alice) == {("Ana", "Dee"): "introducer"}


def test_a_recorded_tie_follows_a_merge_to_the_person_kept(alice: User) -> None:
    ana = make_person(alice, "Ana Ruiz")
    dee = make_person(alice, "Dee Park")
    dee_again = make_person(alice, "Dee P.")
    record_tie(alice, ana, dee_again, "rowing club", now=NOW)

    merge_people(alice, dee, dee_again, now=NOW)

    recorded = RecordedTie.objects.for_owner(alice).get()
    assert (recorded.first_id, recorded.second_id, recorded.how) == (ana.pk, dee.pk, "rowing club")
    assert kinds(alice) == {("Ana", "Dee"): "recorded"}


def test_colleagues_at_a_large_organization_are_not_stored_but_still_found_as_a_way_in(alice: User) -> None:
    target = make_person(alice, "Zed Target", is_prospect=True, why="runs the data team")
    add_role(alice, target, "Bigcorp", started_on=date(2019, 1, 1), now=NOW)
    friend = make_person(alice, "Fay Friend", closeness="close")
    make_touch(alice, friend, "coffee", NOW)
    add_role(alice, friend, "Bigcorp", started_on=date(2020, 1, 1), now=NOW)
    for n in range(COLLEAGUE_CAP):
        add_role(alice, make_person(alice, f"Person {n}"), "Bigcorp", now=NOW)

    assert refresh_ties(alice, None, now=NOW) == 0
    first = paths_to_person(alice, target, now=NOW)[0]
    assert first.introducer == friend
    assert first.why.startswith("Fay works at Bigcorp with Zed Target since 2020")


def test_a_tie_fades_with_the_years_unless_it_still_holds() -> None:
    today = date(2026, 11, 22)

    assert tie_strength(4.0, None, today) == pytest.approx(63.2)
    assert tie_strength(4.0, date(2022, 11, 22), today) < tie_strength(4.0, date(2025, 11, 22), today) < 63.2
    assert tie_strength(0.0, None, today) == 0


def test_a_network_with_no_ties_is_not_searched_again_on_every_read(alice: User) -> None:
    ana = make_person(alice, "Ana Ruiz")
    make_person(alice, "Dee Park")
    ensure_ties(alice, now=NOW)

    with CaptureQueriesContext(connection) as read:
        paths_to_person(alice, ana, now=NOW)

    assert not any(
        "interactions_touchparticipant" in q["sql"] and "GROUP BY" in q["sql"] for q in read.captured_queries
    )


def test_a_network_with_no_ties_stays_searched_through_changes_until_everyone_is_refreshed(alice: User) -> None:
    ana = make_person(alice, "Ana Ruiz")
    make_person(alice, "Dee Park")
    ensure_ties(alice, now=NOW)
    # A change the hooks keep ties for (an edit) does not bring the whole search back.
    edit_person(alice, ana, PersonChanges(title="Founder"), now=NOW)

    def searched() -> bool:
        with CaptureQueriesContext(connection) as read:
            ensure_ties(alice, now=NOW)
        return any("interactions_touchparticipant" in q["sql"] for q in read.captured_queries)

    assert not searched()
    refresh_search(alice)  # everyone written anew, as a restore does
    assert searched()
    assert not searched()


def test_a_touch_with_two_people_ties_them_and_one_with_one_person_finds_no_tie_again(alice: User) -> None:
    ana, bo = make_person(alice, "Ana"), make_person(alice, "Bo")
    make_touch(alice, [ana, bo], "coffee", NOW)
    tie = Tie.objects.get(owner=alice)
    assert (tie.first_id, tie.second_id) == tuple(sorted((ana.pk, bo.pk)))
    with CaptureQueriesContext(connection) as queries:
        make_touch(alice, ana, "call", NOW)
    assert not [q for q in queries.captured_queries if "network_tie" in q["sql"]]
    assert Tie.objects.get(owner=alice).pk == tie.pk


@pytest.mark.parametrize("everyone", [True, False])
def test_finding_ties_again_writes_only_the_ties_that_changed(alice: User, everyone: bool) -> None:
    ana, bo, cy = make_person(alice, "Ana"), make_person(alice, "Bo"), make_person(alice, "Cy")
    make_touch(alice, [ana, bo], "coffee", NOW)
    make_touch(alice, [ana, cy], "coffee", NOW)
    gone = make_touch(alice, [bo, cy], "coffee", NOW)
    ties = Tie.objects.for_owner(alice)
    standing = ties.get(first_id=ana.pk, second_id=bo.pk)
    # Evidence changed behind the hooks' back: the touch of Bo and Cy is gone, Ana and Cy's tie is off.
    gone.delete()
    ties.filter(first_id=ana.pk, second_id=cy.pk).update(weight=9.0)
    later = NOW + timedelta(days=1)

    assert refresh_ties(alice, None if everyone else [bo.pk, cy.pk], now=later) == 2

    assert {(t.first_id, t.second_id): t.weight for t in ties} == {(ana.pk, bo.pk): 1.2, (ana.pk, cy.pk): 1.2}
    assert ties.get(pk=standing.pk).computed_at == standing.computed_at  # left as it was
    assert ties.get(first_id=ana.pk, second_id=cy.pk).computed_at == later
