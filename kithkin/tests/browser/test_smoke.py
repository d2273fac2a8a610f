from playwright.sync_api import expect

from kithkin.accounts.services import create_login_token, get_or_create_local_owner


def test_the_one_time_link_opens_today_in_a_real_browser(page, shoot):
    token = create_login_token(get_or_create_local_owner())
    page.goto(f"/accounts/link/{token}/")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    shoot(page, "today")
