"""A new user's first minute: the one-time link, the demo network, a Today with real work."""

import re

from playwright.sync_api import expect

from kithkin.accounts.services import create_login_token, get_or_create_local_owner
from kithkin.web.tests.browser.conftest import SLOW_SERVER_TIMEOUT_MS, tab_to


def test_a_new_user_opens_the_link_loads_the_demo_and_sees_today(page, journey):
    token = create_login_token(get_or_create_local_owner())
    page.goto(f"/accounts/link/{token}/")
    # The link asks before it signs in: only its button (a post with this page's CSRF token) does.
    expect(page.get_by_role("heading", name="Sign in as owner?")).to_be_visible()
    journey.step("sign in")
    sign_in = page.get_by_role("button", name="Sign in as owner")
    if journey.how == "keyboard":
        tab_to(page, sign_in)
        page.keyboard.press("Enter")
    else:
        sign_in.click()
    expect(page.get_by_role("heading", name="Welcome to Kithkin")).to_be_visible()
    journey.step("welcome")

    # Building 300 people is the longest thing the server does in any journey: on a busy machine
    # it takes several seconds, so both the click (which waits for the response) and the check
    # of the result wait for as long as that may take.
    load = page.get_by_role("button", name="Load a demo network")
    if journey.how == "keyboard":
        tab_to(page, load)
        page.keyboard.press("Enter")
    else:
        load.click(timeout=SLOW_SERVER_TIMEOUT_MS)

    loaded = page.get_by_text(re.compile(r"Loaded a demo network: 300 people"))
    expect(loaded).to_be_visible(timeout=SLOW_SERVER_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome to Kithkin")).to_have_count(0)
    # Real follow-ups, each with its drafted sentence and one-click actions.
    rows = page.locator("#due .followup")
    expect(rows.first).to_be_visible()
    expect(rows.first.get_by_role("button", name=re.compile("^Done: "))).to_be_visible()
    journey.unfold("Recently logged")  # on a phone, the sections after the follow-ups are folded
    expect(page.get_by_role("heading", name="Recently logged")).to_be_visible()
    journey.step("today")

    # `/` jumps to the search box from anywhere on the page.
    page.wait_for_load_state()
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search people")).to_be_focused()

    # The one-time link works once.
    page.goto(f"/accounts/link/{token}/")
    expect(page.get_by_role("heading", name="This sign-in link no longer works")).to_be_visible()
