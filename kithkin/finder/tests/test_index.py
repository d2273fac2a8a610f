"""The documents ``ask`` searches follow the network: edits, touches, merges, deletes, imports
and a network made before them; and the database's full-text index finds stems and folds accents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.finder.index import ensure_documents, matching, refresh_documents
from kithkin.finder.models import Document
from kithkin.finder.services import ask
from kithkin.people.merge import merge_people
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import NOW, make_person, make_touch, make_user

pytestmark = pytest.mark.usefixtures("frozen")


def names(owner, question):
    return [m.person.full_name for m in ask(owner, question).matches]


def test_adding_someone_writes_their_document_with_each_field_apart(alice):
    ana = make_person(
        alice,
        "José Núñez",
        organization="Atlas Bank",
        title="Data Engineer",
        location="München",
        interests=["Marathons"],
        needs=["a new role"],
        offers=["can review CVs"],
        notes="Met at **PyCon**",
    )
    doc = Document.objects.get(person=ana)
    assert (doc.name, doc.place, doc.interests, doc.needs, doc.offers) == (
        "jose nunez",
        "munchen | munich | germany",
        "marathons",
        "a new role",
        "can review cvs",
    )
    assert "data engineer" in doc.work and "atlas bank" in doc.work and "pycon" in doc.notes


def test_the_index_stems_and_folds_accents(alice):
    ana = make_person(alice, "Ana", interests=["running marathons"], location="Zürich")
    assert matching(alice, "interests", [frozenset({"marathon"})]) == [ana.pk]
    assert matching(alice, "place", [frozenset({"zurich"})]) == [ana.pk]
    assert matching(alice, "place", [frozenset({"ZÜRICH"})]) == [ana.pk]
    assert matching(alice, "needs", [frozenset({"marathon"})]) == []


def test_an_edit_rewrites_the_document(alice):
    ana = make_person(alice, "Ana", location="Lisbon")
    edit_person(alice, ana, PersonChanges(location="Berlin", offers=["can advise on pricing"]))
    assert names(alice, "who in Berlin could advise on pricing") == ["Ana"]
    assert matching(alice, "place", [frozenset({"lisbon"})]) == []


def test_a_touchs_notes_and_advice_are_searched(alice):
    ana = make_person(alice, "Ana")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2), notes="Talked about kombucha", advice="Try Ljubljana")
    assert matching(alice, "notes", [frozenset({"kombucha"})]) == [ana.pk]
    assert matching(alice, "notes", [frozenset({"ljubljana"})]) == [ana.pk]


def test_a_merge_leaves_one_document_with_what_both_had(alice):
    keep, drop = (
        make_person(alice, "Ana Ruiz", interests=["chess"]),
        make_person(alice, "Ana R.", interests=["sailing"]),
    )
    merge_people(alice, keep, drop)
    (doc,) = Document.objects.filter(owner=alice)
    assert doc.person_id == keep.pk and "sailing" in doc.interests and "chess" in doc.interests
    assert matching(alice, "interests", [frozenset({"sailing"})]) == [keep.pk]


def test_deleting_someone_takes_them_out_of_the_index(alice):
    ana = make_person(alice, "Ana", interests=["chess"])
    ana.delete()
    assert matching(alice, "interests", [frozenset({"chess"})]) == []


def test_a_network_without_documents_gets_them_on_first_use(alice):
    ana = make_person(alice, "Ana", interests=["chess"])
    Document.objects.all().delete()
    ensure_documents(alice)
    assert matching(alice, "interests", [frozenset({"chess"})]) == [ana.pk]


def test_rebuilding_everyone_writes_each_person_once_and_only_the_owners(alice):
    bob = make_user("bob")
    make_person(bob, "Bob", interests=["chess"])
    for i in range(5):
        make_person(alice, f"Person {i}", interests=["chess"])
    assert refresh_documents(alice) == 5
    assert Document.objects.filter(owner=alice).count() == 5
    assert len(matching(alice, "interests", [frozenset({"chess"})])) == 5
    assert len(matching(bob, "interests", [frozenset({"chess"})])) == 1


def test_an_import_writes_the_documents_of_the_people_it_adds(alice):
    from kithkin.imports.services import import_file

    csv = b"First Name,Last Name,Company,Position\nZoe,Park,Northwind,Recruiter\n"
    import_file(alice, "linkedin", csv, "Connections.csv")
    assert names(alice, "recruiters at Northwind") == ["Zoe Park"]


def test_a_touch_without_notes_or_advice_leaves_the_documents_as_they_were(alice):
    ana = make_person(alice, "Ana", location="Lisbon")
    with CaptureQueriesContext(connection) as queries:
        make_touch(alice, ana, "call", NOW - timedelta(days=1))
    assert not [q for q in queries.captured_queries if "finder_document" in q["sql"]]  # nothing in it changed
    with CaptureQueriesContext(connection) as queries:
        make_touch(alice, ana, "coffee", NOW - timedelta(hours=2), notes="Talked about kombucha")
    assert [q for q in queries.captured_queries if "finder_document" in q["sql"]]
    assert matching(alice, "notes", [frozenset({"kombucha"})]) == [ana.pk]
    assert names(alice, "who is in Lisbon") == ["Ana"]


def test_a_document_written_again_is_searched_as_it_now_is_in_every_field(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Northwind", title="Recruiter", location="Lisbon")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2), notes="Talked about kombucha")

    edit_person(alice, ana, PersonChanges(location="Berlin"))
    refresh_documents(alice, [ana.pk])  # written again as it is: nothing changes

    assert matching(alice, "place", [frozenset({"lisbon"})]) == []
    assert matching(alice, "place", [frozenset({"berlin"})]) == [ana.pk]
    assert matching(alice, "work", [frozenset({"recruiter"})]) == [ana.pk]
    assert matching(alice, "notes", [frozenset({"kombucha"})]) == [ana.pk]
    assert matching(alice, "name", [frozenset({"ruiz"})]) == [ana.pk]
    if connection.vendor == "sqlite":  # each field's index holds what its documents hold
        with connection.cursor() as cursor:
            for field in ("name", "work", "place", "interests", "needs", "offers", "notes"):
                cursor.execute(
                    f"INSERT INTO finder_{field}_fts(finder_{field}_fts, rank) VALUES ('integrity-check', 1)"
                )


def test_documents_written_for_some_people_are_those_written_for_everyone(alice):
    people = [make_person(alice, name, interests=["chess"], organization="Acme") for name in ("Ana", "Bo", "Cy")]
    for n, days_ago in enumerate((3, 1, 2)):  # logged in another order than they happened
        make_touch(alice, people[:2], "coffee", NOW - timedelta(days=days_ago), notes=f"talked about plan {n}")
    refresh_documents(alice)
    everyone = list(Document.objects.for_owner(alice).order_by("person_id").values_list())

    refresh_documents(alice, [people[0].pk])  # one of three: read for them alone

    assert list(Document.objects.for_owner(alice).order_by("person_id").values_list()) == everyone
