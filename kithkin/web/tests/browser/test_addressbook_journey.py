"""Settings → Connected accounts → Address books, by mouse and by keyboard, at laptop and phone
widths: connect a real CardDAV address book (Radicale on 127.0.0.1), look at its first sync,
import it, then remove it."""

from playwright.sync_api import expect

from kithkin.capture.tests.conftest import card, carddav  # noqa: F401  (carddav is a fixture)
from kithkin.people.models import Person
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def test_connect_an_address_book_look_at_its_first_sync_import_it_then_remove_it(
    page,
    journey,
    carddav,  # noqa: F811
):
    carddav.put("ana", card("Ana Ruiz", email="ana@acme.example", org="Acme"))
    carddav.put("bo", card("Bo Li", email="bo@li.example"))
    sign_in(page)
    journey.go("Settings")
    journey.activate(page.get_by_role("link", name="Connected accounts", exact=True))
    expect(page.get_by_role("heading", name="Address books", level=2)).to_be_visible()

    form = page.get_by_role("form", name="Add an address book")  # each kind has a user name and a password
    fields = {"Address": carddav.server.url, "User name": "ana", "Password": carddav.server.password}
    for label, value in fields.items():
        field = form.get_by_label(label, exact=True)
        if journey.how == "keyboard":
            tab_to(page, field)
            page.keyboard.type(value)
        else:
            field.fill(value)
    journey.step("address-book-form")
    journey.activate(page.get_by_role("button", name="Connect and preview"))
    expect(page.get_by_role("heading", name="New people")).to_be_visible()
    expect(page.get_by_text("Bo Li", exact=True)).to_be_visible()
    journey.step("first-sync-preview")
    assert Person.objects.count() == 0

    journey.activate(page.get_by_role("button", name="Import", exact=True))
    expect(page.get_by_text("what changes in it comes in by itself")).to_be_visible()
    journey.step("imported")
    assert sorted(Person.objects.values_list("full_name", flat=True)) == ["Ana Ruiz", "Bo Li"]

    page.goto("/connections/#address-books")
    expect(page.get_by_role("button", name="Sync now Contacts on", exact=False)).to_be_visible()
    journey.step("address-book-listed")
    journey.activate(page.get_by_role("button", name="Remove Contacts on", exact=False))
    expect(page.get_by_role("heading", name="Remove the address book", exact=False)).to_be_visible()
    journey.activate(page.get_by_role("button", name="Remove the address book"))
    expect(page.get_by_text("The people it brought in stay in your network")).to_be_visible()
    journey.step("address-book-removed")
    assert Person.objects.count() == 2
