"""Settings → Access tokens, by mouse and by keyboard, at laptop and phone widths: make a token,
use it from a program (a real HTTP request to /api/v1/people), then revoke it."""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.testing import make_person
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def people_with(url, secret):
    request = urllib.request.Request(f"{url}/api/v1/people", headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request, timeout=20) as answer:
        return answer.status, json.loads(answer.read())


def test_make_a_token_use_it_with_the_api_then_revoke_it(page, journey, live_server_url):
    make_person(get_or_create_local_owner(), "Ana Ruiz", organization="Acme")
    sign_in(page)
    journey.go("Settings")
    journey.activate(page.get_by_role("link", name="Access tokens", exact=True))
    expect(page.get_by_role("heading", name="Access tokens", level=1)).to_be_visible()
    journey.step("tokens-empty")

    name = page.get_by_label("Name")
    if journey.how == "keyboard":
        tab_to(page, name)
        page.keyboard.type("laptop script")
    else:
        name.fill("laptop script")
    journey.activate(page.get_by_role("button", name="Make a token"))
    expect(page.get_by_role("heading", name="Your new token “laptop script”")).to_be_visible()
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    journey.step("token-made")
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("kk_")

    status, found = people_with(live_server_url, secret)
    assert status == 200 and [p["name"] for p in found] == ["Ana Ruiz"]

    journey.activate(page.get_by_role("button", name="Revoke “laptop script”"))
    expect(page.get_by_role("heading", name="Revoke the token “laptop script”?")).to_be_visible()
    journey.step("revoke-confirm")
    journey.activate(page.get_by_role("button", name="Revoke the token"))
    expect(page.get_by_text("Revoked “laptop script”")).to_be_visible()
    journey.step("token-revoked")
    with pytest.raises(urllib.error.HTTPError) as refused:
        people_with(live_server_url, secret)
    assert refused.value.code == 401
