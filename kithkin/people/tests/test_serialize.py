"""People as `--json` gives them: a list read as plain columns says what one person's data says."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.core import clock
from kithkin.interactions.services import log_touch
from kithkin.people.models import Person
from kithkin.people.serialize import BY_ID, iter_people_data, person_data, with_details
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_list_of_people_reads_as_each_person_alone(alice, bob):
    bo = make_person(alice, "Bo Chen", cadence="never", nicknames=["Bobo"], met_on=date(2019, 3, 2))
    ana = make_person(
        alice,
        "Dr. Ana María Ruiz",
        organization="Acme",
        title="Product Lead",
        circle="former colleague",
        closeness="close",
        location="Berlin",
        emails=["ana@acme.example", "ana@home.example"],
        phones=["+34 911 23 45 67"],
        links=["linkedin.com/in/anaruiz", "https://anaruiz.example"],
        interests=["Fintech", "marathons"],
        needs=["a new designer"],
        offers=["pricing advice"],
        birthday=date(1990, 5, 17),
        met_through=bo,
        met_how="at PyCon",
    )
    make_person(alice, "Zoë Prospect", is_prospect=True, why="runs the design guild", birthday=date(1904, 2, 29))
    make_person(bob, "Bob's own")  # another owner's: never listed
    log_touch(alice, [ana, bo], "coffee", clock.now() - timedelta(days=2))
    people = Person.objects.for_owner(alice).order_by("full_name", "id")
    alone = [person_data(with_details(Person.objects.for_owner(alice)).get(pk=p.pk), alice) for p in people]
    listed = list(iter_people_data(people, alice))
    assert listed == alone
    assert [row["name"] for row in listed] == ["Bo Chen", "Dr. Ana María Ruiz", "Zoë Prospect"]
    assert listed[0]["nicknames"] == ["Bobo"] and listed[0]["cadence_days"] is None
    assert listed[1]["emails"] == ["ana@acme.example", "ana@home.example"]
    assert listed[1]["met_through"] == {"id": bo.pk, "name": "Bo Chen"}
    assert listed[1]["last_touch_at"] is not None and listed[2]["is_prospect"] is True


def test_a_long_list_reads_its_lists_in_a_fixed_number_of_queries(alice, bob, monkeypatch):
    for i in range(4):
        make_person(alice, f"Person {i}", emails=[f"p{i}@example.org"], interests=["chess"])
    make_person(bob, "Bob's own", emails=["bob@example.org"], interests=["chess"])
    people = Person.objects.for_owner(alice).order_by("full_name", "id")
    by_id = list(iter_people_data(people, alice))
    monkeypatch.setattr("kithkin.people.serialize.BY_ID", 2)  # beyond it: the owner's whole lists, sifted
    with CaptureQueriesContext(connection) as queries:
        whole = list(iter_people_data(people, alice))
    assert whole == by_id and BY_ID > 2
    assert [row["emails"] for row in whole] == [[f"p{i}@example.org"] for i in range(4)]
    assert len(queries) == 1 + 6  # the people, then one query a list
