"""Every page on the demo network, light and dark, at laptop and phone widths: the design's rules.

No sideways scroll; on a phone no text under 14 px; axe's WCAG 2.1 AA checks in both colour
schemes; no ids or query syntax a person reads; the navigation on one line; one primary button
in each follow-up row; Today on a phone shorter than 2,500 px.
"""

import re

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.core.scopes import owner_scope
from kithkin.demo import build_demo_network
from kithkin.web.followups.views import DEMO_PEOPLE
from kithkin.web.tests.browser.conftest import SCHEMES, accessibility_violations
from kithkin.web.tests.browser.layout import layout_problems, pages
from kithkin.web.tests.browser.test_daily_journeys import sign_in

# A number after "#", as an id would read ("#39"); or a filter's syntax ("circle:friend").
ID_OR_SYNTAX = re.compile(r"#\d+\b|\b(?:circle|closeness|prospects|org|list):[a-z]", re.IGNORECASE)


def test_every_page_keeps_the_design_rules(page, viewport, shoot):
    owner = get_or_create_local_owner()
    with owner_scope(owner):
        build_demo_network(owner, people=DEMO_PEOPLE)
        found = pages()
    sign_in(page)
    broken: list[str] = []
    for name, url in found.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        problems = layout_problems(page)
        if viewport == "desktop":  # the 14 px floor is a phone's; sideways scroll is everyone's
            problems = [p for p in problems if "sideways" in p]
        broken += [f"{name}: {problem}" for problem in problems]
        for scheme in SCHEMES:
            broken += [f"{name} ({scheme}): {problem}" for problem in accessibility_violations(page, scheme)]
        text = page.locator("main").inner_text()
        broken += [f"{name}: says {m.group(0)!r}" for m in ID_OR_SYNTAX.finditer(text)]
    assert not broken, "\n".join(broken)


def test_today_on_a_phone_is_short_has_a_tab_bar_and_one_main_action_a_row(page, viewport, shoot):
    owner = get_or_create_local_owner()
    with owner_scope(owner):
        build_demo_network(owner, people=DEMO_PEOPLE)
    sign_in(page)
    page.wait_for_load_state("networkidle")
    rows = page.locator("li.followup")
    assert rows.count() > 5
    for i in range(rows.count()):
        row = rows.nth(i)
        primary = row.locator("button:not(.secondary):not(.outline)")
        assert primary.count() == 1, row.inner_text()
    height = page.evaluate("document.documentElement.scrollHeight")
    shoot(page, "today")
    if viewport == "phone":
        assert height < 2500
        tabs = page.get_by_role("navigation", name="Tabs")
        expect(tabs).to_be_visible()
        box = tabs.locator("ul").bounding_box()
        assert box is not None and box["height"] <= 64  # one line of five tabs, not wrapped
        for name in ("Today", "People", "Intros"):
            expect(tabs.get_by_role("link", name=name, exact=True)).to_be_visible()
        tabs.get_by_role("button", name="More").click()
        expect(page.get_by_role("link", name="Insights")).to_be_visible()
    else:
        nav = page.get_by_role("navigation", name="Main")
        assert nav.bounding_box()["height"] <= 64
        expect(page.get_by_role("navigation", name="Tabs")).to_be_hidden()


# The body's background colour, as [red, green, blue].
BACKGROUND = "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)"


def test_the_dark_scheme_darkens_every_surface(page, viewport):
    sign_in(page)
    # Waited for, not read once: under load Chromium was once seen to answer a transparent
    # background for a moment after the scheme changed (CI, 2026-12-06).
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(f"Math.max(...{BACKGROUND}) < 40")
    page.emulate_media(color_scheme="light")
    page.wait_for_function(f"Math.min(...{BACKGROUND}) > 230")
