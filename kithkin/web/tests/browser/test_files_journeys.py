"""Files in and out, by mouse and by keyboard, at laptop and phone widths: import a LinkedIn
export, check its preview, confirm, find someone it added, undo it; the export page and its
calendar URL; the settings that go with them."""

import re
from pathlib import Path

from playwright.sync_api import expect

from kithkin.accounts.services import get_or_create_local_owner, set_routine_blocks
from kithkin.people.models import Person
from kithkin.testing import make_person
from kithkin.web.tests.browser.conftest import tab_to
from kithkin.web.tests.browser.test_daily_journeys import sign_in

LINKEDIN = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana María,Núñez-Ruiz,https://www.linkedin.com/in/ana-maria-nunez-ruiz,,Acme Iberia,Head of Growth,09 Oct 2024
Bo,Chen,https://www.linkedin.com/in/bochen,bo@globex.example,Globex,Staff Engineer,27 Sep 2024
محمد,العلي,https://www.linkedin.com/in/m-alali,,شركة المثال,مهندس,15 Mar 2023
Dana,Okafor,https://www.linkedin.com/in/danaokafor,dana at initech,Initech,"VP, Research",01 Jan 2024
,,,,,,
"""


def choose_file(journey, page, path):
    """Open the file picker from the File field (click, or Tab to it and press Space) and pick ``path``."""
    field = page.get_by_label("File", exact=True)
    with page.expect_file_chooser() as chooser:
        if journey.how == "keyboard":
            tab_to(page, field)
            page.keyboard.press("Space")
        else:
            field.click()
    chooser.value.set_files(str(path))


def test_import_a_linkedin_export_find_someone_then_undo_it(page, journey, tmp_path):
    owner = get_or_create_local_owner()
    make_person(owner, "Bo Chen", organization="Globex", title="Engineer", emails=["bo@globex.example"])
    export = tmp_path / "Connections.csv"
    export.write_text(LINKEDIN, encoding="utf-8")
    sign_in(page)

    # Import, Export and Add live on the People page (and in the footer), not in the main nav.
    journey.go("People")
    journey.activate(page.get_by_role("link", name="Import", exact=True))
    expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()
    journey.step("import-page")
    choose_file(journey, page, export)
    journey.activate(page.get_by_role("button", name="Preview the import"))

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    counts = page.locator(".import-counts")
    expect(counts).to_contain_text("3 new")
    expect(counts).to_contain_text("1 person updated")
    start_as = "The 3 people this import adds start as acquaintances, with no circle: no check-ins."
    expect(page.get_by_text(start_as)).to_be_visible()
    expect(counts).to_contain_text("1 skipped")
    expect(page.get_by_text("Ana María Núñez-Ruiz")).to_be_visible()
    expect(page.locator(".changes").first).to_contain_text("Engineer → Staff Engineer")
    journey.step("preview")

    journey.activate(page.get_by_role("button", name="Import 4 people"))
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    expect(page.get_by_role("heading", name="Imported Connections.csv")).to_be_visible()
    expect(page.get_by_text("Imported Connections.csv.")).to_be_visible()
    journey.step("result")

    journey.go("People")
    page.wait_for_url(re.compile(r"/people/$"))
    search = page.get_by_role("searchbox", name="Search people")
    if journey.how == "keyboard":
        expect(search).to_be_focused()
        page.keyboard.type("nunez")
    else:
        search.fill("nunez")
    found = page.get_by_role("link", name="Ana María Núñez-Ruiz")
    expect(found).to_be_visible()
    journey.step("found")

    journey.activate(page.get_by_role("link", name="Import", exact=True))
    page.wait_for_url(re.compile(r"/imports/$"))
    expect(page.locator(".imports-table")).to_contain_text("3 added · 1 updated")
    journey.step("past-imports")
    journey.activate(page.get_by_role("button", name=re.compile(r"^Undo the import of Connections\.csv")))
    expect(page.get_by_role("heading", name="Undo the import of Connections.csv?")).to_be_visible()
    journey.step("undo-confirm")
    journey.activate(page.get_by_role("button", name="Undo the import"))
    page.wait_for_url(re.compile(r"/imports/$"))
    expect(page.get_by_text("Undid the import of Connections.csv: removed 3 people it added")).to_be_visible()
    expect(page.get_by_text("No imports yet.")).to_be_visible()
    journey.step("undone")
    assert list(Person.objects.for_owner(owner).values_list("full_name", "title")) == [("Bo Chen", "Engineer")]


def test_export_the_network_and_subscribe_to_the_calendar(page, journey):
    owner = get_or_create_local_owner()
    make_person(owner, "Ana Ruiz", closeness="close")
    make_person(owner, "Bo Chen", closeness="wider")
    set_routine_blocks(owner, ["Tue 08:30-09:00 Networking time"])
    sign_in(page)

    journey.go("People")
    journey.activate(page.get_by_role("link", name="Export", exact=True))
    expect(page.get_by_role("heading", name="Export", exact=True)).to_be_visible()
    chosen = page.locator("#export-chosen")
    expect(chosen).to_have_text("All 2 people will be exported.")
    # A chip is a checkbox: ticking it says at once how many people the download takes.
    close = page.get_by_role("group", name="Closeness").get_by_role("checkbox", name=re.compile(r"^Close\b"))
    if journey.how == "keyboard":
        tab_to(page, close)
        page.keyboard.press("Space")
    else:
        close.check()
    expect(chosen).to_have_text("1 person of your 2 will be exported.")
    assert "closeness=close" in page.url
    journey.step("export-chosen")
    with page.expect_download() as download:
        journey.activate(page.get_by_role("button", name="vCard 4.0"))
    assert re.fullmatch(r"kithkin-\d{4}-\d\d-\d\d\.vcf", download.value.suggested_filename)
    card = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Ana Ruiz" in card and "Bo Chen" not in card

    journey.activate(page.get_by_role("button", name="Make a calendar URL"))
    url = page.get_by_label("Your calendar URL")
    expect(url).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/feed/[\w-]+\.ics$"))
    expect(page.get_by_text("Tuesdays 08:30–09:00 · Networking time")).to_be_visible()
    journey.activate(page.get_by_role("button", name="Copy"))
    expect(page.locator(".copy-status")).not_to_be_empty()
    journey.step("export-page")

    feed_url = url.input_value()
    feed = page.request.get(feed_url)
    assert feed.status == 200 and "BEGIN:VEVENT" in feed.text()
    journey.activate(page.get_by_role("button", name="Revoke this URL"))
    expect(page.get_by_text("The calendar URL no longer works")).to_be_visible()
    expect(page.get_by_role("button", name="Make a calendar URL")).to_be_visible()
    assert page.request.get(feed_url).status == 404


def test_settings_for_imports_networking_time_and_appearance_save_together(page, journey):
    sign_in(page)
    journey.go("Settings")
    blocks = page.get_by_label("Networking time", exact=True)
    if journey.how == "keyboard":
        tab_to(page, blocks)
        page.keyboard.type("Tue 08:30-09:00 Networking time\nFunday 10-11")
    else:
        blocks.fill("Tue 08:30-09:00 Networking time\nFunday 10-11")
    closeness = page.get_by_label("Closeness", exact=True)
    if journey.how == "keyboard":
        tab_to(page, closeness)
        page.keyboard.press("ArrowUp")  # acquaintance -> wider
        tab_to(page, page.get_by_label("Match my system"))
        page.keyboard.press("ArrowDown")  # -> light
    else:
        closeness.select_option("wider")
        page.get_by_label("Light", exact=True).check()
    journey.activate(page.get_by_role("button", name="Save settings"))
    expect(page.get_by_text("Line 2: 'Funday' is not a day of the week.")).to_be_visible()
    expect(page.get_by_text("Nothing was saved. Fix what is marked below, then save again.")).to_be_visible()
    # The cursor is on the field to fix, and what was typed elsewhere is still there.
    blocks = page.get_by_label("Networking time", exact=True)
    expect(blocks).to_be_focused()
    expect(page.get_by_label("Closeness", exact=True)).to_have_value("wider")
    expect(page.locator("html")).to_have_attribute("data-theme", "system")
    journey.step("settings-bad-block")
    blocks.fill("Tue 08:30-09:00 Networking time")
    journey.activate(page.get_by_role("button", name="Save settings"))
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    # Light, not dark: the dark colours are the lead's stylesheet's, still being made (issue 17).
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    expect(page.get_by_label("Closeness", exact=True)).to_have_value("wider")
    expect(page.get_by_label("Light", exact=True)).to_be_checked()
    journey.step("settings-saved")
