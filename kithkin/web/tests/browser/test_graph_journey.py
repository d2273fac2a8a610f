"""The graph in the browser: it draws you, the people and their ties; selecting a cluster narrows
the graph to it, and selecting a person opens their page. By mouse on the drawing; by keyboard
through the table that lists the same people."""

from datetime import timedelta

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.network.graph import DEFAULT_LIMIT
from kithkin.network.ties import record_tie
from kithkin.testing import NOW, make_person, make_touch
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def a_network(owner):
    ana = make_person(owner, "Ana Ruiz", circle="friend", closeness="close")
    bo = make_person(owner, "Bo Chen", circle="colleague", organization="Acme")
    make_person(owner, "Cy Diaz", circle="colleague", organization="Acme")
    for weeks in (1, 2, 3):
        make_touch(owner, ana, "coffee", NOW - timedelta(weeks=weeks))
    make_touch(owner, bo, "call", NOW - timedelta(weeks=2))
    # Ana and Bo know each other, the user says; Bo and Cy are found tied, colleagues at Acme.
    record_tie(owner, ana, bo, "met at Ana's wedding")
    return ana, bo


# A point of the node that no other node covers (a small node among a hundred may be overlapped
# at its centre), else its centre.
FREE_POINT = """(el, id) => {
    const cy = el.kithkinGraph, box = cy.getElementById(id).renderedBoundingBox({includeLabels: false});
    const others = cy.nodes().filter(n => n.id() !== id).map(n => n.renderedBoundingBox({includeLabels: false}));
    const covered = (x, y) => others.some(b => x >= b.x1 && x <= b.x2 && y >= b.y1 && y <= b.y2);
    for (const fy of [0.5, 0.35, 0.65, 0.2, 0.8]) for (const fx of [0.5, 0.35, 0.65, 0.2, 0.8]) {
        const x = box.x1 + fx * box.w, y = box.y1 + fy * box.h;
        if (!covered(x, y)) return [x, y];
    }
    const p = cy.getElementById(id).renderedPosition();
    return [p.x, p.y];
}"""


def click_node(page, node_id):
    """Click a node of the drawing where Cytoscape drew it, once nothing more is loading (a
    drawing made again after the point was read would move it)."""
    page.wait_for_load_state("networkidle")
    canvas = page.locator("#graph-canvas")
    canvas.evaluate("el => el.scrollIntoView({block: 'center'})")
    point = canvas.evaluate(FREE_POINT, node_id)
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_the_graph_draws_the_network_narrows_to_a_circle_and_opens_a_person(page, journey):
    owner = get_or_create_local_owner()
    _ana, bo = a_network(owner)
    sign_in(page)
    journey.go("Graph")
    expect(page.get_by_role("heading", name="Graph", exact=True)).to_be_visible()
    canvas = page.locator("#graph-canvas")
    # You, the three people; the drawing replaces the table, a click away.
    expect(canvas).to_have_attribute("data-drawn", "4")
    expect(canvas).to_be_visible()
    assert canvas.evaluate("el => el.kithkinGraph.edges('[kind = \"tie\"]').length") == 2
    expect(page.locator("#graph-count")).to_contain_text("The 3 strongest of 3 people, with 2 ties between them.")
    journey.step("drawn")

    if journey.how == "keyboard":
        # The same people as a table: open it and follow a link.
        summary = page.get_by_text("The people shown and whom they know")
        tab_to(page, summary)
        page.keyboard.press("Enter")
        link = page.locator(".graph-list").get_by_role("link", name="Bo Chen")
        tab_to(page, link)
        journey.step("table")
        page.keyboard.press("Enter")
    else:
        # Narrow to colleagues by the form, and the rest fold into clusters by organization.
        page.get_by_label("Circle", exact=True).select_option("colleague")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url("/graph/?circle=colleague&organization=&interest=&limit=" + str(DEFAULT_LIMIT))
        expect(page.locator("#graph-canvas")).to_have_attribute("data-drawn", "3")
        journey.step("colleagues")
        click_node(page, f"p{bo.pk}")
    expect(page.get_by_role("heading", name="Bo Chen")).to_be_visible()
    expect(page).to_have_url(f"/people/{bo.pk}/")


def test_selecting_a_cluster_narrows_the_graph_to_it(page, shoot):
    owner = get_or_create_local_owner()
    a_network(owner)
    for k in range(104):
        make_person(owner, f"Vera Vendor {k:03d}", circle="vendor", organization="Supply Co")
    sign_in(page)
    page.goto("/graph/?limit=100")
    canvas = page.locator("#graph-canvas")
    # You, the 100 strongest, and one cluster: the seven vendors not shown.
    expect(canvas).to_have_attribute("data-drawn", "102")
    assert canvas.evaluate("el => el.kithkinGraph.getElementById('c0').data('label')") == "vendor/supplier · 7"
    shoot(page, "clustered")
    click_node(page, "c0")
    expect(page.locator("#graph-count")).to_contain_text("The 100 strongest of 104 people matching")
    expect(page.get_by_label("Circle", exact=True)).to_have_value("vendor")
    expect(page.locator("#graph-canvas")).to_have_attribute("data-drawn", "102")
    assert page.locator("#graph-canvas").evaluate("el => el.kithkinGraph.getElementById('c0').data('label')") == (
        "Supply Co · 4"
    )
    shoot(page, "vendors")
