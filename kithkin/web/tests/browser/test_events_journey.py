"""An event with a plan, by mouse and by keyboard, at laptop and phone widths: plan it (goal,
pitch, conversation starters, people hoped to meet), then the morning after record whom you met
(one known, one new name), see the thank-yous on Today, send one, and give the event a verdict."""

import re
from datetime import timedelta

import time_machine
from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.events.models import Event
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in

# NOW is Sunday 10:00; the event is tonight at 18:30 and the journey goes on the morning after.
MORNING_AFTER = NOW + timedelta(hours=22)


def type_into(journey, page, field, text):
    """Fill ``field``: reach it with Tab and type, or click into it and fill it."""
    if journey.how == "keyboard":
        tab_to(page, field)
        page.keyboard.type(text)
    else:
        field.fill(text)


def pick(journey, page, combobox, text, option):
    """Type into a people combobox and choose ``option`` (a name, or "Add “X” as a new person")."""
    if journey.how == "keyboard":
        tab_to(page, combobox)
    else:
        combobox.click()
    combobox.press_sequentially(text)
    listbox = page.locator("#" + str(combobox.get_attribute("aria-controls")))
    choice = listbox.get_by_role("option", name=option)
    expect(choice).to_be_visible()
    if journey.how == "keyboard":
        expect(choice).to_have_attribute("aria-selected", "true")
        page.keyboard.press("Enter")
    else:
        choice.click()


