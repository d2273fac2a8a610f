"""Double opt-in introductions in the browser, by mouse and by keyboard, at laptop and phone widths:
propose one, then ask A, A agrees, ask B, B agrees, introduce, record the outcome, with the message
to send on the page at each step and the nudge on Today; and one that A declines."""

import re

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.exchanges.models import Exchange
from kithkin.followups.models import FollowUp
from kithkin.introductions.models import Introduction
from kithkin.introductions.services import propose_introduction
from kithkin.testing import make_person
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def type_into(journey, page, field, text):
    if journey.how == "keyboard":
        tab_to(page, field)
        page.keyboard.type(text)
    else:
        field.fill(text)


def pick(journey, page, combobox, name):
    """Choose one person in a picker, as quick capture does: type, then take the suggestion."""
    combobox.click() if journey.how == "mouse" else tab_to(page, combobox)
    page.keyboard.type(name)
    option = page.get_by_role("option").filter(has_text=name).first
    expect(option).to_be_visible()
    if journey.how == "keyboard":
        page.keyboard.press("Enter")
    else:
        option.click()


def take_step(journey, page, label):
    """Press the step's button on the introduction's page and wait for the page it lands on."""
    journey.activate(page.get_by_role("button", name=label, exact=True))
    page.wait_for_load_state()


def expect_draft(page, title, to, subject, *body):
    draft = page.locator("#draft")
    expect(draft.get_by_text(title)).to_be_visible()
    expect(draft.locator(".draft-to")).to_contain_text(to)
    expect(draft.get_by_role("textbox", name="Subject")).to_have_value(subject)
    message = draft.get_by_role("textbox", name="Message")
    for text in body:
        expect(message).to_have_value(re.compile(re.escape(text)))
    mailto = draft.get_by_role("button", name="Open in your mail program")
    expect(mailto).to_have_attribute("href", re.compile(rf"^mailto:{re.escape(to.replace(', ', ','))}\?subject="))


def open_draft(journey, page):
    """A message already sent is folded away under its title; open it to see it again."""
    summary = page.locator("details#draft > summary")
    journey.activate(summary)
    expect(page.locator("details#draft")).to_have_attribute("open", "")


