"""Goals, the weekly routine and milestones: Today's progress, a goal and whom to ask, the weekly
review, and a new job recorded then confirmed from a person's page."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner, update_settings
from kithkin.exchanges.services import record_exchange
from kithkin.testing import NOW, make_person, make_touch
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def a_network():
    owner = get_or_create_local_owner()
    update_settings(owner, weekly_touch_goal=3, weekly_new_people_goal=1, weekly_gives_goal=1)
    ana = make_person(owner, "Ana Ruiz", organization="Acme", title="Engineering manager", closeness="close")
    bo = make_person(owner, "Bo Chen", organization="Acme", closeness="inner")
    make_person(owner, "Cy Twombly", organization="Globex", closeness="wider")
    make_touch(owner, ana, "coffee", NOW - timedelta(days=45))
    make_touch(owner, bo, "call", NOW - timedelta(days=1))
    record_exchange(owner, bo, "gave", "An intro to a payments lawyer", kind="intro")
    return ana


def test_a_goal_the_week_and_a_milestone(page, journey):
    ana = a_network()
    sign_in(page)
    routine = page.get_by_role("region", name="This week", exact=True)
    expect(routine).to_contain_text("2 of 3")
    expect(routine).to_contain_text("Meet every target this week to start a streak.")
    journey.step("today-routine")

    page.goto("/goals/")
    expect(page.get_by_text("No goals yet.")).to_be_visible()
    page.get_by_label("Goal", exact=True).fill("A way into Acme")
    page.get_by_label("Target organizations").fill("Acme\nInitech")
    page.get_by_label("Target people").fill("Zed Banker")
    page.get_by_label("Your one-line pitch").fill("I build payment systems and want to work on them at Acme.")
    journey.activate(page.get_by_role("button", name="Add goal"))
    expect(page.get_by_role("heading", name="A way into Acme", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="What to do next")).to_contain_text(
        "Ask Ana (close, last in touch 6 weeks ago) for a way into Acme"
    )
    expect(page.get_by_text("You know no one there yet.")).to_be_visible()
    journey.step("goal-page")

    journey.activate(page.get_by_role("link", name="All goals"))
    expect(page.get_by_role("link", name="A way into Acme")).to_be_visible()
    journey.step("goals-list")

    journey.activate(page.get_by_role("button", name="Weekly review"))
    expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Recent weeks")).to_be_visible()
    journey.step("week")
    journey.activate(page.get_by_role("link", name="← Week before"))
    expect(page.get_by_role("heading", name=re.compile(r"Week of \d+ November"))).to_be_visible()

    page.goto(f"/people/{ana.pk}/")
    journey.unfold("Milestones")  # folded on a phone
    milestones = page.get_by_role("region", name="Milestones")
    journey.activate(milestones.get_by_text("Record a milestone"))  # the form starts closed
    milestones.get_by_label("What").select_option("new_job")
    milestones.get_by_label("Details").fill("Director of engineering at Initech")
    milestones.get_by_label("New organization").fill("Initech")
    milestones.get_by_label("New title").fill("Director of engineering")
    journey.activate(milestones.get_by_role("button", name="Record"))
    expect(page.get_by_text("Congratulate Ana on the new job at Initech: due within 2 days.")).to_be_visible()
    confirm = page.get_by_role("button", name="Make Director of engineering at Initech their role")
    expect(confirm).to_be_visible()
    journey.step("person-milestone")
    journey.activate(confirm)
    expect(page.get_by_text("Role updated; the old one is kept in their history.")).to_be_visible()
    expect(confirm).to_have_count(0)
    journey.step("role-updated")
