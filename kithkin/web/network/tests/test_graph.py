"""The graph page and its JSON: the people shown, their ties, clusters that open, and nothing of
another user's."""

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.network.models import Tie
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def tie(owner, a, b, weight=5.0):
    first, second = sorted([a, b], key=lambda p: p.pk)
    day = date(2026, 11, 1)
    return Tie.objects.create(
        owner=owner,
        first=first,
        second=second,
        weight=weight,
        first_day=day,
        last_day=day,
        kinds="touch",
        computed_at=NOW,
    )


@pytest.fixture
def network(alice):
    people = {
        "ana": make_person(alice, "Ana Ruiz", circle="friend", closeness="close"),
        "bo": make_person(alice, "Bo Chen", circle="colleague", organization="Acme"),
        "cy": make_person(alice, "Cy Diaz", circle="colleague", organization="Acme", interests=["fintech"]),
    }
    for weeks, who in [(1, "ana"), (2, "ana"), (3, "ana"), (1, "bo"), (2, "bo")]:
        make_touch(alice, people[who], "coffee", NOW - timedelta(weeks=weeks))
    tie(alice, people["ana"], people["bo"])
    return people


@pytest.fixture
def bob_signed_in(bob):
    client = Client()
    client.force_login(bob)
    return client


def data(client, **params):
    response = client.get(reverse("graph:data"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_json_has_you_the_people_strongest_first_with_their_pages_and_their_ties(signed_in, network):
    found = data(signed_in)
    assert [n["name"] for n in found["nodes"]] == [found["nodes"][0]["name"], "Ana Ruiz", "Bo Chen", "Cy Diaz"]
    assert found["nodes"][0]["id"] == "you"
    ana = found["nodes"][1]
    assert ana["url"] == reverse("people:detail", args=[network["ana"].pk])
    assert ana["circle"] == "friend" and ana["strength"] > found["nodes"][2]["strength"] > 0
    ties = [e for e in found["edges"] if e["kind"] == "tie"]
    ana_bo = tuple(sorted([network["ana"].pk, network["bo"].pk]))
    bo_cy = tuple(sorted([network["bo"].pk, network["cy"].pk]))  # found: colleagues at Acme
    assert [(e["source"], e["target"]) for e in ties] == [ana_bo, bo_cy]
    assert ties[1]["kinds"] == ["colleague"]


def test_the_json_filters_and_clusters_the_rest_with_the_filters_that_open_them(signed_in, network):
    assert [n["name"] for n in data(signed_in, interest="fintech")["nodes"][1:]] == ["Cy Diaz"]
    found = data(signed_in, circle="colleague", limit=1)
    assert [n["name"] for n in found["nodes"][1:]] == ["Bo Chen"]
    assert found["clusters"] == [
        {
            "key": "organization:Acme",
            "label": "Acme",
            "count": 1,
            "filters": {"circle": "colleague", "organization": "Acme"},
        }
    ]


@pytest.mark.parametrize(("params", "field"), [({"circle": "rivals"}, "circle"), ({"limit": "lots"}, "limit")])
def test_a_filter_the_json_cannot_read_is_a_400_naming_the_field(signed_in, network, params, field):
    response = signed_in.get(reverse("graph:data"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_another_user_sees_none_of_alices_people_or_ties(bob_signed_in, bob, network):
    make_person(bob, "Bea Lund", circle="friend")
    found = data(bob_signed_in)
    assert [n["name"] for n in found["nodes"][1:]] == ["Bea Lund"]
    assert [e for e in found["edges"] if e["kind"] == "tie"] == []
    page = bob_signed_in.get(reverse("graph:page")).content.decode()
    assert "Ana Ruiz" not in page and "Bea Lund" in page


def test_the_page_lists_the_people_shown_and_whom_they_know_for_readers_without_the_drawing(signed_in, network):
    response = signed_in.get(reverse("graph:page"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    table = page.split('<table class="people-table">')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert ["Ana Ruiz" in rows[0], "Bo Chen" in rows[1], "Cy Diaz" in rows[2]] == [True, True, True]
    assert rows[0].rstrip().endswith("<td>Bo Chen</td>\n        </tr>")
    assert f'data-graph-src="{reverse("graph:data")}"' in page
    filtered = signed_in.get(reverse("graph:page"), {"circle": "colleague"}).content.decode()
    assert f'data-graph-src="{reverse("graph:data")}?circle=colleague"' in filtered
    assert "vendor/cytoscape/cytoscape.min.js" in page
    # In the More menu, after its icon.
    assert re.search(r'aria-current="page">(<svg .*?</svg>)?Graph</a>', page, re.S)


def test_a_cluster_on_the_page_links_to_the_graph_narrowed_to_it(signed_in, network, alice):
    page = html.unescape(signed_in.get(reverse("graph:page"), {"limit": "100", "circle": "colleague"}).content.decode())
    assert "Not shown" not in page
    for k in range(100):
        make_person(alice, f"Extra {k}", circle="vendor")
    page = html.unescape(signed_in.get(reverse("graph:page"), {"limit": "100"}).content.decode())
    clusters = page.split('id="clusters-title"')[1].split("</section>")[0]
    assert "Not shown, by circle" in page
    assert f'<a href="{reverse("graph:page")}?circle=vendor&limit=100">vendor/supplier</a>' in clusters


def test_an_htmx_filter_gets_only_the_results(signed_in, network):
    response = signed_in.get(reverse("graph:page"), {"organization": "Acme"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="graph-results"')
    assert "Bo Chen" in body and "Ana Ruiz" not in body.split("<table")[1]


def test_the_page_and_json_take_a_fixed_number_of_queries(signed_in, network, alice):
    signed_in.get(reverse("graph:page"))
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("graph:data"))
    for k in range(20):
        make_touch(alice, make_person(alice, f"More {k}", organization=f"Org {k}"), "call", NOW - timedelta(days=k + 1))
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("graph:data"))
    assert len(many) == len(few)
