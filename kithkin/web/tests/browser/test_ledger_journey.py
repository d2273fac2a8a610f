"""Give and take in the browser, by mouse and by keyboard, at laptop and phone widths: Today says
whom the user owes one and a give from there clears it; the ledger records an ask and warns before
one too many; a person's page shows the balance and what to give; a saved link is sent to the
people it could help."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.exchanges.models import Exchange, Share
from kithkin.exchanges.services import record_ask, record_exchange, save_resource
from kithkin.testing import NOW, make_person
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in


def type_into(journey, page, field, text):
    if journey.how == "keyboard":
        tab_to(page, field)
        page.keyboard.type(text)
    else:
        field.fill(text)


def test_owe_one_give_back_ask_with_a_warning_then_share_a_link(page, journey):
    owner = get_or_create_local_owner()
    ana = make_person(owner, "Ana Ruiz", organization="Acme", closeness="close", emails=["ana@acme.example"])
    bo = make_person(owner, "Bo Chen", organization="Globex", needs=["hiring a senior designer"], interests=["fintech"])
    make_person(owner, "Carla Diaz", title="Product Designer", organization="Initech", closeness="active")
    record_exchange(owner, ana, "got", "advice on pricing", kind="advice", on=(NOW - timedelta(days=1)).date())
    record_exchange(owner, bo, "gave", "a spare ticket to FinConf", kind="favor", on=date(2026, 10, 2))
    record_ask(owner, bo, "an intro to Globex's CTO", kind="intro", on=date(2026, 11, 3))
    record_ask(owner, bo, "feedback on my CV", kind="advice", on=date(2026, 11, 10))
    report, _ = save_resource(
        owner, "https://example.com/fintech-report", title="The 2026 fintech report", topics=["fintech", "payments"]
    )
    sign_in(page)

    # Today: Ana helped yesterday and has had nothing back.
    owe = page.locator(".today-owe")
    expect(owe).to_contain_text("You owe them one")
    expect(owe).to_contain_text("Ana Ruiz gave you: advice on pricing")
    journey.unfold("You owe")  # folded on a phone, under the follow-ups
    journey.step("today-owe-ana")
    type_into(journey, page, page.get_by_label("What you gave Ana"), "an intro to a pricing consultant")
    journey.activate(page.get_by_role("button", name="Gave to Ana Ruiz"))
    expect(page.get_by_text("Recorded a give to Ana Ruiz: an intro to a pricing consultant.")).to_be_visible()
    expect(page.locator(".today-owe")).to_have_count(0)
    assert Exchange.objects.filter(person=ana, direction="gave").count() == 1

    # The ledger: a third ask of Bo, with nothing given since the ticket, gets a gentle warning.
    page.goto("/ledger/")
    expect(page.get_by_role("heading", name="Give and take", exact=True)).to_be_visible()
    expect(page.locator("#asks")).to_contain_text("feedback on my CV")
    journey.step("ledger")
    record = page.get_by_role("complementary", name="Record")
    record.get_by_label("What happened").select_option("asked")
    type_into(journey, page, record.get_by_label("Who"), "Bo Chen")
    type_into(journey, page, record.get_by_label("What", exact=True), "a referral at Globex")
    record.get_by_label("Kind").select_option("referral")
    journey.activate(record.get_by_role("button", name="Record", exact=True))
    expect(page.get_by_text("Recorded an ask to Bo Chen: a referral at Globex.")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"You had already asked Bo twice since you last gave them anything"))
    ).to_be_visible()
    expect(page.locator("#asks")).to_contain_text("a referral at Globex")
    journey.step("ledger-ask-warned")

    # Bo's page: the balance, what is open, what to give him.
    journey.activate(page.locator("#asks").get_by_role("link", name="Bo Chen").first)
    page.wait_for_url(re.compile(rf"/people/{bo.pk}/$"))
    panel = page.locator("#give-and-take")
    expect(panel).to_contain_text("You gave 1 · received 0 · you gave 1 more")
    expect(panel).to_contain_text("Bo is hiring a senior designer: you know one who may help — Carla Diaz")
    expect(panel).to_contain_text("Send The 2026 fintech report (fintech)")
    expect(panel).to_contain_text(
        "You have asked Bo 3 times since you last gave them anything: give first before asking again?"
        " Bo is hiring a senior designer."
    )
    journey.step("person-give-and-take")

    # The link's page: Bo first among those it could help; send it, and copy the drafted message.
    journey.activate(panel.get_by_role("link", name="The 2026 fintech report"))
    page.wait_for_url(re.compile(rf"/ledger/resources/{report.pk}/$"))
    expect(page.get_by_text("interested in fintech")).to_be_visible()
    journey.step("resource-candidates")
    pick = page.get_by_label(re.compile("Bo Chen"))
    if journey.how == "keyboard":
        tab_to(page, pick)
        page.keyboard.press("Space")
    else:
        pick.check()
    journey.activate(page.get_by_role("button", name="Send to the people ticked"))
    page.wait_for_url(re.compile(rf"/ledger/resources/{report.pk}/#sent$"))
    expect(page.get_by_label("Message to Bo")).to_have_value(
        "Hi Bo, I saw this and thought of your work on fintech: The 2026 fintech report https://example.com/fintech-report"
    )
    journey.step("resource-sent")
    journey.activate(page.get_by_role("link", name="All links"))
    page.wait_for_url(re.compile(r"/ledger/resources/$"))
    expect(page.locator(".resource-list")).to_contain_text("Sent to Bo Chen")
    journey.step("resources")
    assert Share.objects.get().person == bo
    assert Exchange.objects.filter(person=bo, direction="gave", kind="resource").count() == 1