def test_a_full_introduction_step_by_step_then_one_declined(page, journey):
    owner = get_or_create_local_owner()
    ana = make_person(owner, "Ana Ruiz", organization="Acme", title="Product Designer", emails=["ana@acme.example"])
    make_person(owner, "Bo Chen", organization="Globex", title="Head of Design", emails=["bo@globex.example"])
    make_person(owner, "Cy Park", emails=["cy@initech.example"])
    sign_in(page)

    journey.go("Intros")
    page.wait_for_url(re.compile(r"/introductions/$"))
    expect(page.get_by_text("Whom could you connect?")).to_be_visible()
    journey.step("empty-list")

    # Propose: two people picked in the autocomplete, and why.
    pick(journey, page, page.get_by_role("combobox", name="Person A (asked first)"), "Ana")
    expect(page.locator("[data-intro-pick=a] .chip")).to_have_text(re.compile("Ana Ruiz"))
    pick(journey, page, page.get_by_role("combobox", name="Person B (asked once A agrees)"), "Bo")
    expect(page.locator("[data-intro-pick=b] .chip")).to_have_text(re.compile("Bo Chen"))
    type_into(
        journey, page, page.get_by_label("Why should they meet?"), "Bo is hiring a senior designer and Ana is looking"
    )
    journey.step("proposing")
    journey.activate(page.get_by_role("button", name="Propose", exact=True))
    page.wait_for_url(re.compile(r"/introductions/\d+/$"))
    intro = Introduction.objects.get(owner=owner)
    expect(page.get_by_text("Proposed introducing Ana Ruiz to Bo Chen. First, ask Ana.")).to_be_visible()
    expect_draft(
        page,
        "The message to Ana",
        "ana@acme.example",
        "Would you like to meet Bo Chen?",
        "Hi Ana,",
        "Bo Chen (Head of Design at Globex)",
        "Bo is hiring a senior designer and Ana is looking.",
    )
    journey.step("proposed-message-to-ana")

    # Ask A: the message is sent, a nudge is set for five days later and shows on Today.
    take_step(journey, page, "I asked Ana")
    expect(
        page.get_by_text(re.compile(r"Asked Ana\. If there is no answer, Kithkin reminds you to nudge them on"))
    ).to_be_visible()
    expect(page.locator(".intro-next .lead")).to_have_text("Waiting for Ana's answer")
    nudge_a = "Nudge Ana: no answer yet about meeting Bo"
    expect(page.locator(".intro-follow-ups")).to_contain_text(nudge_a)
    open_draft(journey, page)
    expect_draft(page, "The message to Ana", "ana@acme.example", "Would you like to meet Bo Chen?")
    journey.step("asked-ana")

    journey.go("Today")
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))
    journey.unfold("Coming up this week")  # folded on a phone
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Coming up this week"))
    expect(upcoming).to_contain_text(nudge_a)
    expect(page.locator(".intros-today")).to_contain_text("1 waiting for an answer")
    journey.step("today-nudge-ana")
    page.goto(f"/introductions/{intro.pk}/")

    # A agrees: her nudge is closed, and the message to B is drafted.
    take_step(journey, page, "Ana said yes")
    expect(page.get_by_text("Ana said yes. Next: ask Bo.")).to_be_visible()
    expect(page.locator(".intro-follow-ups")).to_have_count(0)
    expect_draft(
        page,
        "The message to Bo",
        "bo@globex.example",
        "Would you like to meet Ana Ruiz?",
        "Hi Bo,",
        "Ana Ruiz (Product Designer at Acme)",
    )
    journey.step("ana-agreed-message-to-bo")

    take_step(journey, page, "I asked Bo")
    nudge_b = "Nudge Bo: no answer yet about meeting Ana"
    expect(page.locator(".intro-follow-ups")).to_contain_text(nudge_b)
    expect(page.locator(".intro-follow-ups")).not_to_contain_text("Nudge Ana")
    journey.step("asked-bo")
    journey.go("Today")
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))
    journey.unfold("Coming up this week")
    expect(upcoming).to_contain_text(nudge_b)
    expect(upcoming).not_to_contain_text(nudge_a)
    journey.step("today-nudge-bo")
    page.goto(f"/introductions/{intro.pk}/")

    # B agrees: the introduction email to both is drafted.
    take_step(journey, page, "Bo said yes")
    expect(page.get_by_text("Bo said yes. Next: introduce them.")).to_be_visible()
    expect(page.locator(".intro-follow-ups")).to_have_count(0)
    expect_draft(
        page,
        "The introduction email to Ana and Bo",
        "ana@acme.example, bo@globex.example",
        "Introduction: Ana and Bo",
        "Hi Ana and Bo,",
        "Ana, meet Bo Chen (Head of Design at Globex).",
    )
    journey.step("both-agreed-introduction-email")

    # Introduce: a give to each, and a follow-up to ask each how it went.
    take_step(journey, page, "I sent the introduction")
    expect(page.get_by_text(re.compile(r"Introduced, and recorded as a give to both\."))).to_be_visible()
    gives = page.locator("section", has=page.get_by_role("heading", name="Recorded as gives"))
    expect(gives).to_contain_text("Ana Ruiz: Introduction to Bo Chen")
    expect(gives).to_contain_text("Bo Chen: Introduction to Ana Ruiz")
    expect(page.locator(".intro-follow-ups")).to_contain_text("Ask Ana how meeting Bo went")
    expect(page.locator(".intro-follow-ups")).to_contain_text("Ask Bo how meeting Ana went")
    journey.step("introduced")

    type_into(journey, page, page.get_by_label("How did it go?"), "Bo hired Ana as a senior designer")
    take_step(journey, page, "Record the outcome")
    expect(page.get_by_text("Outcome recorded.", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Where it ended")).to_be_visible()
    expect(page.locator(".intro-next .lead")).to_have_text("Done")
    expect(page.locator(".intro-outcome-text")).to_have_text("Bo hired Ana as a senior designer")
    expect(page.locator(".intro-follow-ups")).to_have_count(0)
    expect(page.locator("#draft")).to_have_count(0)
    journey.step("outcome")
    assert Exchange.objects.filter(owner=owner, introduction=intro, kind="intro").count() == 2
    assert not FollowUp.objects.for_owner(owner).pending().filter(kind="introduction").exists()

    # A second one, from the list this time: Cy is asked, says no, and nothing is asked of Bo.
    waiting = propose_introduction(owner, make_person(owner, "Dee Okafor"), ana, "Both run marathons")
    page.goto("/introductions/")
    pick(journey, page, page.get_by_role("combobox", name="Person A (asked first)"), "Cy")
    pick(journey, page, page.get_by_role("combobox", name="Person B (asked once A agrees)"), "Bo")
    type_into(journey, page, page.get_by_label("Why should they meet?"), "Both work on design systems")
    journey.activate(page.get_by_role("button", name="Propose", exact=True))
    page.wait_for_url(re.compile(r"/introductions/\d+/$"))
    cy_intro = Introduction.objects.get(owner=owner, person_a__full_name="Cy Park")
    journey.activate(page.get_by_role("link", name="← All introductions"))
    page.wait_for_url(re.compile(r"/introductions/$"))
    row = page.locator(f"#intro-{cy_intro.pk}")
    journey.activate(row.get_by_role("button", name="I asked Cy (Cy Park to Bo Chen)"))
    row = page.locator(f"#intro-{cy_intro.pk}")
    expect(row.get_by_role("status")).to_contain_text("Asked Cy.")
    expect(row.get_by_role("button", name="Cy said yes (Cy Park to Bo Chen)")).to_be_focused()
    journey.step("list-asked-cy")
    journey.activate(row.get_by_role("button", name="Cy said no (Cy Park to Bo Chen)"))
    row = page.locator(f"#intro-{cy_intro.pk}")
    expect(row.get_by_role("status")).to_have_text(
        "Cy said no: the introduction stops here, and nothing is asked of Bo."
    )
    expect(row.get_by_role("button")).to_have_count(0)
    journey.step("list-cy-declined")

    page.goto(f"/introductions/{cy_intro.pk}/")
    expect(page.locator(".intro-next .lead")).to_have_text("Cy declined: nothing was asked of Bo")
    expect(page.locator("#draft")).to_have_count(0)
    journey.step("declined")
    assert FollowUp.objects.for_owner(owner).pending().filter(kind="introduction").count() == 0
    assert not FollowUp.objects.for_owner(owner).caused_by(cy_intro, keys=("ask-b",)).exists()
    assert not Exchange.objects.filter(owner=owner, introduction=cy_intro).exists()

    # The list groups what is left: Dee's proposal (made from the command line) waits for its first step.
    page.goto("/introductions/")
    expect(page.get_by_role("heading", name=re.compile("Proposed: ask A"))).to_be_visible()
    expect(page.locator(f"#intro-{waiting.pk}")).to_contain_text("Ask Dee whether they would like to meet Ana")
    journey.step("list-at-the-end")

    # Bo's page lists the introductions Bo is part of; the wording of the messages is the user's.
    journey.activate(page.locator(".intros-closed > summary"))
    journey.activate(page.get_by_role("link", name="Cy Park to Bo Chen"))
    journey.activate(page.get_by_role("link", name="Bo Chen", exact=True))
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    panel = page.locator("#introductions")
    expect(panel.get_by_role("link", name="With Ana Ruiz")).to_be_visible()
    expect(panel).to_contain_text("Cy declined: nothing was asked of Bo")
    journey.step("person-page")
    page.goto("/introductions/templates/")
    expect(page.get_by_label("Asking A")).to_have_value(re.compile(r"^Subject: Would you like to meet \{b\}\?"))
    journey.step("templates")
