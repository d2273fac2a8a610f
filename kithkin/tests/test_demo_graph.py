"""The graph over a demo network: it answers with people, the ties found among them, and the rest
in clusters that add up to the whole network."""

import pytest

from kithkin.demo import build_demo_network
from kithkin.network.graph import graph_data
from kithkin.people.models import Person

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_graph_of_a_demo_network_shows_the_strongest_their_ties_and_clusters_for_the_rest(alice):
    build_demo_network(alice, people=80)
    graph = graph_data(alice, limit=30)
    strengths = [p.strength for p in graph.people]
    assert len(graph.people) == 30 and strengths == sorted(strengths, reverse=True) and strengths[0] > 0
    assert graph.ties, "the demo's shared touches and organizations make ties"
    shown = {p.id for p in graph.people}
    assert all(t.first_id in shown and t.second_id in shown for t in graph.ties)
    in_network = Person.objects.filter(owner=alice, is_prospect=False).count()
    assert graph.total == in_network == 30 + sum(c.count for c in graph.clusters)
    colleagues = graph_data(alice, circle="colleague", limit=5)
    assert colleagues.cluster_by == "organization"
    assert all(p.circle == "colleague" for p in colleagues.people)
