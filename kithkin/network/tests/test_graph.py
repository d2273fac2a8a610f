"""The graph: the strongest people around you, the ties among them, and the rest in clusters."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.core.errors import BadInput
from kithkin.network.graph import graph_data
from kithkin.network.models import Tie
from kithkin.network.serialize import graph_to_data
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def tie(owner, a, b, weight=5.0, last_day=date(2026, 11, 1), kinds="touch"):
    first, second = sorted([a, b], key=lambda p: p.pk)
    # Colleagues at one organization are found tied already: the evidence here replaces theirs.
    return Tie.objects.update_or_create(
        owner=owner,
        first=first,
        second=second,
        defaults={"weight": weight, "first_day": last_day, "last_day": last_day, "kinds": kinds, "computed_at": NOW},
    )[0]


def person(owner, name, *, touches=0, organization=None, **fields):
    found = make_person(owner, name, organization=organization, **fields)
    for k in range(touches):
        make_touch(owner, found, "coffee", NOW - timedelta(days=7 * k + 1))
    return found


@pytest.fixture
def network(alice):
    """Five colleagues and friends of various strengths, two at Acme."""
    return {
        "fran": person(alice, "Fran Ortega", touches=6, circle="friend", closeness="close"),
        "cole": person(alice, "Cole Baptiste", touches=4, circle="colleague", organization="Acme"),
        "dina": person(alice, "Dina Park", touches=2, circle="colleague", organization="Acme"),
        "eli": person(alice, "Eli Stone", touches=1, circle="friend", organization="Globex"),
        "gus": person(alice, "Gus Lee", circle="colleague", organization="Globex", interests=["marathons"]),
    }


def names(graph):
    return [p.name for p in graph.people]


def test_people_come_strongest_first_with_their_strength_and_those_never_in_touch_last(alice, network):
    graph = graph_data(alice)
    assert names(graph) == ["Fran Ortega", "Cole Baptiste", "Dina Park", "Eli Stone", "Gus Lee"]
    strengths = [p.strength for p in graph.people]
    assert strengths == sorted(strengths, reverse=True)
    assert strengths[0] > 0 and strengths[-1] == 0
    assert graph.total == 5 and graph.clusters == []


def test_the_limit_shows_the_strongest_and_folds_the_rest_into_clusters_by_circle(alice, network):
    graph = graph_data(alice, limit=2)
    assert names(graph) == ["Fran Ortega", "Cole Baptiste"]
    assert graph.cluster_by == "circle"
    assert [(c.label, c.count, c.filters) for c in graph.clusters] == [
        ("colleague", 2, {"circle": "colleague"}),
        ("friend", 1, {"circle": "friend"}),
    ]
    assert graph.total == 5


def test_a_circle_opened_folds_its_rest_by_organization(alice, network):
    graph = graph_data(alice, circle="Colleague", limit=1)
    assert graph.filters == {"circle": "colleague"}
    assert names(graph) == ["Cole Baptiste"]
    assert graph.cluster_by == "organization"
    assert [(c.label, c.count, c.filters) for c in graph.clusters] == [
        ("Acme", 1, {"circle": "colleague", "organization": "Acme"}),
        ("Globex", 1, {"circle": "colleague", "organization": "Globex"}),
    ]


def test_people_with_no_organization_and_organizations_past_the_first_twenty_share_a_cluster_no_filter_opens(
    alice, network
):
    for k in range(22):
        person(alice, f"Org Person {k}", organization=f"Org {k:02d}")
    person(alice, "Nora Free")
    graph = graph_data(alice, cluster_by="organization", limit=1)
    by_key = {c.key: c for c in graph.clusters}
    assert (by_key["organization:-"].label, by_key["organization:-"].count) == ("no organization", 1)
    assert (by_key["organization:*"].label, by_key["organization:*"].count) == ("4 other organizations", 4)
    assert by_key["organization:-"].filters is None
    assert by_key["organization:*"].filters is None
    assert len(graph.clusters) == 22
    assert graph.total == 28 == 1 + sum(c.count for c in graph.clusters)


def test_filters_by_organization_and_interest_narrow_the_people_shown(alice, network):
    assert names(graph_data(alice, organization="acme")) == ["Cole Baptiste", "Dina Park"]
    assert names(graph_data(alice, interest="Marathons")) == ["Gus Lee"]
    assert names(graph_data(alice, circle="friend", organization="Globex")) == ["Eli Stone"]
    assert names(graph_data(alice, organization="Nowhere Inc")) == []


def test_people_you_only_want_to_meet_are_not_in_the_graph(alice, network):
    person(alice, "Pat Prospect", is_prospect=True, why="runs fintech at Acme")
    assert "Pat Prospect" not in names(graph_data(alice))


def test_ties_among_the_people_shown_are_edges_and_ties_to_people_folded_away_are_not(alice, network):
    tie(alice, network["fran"], network["cole"], weight=8)
    tie(alice, network["cole"], network["dina"], weight=2)
    tie(alice, network["fran"], network["gus"], weight=9)
    graph = graph_data(alice, limit=3)
    pairs = {(t.first_id, t.second_id) for t in graph.ties}
    fran, cole, dina = network["fran"].pk, network["cole"].pk, network["dina"].pk
    assert pairs == {tuple(sorted((fran, cole))), tuple(sorted((cole, dina)))}
    assert [t.kinds for t in graph.ties] == [("touch",), ("touch",)]
    assert graph.ties[0].strength > graph.ties[1].strength > 0


def test_another_users_people_and_ties_never_appear(alice, bob, network):
    bobs = [person(bob, "Bo Chen", touches=3, circle="friend"), person(bob, "Bea Lund", circle="friend")]
    tie(bob, *bobs)
    tie(alice, network["fran"], network["cole"])
    alices = graph_data(alice)
    assert "Bo Chen" not in names(alices) and "Bea Lund" not in names(alices)
    hers = {p.pk for p in network.values()}
    assert alices.ties and {pk for t in alices.ties for pk in (t.first_id, t.second_id)} <= hers
    bobs_graph = graph_data(bob)
    assert names(bobs_graph) == ["Bo Chen", "Bea Lund"]
    assert [(t.first_id, t.second_id) for t in bobs_graph.ties] == [tuple(sorted(p.pk for p in bobs))]
    assert bobs_graph.total == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"circle": "rivals"}, "circle"), ({"limit": 0}, "limit"), ({"cluster_by": "closeness"}, "cluster_by")],
)
def test_bad_filters_are_refused_naming_the_field(alice, network, kwargs, field):
    with pytest.raises(BadInput) as refused:
        graph_data(alice, **kwargs)
    assert refused.value.field == field


def test_the_graph_takes_the_same_number_of_queries_whatever_the_size_of_the_network(alice, network):
    tie(alice, network["fran"], network["cole"])
    with CaptureQueriesContext(connection) as small:
        graph_data(alice, limit=2)
    for k in range(30):
        person(alice, f"More {k}", touches=1, circle="other", organization=f"Org {k}")
    with CaptureQueriesContext(connection) as large:
        graph = graph_data(alice, limit=20)
    # Three or four of them only check that strengths and ties were worked out at all.
    assert len(large) == len(small) <= 9
    assert len(graph.people) == 20


def test_the_json_puts_you_at_the_centre_with_an_edge_to_each_person_and_the_ties(alice, network):
    tie(alice, network["fran"], network["cole"], kinds="colleague,touch")
    data = graph_to_data(graph_data(alice, limit=2), you="Alice", person_url=lambda pk: f"/people/{pk}/")
    assert data["nodes"][0] == {"id": "you", "kind": "you", "name": "Alice"}
    fran = data["nodes"][1]
    assert fran["name"] == "Fran Ortega" and fran["url"] == f"/people/{network['fran'].pk}/"
    assert [e["kind"] for e in data["edges"]] == ["you", "you", "tie"]
    assert data["edges"][2]["kinds"] == ["colleague", "touch"]
    assert data["shown"] == 2 and data["total"] == 5
    assert data["clusters"][0] == {
        "key": "circle:colleague",
        "label": "colleague",
        "count": 2,
        "filters": {"circle": "colleague"},
    }
