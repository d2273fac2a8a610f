"""The Insights page in a browser: reached from the navigation, every chart an image with its name,
its numbers a click away, and no accessibility violation (the journey checks each step)."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.exchanges.services import record_exchange
from kithkin.network.tests.scenarios import three_ties
from kithkin.testing import NOW, make_person, make_touch
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def a_network():
    owner = get_or_create_local_owner()
    three_ties(owner)
    ana = make_person(owner, "Ana Ruiz", organization="Acme", circle="colleague", closeness="close")
    make_person(owner, "Bo Chen", organization="Acme", circle="friend", is_prospect=True, why="Fintech")
    make_touch(owner, ana, "coffee", NOW - timedelta(days=3))
    record_exchange(owner, ana, "gave", "An intro to a payments lawyer", kind="intro")


def test_the_insights_page_charts_the_network_with_tables(page, journey):
    a_network()
    sign_in(page)
    journey.go("Insights")
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Your layers against Dunbar's")).to_be_visible()
    expect(page.get_by_role("img")).to_have_count(9)
    journey.step("insights")
    numbers = page.locator("details.numbers").first
    journey.activate(numbers.locator("summary"))
    expect(numbers.get_by_role("table")).to_be_visible()
    # Cole of the three ties and Ana: two colleagues, one of them close.
    cells = numbers.get_by_role("row", name=re.compile(r"^Colleague ")).get_by_role("cell")
    expect(cells.nth(0)).to_have_text("2")  # everyone of the circle
    expect(cells.nth(2)).to_have_text("1")  # of them close
    journey.step("insights-numbers")
