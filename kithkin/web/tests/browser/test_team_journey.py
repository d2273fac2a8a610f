"""A shared server: an admin invites someone from the Team page; the invitation signs them in to
an empty network of their own, where they choose a password and can sign in with it later."""

from django.contrib.auth.models import User
from playwright.sync_api import expect

from kithkin.accounts.services import create_login_token
from kithkin.accounts.users import add_account
from kithkin.testing import make_person

PASSWORD = "a long and good password"


def test_an_admin_invites_someone_who_joins_to_an_empty_network(page, journey, browser, live_server_url):
    lea = add_account("lea@example.org", name="Lea Diaz", is_admin=True).account
    make_person(lea, "Ana Ruiz")
    page.goto(f"/accounts/link/{create_login_token(lea)}/")
    page.get_by_role("button", name="Sign in as lea@example.org").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()

    journey.go("Team")
    expect(page.get_by_role("heading", name="Team", level=1)).to_be_visible()
    journey.step("team")
    page.get_by_label("Email").fill("noa@example.org")
    page.get_by_label("Name").fill("Noa Berg")
    journey.activate(page.get_by_role("button", name="Invite"))
    link = page.get_by_label("Invitation link")
    expect(link).to_be_visible()
    journey.step("invited")
    url = link.input_value()
    assert "/accounts/invite/" in url

    # Noa, in a browser of her own.
    context = browser.new_context(base_url=live_server_url, viewport=page.viewport_size)
    noa = context.new_page()
    try:
        noa.goto(url)
        noa.get_by_role("button", name="Join as noa@example.org").click()
        expect(noa.get_by_role("heading", name="Choose a password")).to_be_visible()
        noa.get_by_label("Password", exact=True).fill(PASSWORD)
        noa.get_by_label("Password again").fill(PASSWORD)
        noa.get_by_role("button", name="Save the password").click()
        expect(noa.get_by_role("heading", name="Today", exact=True)).to_be_visible()
        expect(noa.get_by_text("Ana Ruiz")).to_have_count(0)
    finally:
        context.close()
    assert User.objects.get(email="noa@example.org").check_password(PASSWORD)

    # Lea sees that Noa has signed in.
    journey.go("Team")
    row = page.get_by_role("row").filter(has_text="noa@example.org")
    expect(row).not_to_contain_text("never")
