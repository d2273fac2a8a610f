"""Log a touch, refused: the cursor lands on the field to fix, not back in the name box."""

from playwright.sync_api import expect

from kithkin.accounts.services import create_login_token, get_or_create_local_owner
from kithkin.testing import make_person


# Issue 13, item 21g
def test_an_error_on_log_a_touch_puts_the_focus_on_the_field_in_error(page, journey):
    make_person(get_or_create_local_owner(), "Ana Ruiz")
    page.goto(f"/accounts/link/{create_login_token(get_or_create_local_owner())}/")
    page.get_by_role("button", name="Sign in as owner").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    # The heading shows before the deferred kithkin.js has run; the L key is listened for once loaded.
    page.wait_for_load_state()
    page.keyboard.press("l")
    dialog = page.locator("#capture-dialog")
    who = dialog.get_by_role("combobox", name="With")
    expect(who).to_be_focused()
    who.type("Ana")
    expect(dialog.get_by_role("option").first).to_contain_text("Ana Ruiz")
    page.keyboard.press("Enter")
    when = dialog.get_by_label("When")
    when.fill("the twelfth of never")
    page.keyboard.press("Control+Enter")
    expect(dialog.locator(".field-error")).to_be_visible()
    expect(when).to_be_focused()
    expect(who).not_to_be_focused()
    journey.step("capture-error-focus")
