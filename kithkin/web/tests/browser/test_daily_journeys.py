"""The daily journeys, by mouse and by keyboard, at laptop and phone widths."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from kithkin.accounts.services import create_login_token, get_or_create_local_owner
from kithkin.testing import NOW, make_person, make_touch
from kithkin.web.tests.browser.conftest import tab_to


def sign_in(page):
    page.goto(f"/accounts/link/{create_login_token(get_or_create_local_owner())}/")
    page.get_by_role("button", name="Sign in as owner").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def test_paste_people_capture_a_coffee_then_thank_one_and_snooze_the_other(page, journey):
    sign_in(page)
    journey.go("People")
    journey.activate(page.get_by_role("main").get_by_text("Add someone", exact=True))
    paste = page.get_by_label("Names and email addresses")
    if journey.how == "keyboard":
        tab_to(page, paste)
        page.keyboard.type("Ana Ruiz <ana@acme.example>\nBo Chen <bo@globex.example>")
    else:
        paste.fill("Ana Ruiz <ana@acme.example>\nBo Chen <bo@globex.example>")
    journey.activate(page.get_by_role("button", name="Preview"))
    expect(page.get_by_role("heading", name="Check the list before adding")).to_be_visible()
    expect(page.get_by_label("Add Ana Ruiz")).to_be_checked()
    journey.step("paste-preview")
    journey.activate(page.get_by_role("button", name="Add the ticked people"))
    page.wait_for_url(re.compile(r"/people/add/added/"))  # loaded: the `l` key is listened for
    expect(page.get_by_text("Added 2 people.")).to_be_visible()

    # Quick capture: `l` from anywhere, or the button.
    if journey.how == "keyboard":
        page.keyboard.press("l")
    else:
        page.get_by_role("button", name="Log a touch", exact=True).click()
    expect(page.get_by_role("dialog", name="Log a touch")).to_be_visible()
    dialog = page.locator("#capture-dialog")
    who = dialog.get_by_role("combobox", name="With")
    expect(who).to_be_focused()
    for name in ("Ana", "Bo"):
        who.type(name)
        expect(dialog.get_by_role("option").first).to_contain_text(name)
        if journey.how == "keyboard":
            page.keyboard.press("Enter")
        else:
            dialog.get_by_role("option").first.click()
    expect(dialog.locator(".chip")).to_have_count(2)
    when = dialog.get_by_label("When")
    if journey.how == "keyboard":
        tab_to(page, when)
        page.keyboard.press("Control+A")
        page.keyboard.type("yesterday 9am")
        page.keyboard.press("Control+Enter")
    else:
        when.fill("yesterday 9am")
        dialog.get_by_role("button", name="Log touch").click()
    expect(dialog.get_by_role("heading", name="Logged")).to_be_visible()
    expect(dialog.get_by_text("Thank Ana for yesterday's coffee")).to_be_visible()
    expect(dialog.get_by_text("Thank Bo for yesterday's coffee")).to_be_visible()
    journey.step("captured")
    if journey.how == "keyboard":
        page.keyboard.press("Escape")
    else:
        dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    journey.go("Today")
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))  # loaded: htmx handles the row actions
    thanks = page.locator("#due-thank_you + .followups")
    expect(thanks.get_by_text("Thank Ana for yesterday's coffee")).to_be_visible()
    expect(thanks.get_by_text("1 hour overdue").first).to_be_visible()
    journey.step("today-with-thank-yous")

    journey.activate(page.get_by_role("button", name="Done: Thank Ana for yesterday's coffee"))
    ana_row = page.locator(".followup", has_text="Thank Ana for yesterday's coffee")
    expect(ana_row).to_have_class(re.compile(r"\bclosed\b"))
    expect(ana_row.get_by_role("status")).to_have_text("Done: Thank Ana for yesterday's coffee")
    # Issue 13, item 18: an inline Undo brings the row back with its actions.
    journey.activate(ana_row.get_by_role("button", name="Undo: Thank Ana for yesterday's coffee"))
    expect(ana_row).not_to_have_class(re.compile(r"\bclosed\b"))
    journey.activate(page.get_by_role("button", name="Done: Thank Ana for yesterday's coffee"))
    expect(ana_row).to_have_class(re.compile(r"\bclosed\b"))

    # One main action per row; snooze and skip wait in its "More" menu.
    journey.activate(page.get_by_label("More: Thank Bo for yesterday's coffee"))
    journey.activate(page.get_by_role("button", name="Snooze until next week: Thank Bo for yesterday's coffee"))
    bo_row = page.locator(".followup", has_text="Thank Bo for yesterday's coffee")
    expect(bo_row.get_by_role("status")).to_contain_text("Snoozed until Mon 23 Nov, 09:00")
    journey.step("done-and-snoozed")

    page.reload()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_text("Thank Bo for yesterday's coffee")).to_have_count(0)
    expect(page.get_by_text("Thank Ana for yesterday's coffee")).to_have_count(0)
    journey.unfold("Recently logged")  # folded on a phone
    expect(page.get_by_text("Coffee with")).to_be_visible()
    journey.step("today-after")


def test_search_open_a_person_and_change_their_closeness_in_place(page, journey):
    owner = get_or_create_local_owner()
    for name in ("Marco Rossi", "Marta Lindqvist", "Bo Chen"):
        make_person(owner, name)
    marta = make_person(owner, "Marta Quiroga", organization="Initech", title="CFO", closeness="wider")
    make_touch(owner, marta, "call", NOW - timedelta(days=10))
    sign_in(page)

    journey.go("People")
    page.wait_for_url(re.compile(r"/people/$"))  # loaded: htmx wires the search box
    search = page.get_by_role("searchbox", name="Search people")
    if journey.how == "keyboard":
        expect(search).to_be_focused()  # the People page starts in its search box
        page.keyboard.type("quir")
    else:
        search.fill("quir")
    expect(page.get_by_role("link", name="Marta Lindqvist")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=quir"))
    journey.step("search")
    journey.activate(page.get_by_role("link", name="Marta Quiroga"))
    page.wait_for_url(re.compile(rf"/people/{marta.pk}/$"))

    expect(page.get_by_role("heading", name="Marta Quiroga", level=1)).to_be_visible()
    check_in = page.locator("#next-check-in")
    later = (NOW - timedelta(days=10) + timedelta(days=180)).strftime("%a %-d %b %Y")
    expect(check_in).to_contain_text(later)
    journey.step("person")

    journey.unfold("Relationship")  # on a phone the profile is folded under the follow-ups
    journey.activate(page.get_by_role("link", name="Edit relationship"))
    # The form takes the focus (htmx applies autofocus once the swap settles).
    expect(page.get_by_label("Circle")).to_be_focused()
    closeness = page.get_by_label("Closeness")
    if journey.how == "keyboard":
        tab_to(page, closeness)
        page.keyboard.press("ArrowUp")  # wider -> active
        page.keyboard.press("ArrowUp")  # active -> close
    else:
        closeness.select_option("close")
    expect(closeness).to_have_value("close")
    journey.step("editing")
    journey.activate(page.get_by_role("button", name="Save"))

    sooner = (NOW - timedelta(days=10) + timedelta(days=30)).strftime("%a %-d %b %Y")
    expect(check_in).to_contain_text(sooner)
    expect(check_in).to_contain_text("due in 2 weeks")
    expect(page.locator("#section-relationship")).to_contain_text("every 30 days")
    expect(page.locator("#follow-ups")).to_contain_text("due in 2 weeks")
    expect(page.get_by_role("link", name="Edit relationship")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/people/{marta.pk}/$"))
    journey.step("saved")

    # The back button returns to the search as it was.
    page.go_back()
    expect(page.get_by_role("searchbox", name="Search people")).to_have_value("quir")
    expect(page.get_by_role("link", name="Marta Quiroga")).to_be_visible()


def test_logging_a_touch_from_a_persons_page_starts_with_them_and_refreshes_the_page(page, journey):
    owner = get_or_create_local_owner()
    ana = make_person(owner, "Ana Ruiz", closeness="close")
    sign_in(page)
    page.goto(f"/people/{ana.pk}/")
    page.wait_for_load_state()
    journey.activate(page.get_by_role("button", name="Log a touch with Ana"))
    dialog = page.locator("#capture-dialog")
    expect(dialog.locator(".chip")).to_have_text(re.compile("Ana Ruiz"))
    expect(dialog.get_by_role("combobox", name="With")).to_be_focused()
    if journey.how == "keyboard":
        page.keyboard.press("Control+Enter")
    else:
        dialog.get_by_role("button", name="Log touch").click()
    expect(dialog.get_by_role("heading", name="Logged")).to_be_visible()
    journey.step("logged-from-person")
    if journey.how == "keyboard":
        page.keyboard.press("Escape")
    else:
        dialog.get_by_role("button", name="Close").click()
    # The page behind refreshes: the coffee is in the timeline, its thank-you among the follow-ups.
    expect(page.locator("#timeline")).to_contain_text("Coffee")
    expect(page.locator("#follow-ups")).to_contain_text("Thank Ana for today's coffee")