def test_plan_an_event_record_whom_you_met_thank_them_and_review_it(page, journey):
    owner = get_or_create_local_owner()
    make_person(owner, "Ana Ruiz", organization="Acme", title="Head of Payments", interests=["fintech"])
    sign_in(page)

    # Before: the plan.
    journey.go("Events")
    page.wait_for_url(re.compile(r"/events/$"))
    expect(page.get_by_text("Nothing planned.")).to_be_visible()
    journey.step("no-events")
    journey.activate(page.get_by_role("button", name="Plan an event"))
    page.wait_for_url(re.compile(r"/events/new/$"))  # loaded: the combobox is wired
    type_into(journey, page, page.get_by_label("Event", exact=True), "Fintech Breakfast")
    when = page.get_by_label("When")
    if journey.how == "keyboard":
        tab_to(page, when)
        page.keyboard.type("tonight 6:30pm")
    else:
        when.fill("tonight 6:30pm")
    type_into(journey, page, page.get_by_label("Where"), "Impact Hub, Calle Alameda 22")
    type_into(journey, page, page.get_by_label("What you want from it"), "Meet two people who work in payments")
    type_into(
        journey,
        page,
        page.get_by_label("Your one-line pitch"),
        "I'm a marketing analyst and I want to move into finance",
    )
    starters = page.get_by_label("Conversation starters")
    type_into(journey, page, starters, "What brought you here?\nWhat are you working on this quarter?")
    hopes = page.get_by_role("combobox", name="People you hope to meet")
    pick(journey, page, hopes, "Ana", re.compile("Ana Ruiz"))
    pick(journey, page, hopes, "Grace Hopper", "Add “Grace Hopper” as a new person")
    chips = page.get_by_role("list", name="People you hope to meet")
    expect(chips.locator(".chip")).to_have_count(2)
    journey.step("plan-form")
    if journey.how == "keyboard":
        page.keyboard.press("Control+Enter")
    else:
        page.get_by_role("button", name="Save the plan").click()

    page.wait_for_url(re.compile(r"/events/\d+/$"))
    expect(page.get_by_text("Planned. Added Grace Hopper to the people you want to meet.")).to_be_visible()
    plan = page.locator("#plan")
    expect(plan.get_by_role("heading", name="The plan")).to_be_visible()
    expect(plan.get_by_text("I'm a marketing analyst and I want to move into finance")).to_be_visible()
    expect(plan.get_by_role("listitem").filter(has_text="What are you working on this quarter?")).to_be_visible()
    expect(plan.get_by_role("link", name="Grace Hopper")).to_be_visible()
    expect(plan.get_by_text("To meet at Fintech Breakfast")).to_be_visible()
    journey.step("the-plan")
    event = Event.objects.get(name="Fintech Breakfast")
    assert event.starts_at == NOW + timedelta(hours=8, minutes=30)

    # After: the morning after, the event asks whom you met.
    with time_machine.travel(MORNING_AFTER, tick=True):
        journey.go("Today")
        page.wait_for_url(re.compile(r"^http://[^/]+/$"))
        journey.unfold("Events")  # folded on a phone
        journey.activate(page.get_by_role("link", name="Record whom you met at Fintech Breakfast"))
        page.wait_for_url(re.compile(rf"/events/{event.pk}/#met$"))
        met = page.get_by_role("combobox", name="Add people you met")
        pick(journey, page, met, "Ana", re.compile("Ana Ruiz"))
        pick(journey, page, met, "Zoe Park", "Add “Zoe Park” as a new person")
        journey.step("recording-met")
        journey.activate(page.get_by_role("button", name="Add to people met"))
        page.wait_for_url(re.compile(rf"/events/{event.pk}/#met$"))
        expect(page.get_by_text("Met at Fintech Breakfast: Ana Ruiz, Zoe Park.")).to_be_visible()
        expect(page.get_by_text("Thank-yous are due by Mon 23 Nov, 18:30.")).to_be_visible()
        rows = page.locator(".met-row")
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="Zoe Park")).to_contain_text("new")
        expect(rows.filter(has_text="Ana Ruiz")).to_contain_text("thank-you due in 10 hours")
        journey.step("met")
        zoe = Person.objects.get(full_name="Zoe Park")
        assert zoe.met_how == "Met at Fintech Breakfast" and zoe.met_on == MORNING_AFTER.date() - timedelta(days=1)

        # Today lists both thank-yous; thank Ana from there.
        journey.go("Today")
        page.wait_for_url(re.compile(r"^http://[^/]+/$"))  # loaded: htmx handles the row actions
        journey.unfold("Coming up this week")  # due later today: folded on a phone
        expect(page.get_by_text("Thank Ana for yesterday's chat at the event")).to_be_visible()
        expect(page.get_by_text("Thank Zoe for yesterday's chat at the event")).to_be_visible()
        journey.step("today-thank-yous")
        journey.activate(page.get_by_role("button", name="Done: Thank Ana for yesterday's chat at the event"))
        ana_row = page.locator(".followup", has_text="Thank Ana for yesterday's chat at the event")
        expect(ana_row).to_have_class(re.compile(r"\bclosed\b"))
        journey.step("thanked-ana")

        # The review: figures, the thank-you sent in time, a verdict.
        journey.go("Events")
        page.wait_for_url(re.compile(r"/events/$"))
        past = page.locator(".event-table tbody tr").filter(has_text="Fintech Breakfast")
        expect(past.locator("td[data-label='Thanked within 24 h']")).to_have_text("1 of 2")
        journey.step("events-list-to-review")
        journey.activate(past.get_by_role("link", name="Review Fintech Breakfast"))
        page.wait_for_url(re.compile(rf"/events/{event.pk}/#verdict$"))
        expect(page.locator(".met-row", has_text="Ana Ruiz")).to_contain_text("thanked within 24 h")
        type_into(
            journey,
            page,
            page.get_by_label("How did it go?"),
            "Good crowd, two real conversations. Arrive early: the best talks were before the panel.",
        )
        worth = page.get_by_role("radio", name="Yes")
        if journey.how == "keyboard":
            tab_to(page, page.get_by_role("radio", name="Not sure yet"))  # the group's checked radio
            page.keyboard.press("ArrowUp")  # not sure -> no
            page.keyboard.press("ArrowUp")  # no -> yes
        else:
            worth.check()
        expect(worth).to_be_checked()
        journey.activate(page.get_by_role("button", name="Save verdict"))
        page.wait_for_url(re.compile(rf"/events/{event.pk}/#verdict$"))
        verdict = page.locator("#verdict")
        expect(verdict.get_by_text("Worth going again")).to_be_visible()
        expect(verdict.get_by_text("Arrive early")).to_be_visible()
        journey.step("review")

        # Zoe's page says where the user met her.
        journey.activate(page.locator(".met-row").get_by_role("link", name="Zoe Park"))
        page.wait_for_url(re.compile(rf"/people/{zoe.pk}/$"))
        expect(page.locator(".person-events")).to_contain_text("Met at Fintech Breakfast")
        journey.step("person-met-at")
        page.go_back()

        journey.go("Events")
        page.wait_for_url(re.compile(r"/events/$"))
        expect(past.locator("td[data-label='Worth going again?']")).to_have_text("yes")
        journey.step("events-list")
