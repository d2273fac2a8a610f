"""Settings → Connected accounts → Calendars, by mouse and by keyboard, at laptop and phone widths:
follow a calendar by its address (served on 127.0.0.1), sync it now, then stop following it."""

from datetime import timedelta

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.capture.tests.helpers import Event, calendar, ical_address
from kithkin.interactions.models import Touch
from kithkin.testing import NOW, make_person
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def test_follow_a_calendar_sync_it_then_stop_following_it(page, journey):
    make_person(get_or_create_local_owner(), "Ana Ruiz", emails=["ana@example.com"])
    with ical_address(calendar(Event("m1", NOW - timedelta(days=2), "Roadmap", ["ana@example.com"]))) as served:
        sign_in(page)
        journey.go("Settings")
        journey.activate(page.get_by_role("link", name="Connected accounts", exact=True))
        expect(page.get_by_role("heading", name="Calendars", level=2)).to_be_visible()
        journey.step("calendars-empty")

        # Plain http to another machine is refused, next to the address, on the page to add one.
        for typed in ("http://calendar.example.com/private-x/basic.ics", served.url):
            address = page.get_by_label("Calendar address")
            if journey.how == "keyboard":
                tab_to(page, address)
                page.keyboard.press("ControlOrMeta+a")
                page.keyboard.type(typed)
            else:
                address.fill(typed)
            journey.activate(page.get_by_role("button", name="Follow the calendar"))
            if typed != served.url:
                expect(page.get_by_text("Plain http is refused for calendar.example.com")).to_be_visible()
                expect(page.get_by_role("heading", name="Add a calendar", level=1)).to_be_visible()
                journey.step("calendar-refused")
        expect(page.get_by_text("Following 127.0.0.1 (…")).to_be_visible()
        expect(page.get_by_text("not synced yet")).to_be_visible()
        journey.step("calendar-followed")

        journey.activate(page.get_by_role("button", name="Sync now"))
        expect(page.get_by_text("1 touch logged")).to_be_visible()
        journey.step("calendar-synced")
    assert [t.notes for t in Touch.objects.all()] == ["Roadmap"]

    journey.activate(page.get_by_role("button", name="Remove"))
    expect(page.get_by_role("heading", name="Stop following 127.0.0.1")).to_be_visible()
    journey.step("calendar-remove-confirm")
    journey.activate(page.get_by_role("button", name="Stop following"))
    expect(page.get_by_text("No calendars yet")).to_be_visible()
    journey.step("calendar-removed")
    assert served.url not in page.content()
