"""The main pages under a strict Content-Security-Policy: nothing refused, and the behaviours that
were inline hx-on handlers (now in kithkin.js) still work. Every journey's page fixture also fails
on a refusal; this one visits the pages and handlers that had inline code."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.testing import make_person
from kithkin.web.tests.browser.test_daily_journeys import sign_in


# Issue 13, item 10
def test_the_main_pages_run_under_a_strict_content_security_policy_with_their_behaviours(page):
    owner = get_or_create_local_owner()
    ana = make_person(owner, "Ana Ruiz", closeness="close", organization="Acme")
    ana_again = make_person(owner, "Ana Ruiz", organization="Acme")
    make_person(owner, "Ana Ruiz", organization="Acme")
    make_person(owner, "Bo Chen", closeness="close")
    make_person(owner, "Chidi Jensen")
    sign_in(page)

    today = page.goto("/")
    policy = today.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in today.headers["permissions-policy"]
    assert "no-store" in today.headers["cache-control"]
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()

    page.goto(reverse("people:detail", args=[ana.pk]))
    expect(page.get_by_role("heading", name="Ana Ruiz", level=1)).to_be_visible()
    page.goto(reverse("imports:list"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # Log a touch: the L key opens quick capture in a dialog.
    page.keyboard.press("l")
    expect(page.locator("#capture-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#capture-dialog")).to_be_hidden()

    # People: ticking a row counts it and opens the bulk edit; "select all on this page" ticks all.
    page.goto(reverse("people:list"))
    bulk = page.locator("details.bulk-edit")
    expect(bulk).not_to_have_attribute("open", "")
    page.get_by_label("Select Bo Chen").check()
    expect(page.locator("[data-selected]")).to_have_text("1 selected")
    expect(bulk).to_have_attribute("open", "")
    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-selected]")).to_have_text("5 selected")
    expect(page.locator("input[name=ids]:not(:checked)")).to_have_count(0)
    # A filter's change asks for results at once, and the URL leaves the empty fields out.
    page.locator(".more-filters summary").click()
    page.get_by_label("Closeness", exact=True).select_option("close")
    expect(page.locator("#people-count")).to_have_text(re.compile(r"^2 people matching"))
    assert "closeness=close" in page.url and "q=" not in page.url

    # Possible duplicates: a merge marks the other pairs of the person merged away as out of date.
    page.goto(reverse("people:duplicates"))
    pair = page.locator(f"li.pair[data-people~='{ana.pk}'][data-people~='{ana_again.pk}']")
    pair.get_by_role("button", name="Keep this one: Ana Ruiz (added first)").click()
    pair.get_by_role("button", name="Merge into Ana Ruiz (added first)", exact=True).click()
    expect(page.get_by_text("Merged Ana Ruiz (added later) into Ana Ruiz (added first).")).to_be_visible()
    stale = page.locator(f"li.pair[data-people~='{ana_again.pk}']:not([data-people~='{ana.pk}'])")
    expect(stale).to_have_count(1)
    expect(stale).to_have_class(re.compile(r"\bis-stale\b"))
    expect(stale.locator(".stale-note")).to_be_visible()
    expect(stale.locator(".pair-actions")).to_have_count(0)
