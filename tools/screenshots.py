"""Screenshots of every page, light and dark, at laptop and phone widths: ``make screenshots``.

Builds a demo network in a fresh data directory (or uses ``--data-dir``), serves it on
127.0.0.1 on a free port, signs in through a one-time link and saves a full-page screenshot of
each page into ``screenshots/pages/`` (git-ignored) as ``<page>-<scheme>-<width>.png``. For each
shot it also prints what the layout check finds wrong (a horizontal scroll, text under 14 px on
a phone), the same check the browser tests assert.

    .venv/bin/python tools/screenshots.py [--only today,person] [--schemes light] [--widths phone]

With ``--components`` it shoots the components docs/design.md shows instead, into docs/design/
(committed): run it after changing how one looks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from kithkin.web.tests.browser.layout import FLAGS, VIEWPORTS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots" / "pages"
DESIGN = ROOT / "docs" / "design"


def _first_rows(page: Any) -> Any:
    """Today's first three follow-up rows: the picture spans the first to the third."""
    rows = page.locator("#due .followup")
    return [rows.nth(0), rows.nth(min(3, rows.count()) - 1)]


def _open_row_menu(page: Any) -> Any:
    row = page.locator("#due .followup").first
    row.locator("details.row-menu > summary").click()
    return [row, row.locator("details.row-menu > div")]


def _refused_form(page: Any) -> Any:
    """Send the page's form empty, past the browser's own checks, to show the server's errors."""
    page.locator("main form").last.evaluate("form => { form.noValidate = true; }")
    page.locator("main form").last.locator("button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    return page.locator(".field:has([aria-invalid=true])").first


def _open_more(page: Any) -> Any:
    page.get_by_role("navigation", name="Tabs").get_by_role("button", name="More").click()
    return page.locator("#more-menu")


# name: (width, scheme, page, what to shoot: a CSS selector, or a function of the page giving a
# locator, or the locators the picture spans, after doing what the shot needs)
COMPONENTS: dict[str, tuple[str, str, str, Any]] = {
    "page-header": ("desktop", "light", "person", "#person-head"),
    "follow-up-rows": ("desktop", "light", "today", _first_rows),
    "follow-up-rows-dark": ("desktop", "dark", "today", _first_rows),
    "follow-up-menu": ("desktop", "light", "today", _open_row_menu),
    "card": ("desktop", "light", "today", ".routine-card"),
    "person-card": ("desktop", "light", "duplicates", ".pair.card"),
    "filter-chips": ("desktop", "light", "exports", ".chip-set"),
    "empty-state": ("desktop", "light", "imports", ".empty"),
    "field-error": ("desktop", "light", "event-new", _refused_form),
    "tab-bar": ("phone", "light", "today", "nav.tab-bar"),
    "more-menu": ("phone", "light", "today", _open_more),
}


def add_a_likely_duplicate(owner: Any) -> None:
    """The demo has no two records of one person; the duplicates card needs a pair: the first
    person with an organization gets a second record of the same name there (once)."""
    from kithkin.people.models import Person
    from kithkin.people.services import PersonChanges, add_person

    person = Person.objects.filter(owner=owner, organization__isnull=False).order_by("pk").first()
    if person is None or person.organization is None:
        return
    if Person.objects.filter(owner=owner, full_name=person.full_name).count() == 1:
        add_person(owner, person.full_name, PersonChanges(organization=person.organization.name, title=person.title))


def shoot_components(browser: Any, base: str, sign_in: Any, wanted: dict[str, str]) -> None:
    DESIGN.mkdir(parents=True, exist_ok=True)
    for name, (width, scheme, place, what) in COMPONENTS.items():
        context = browser.new_context(
            viewport=VIEWPORTS[width], base_url=base, color_scheme=scheme, locale="en-GB", device_scale_factor=2
        )
        page = context.new_page()
        sign_in(page)
        page.goto(wanted[place])
        page.wait_for_load_state("networkidle")
        path = DESIGN / f"{name}.png"
        target = what(page) if callable(what) else page.locator(what).first
        # With a margin, so a focus ring or a shadow is not cut; a row's menu hangs below it.
        boxes = [t.bounding_box() for t in (target if isinstance(target, list) else [target])]
        left, top = min(b["x"] for b in boxes), min(b["y"] for b in boxes)
        right = max(b["x"] + b["width"] for b in boxes)
        bottom = max(b["y"] + b["height"] for b in boxes)
        clip = {"x": max(left - 8, 0), "y": max(top - 8, 0), "width": right - left + 16, "height": bottom - top + 16}
        page.screenshot(path=str(path), full_page=True, clip=clip)
        print(path.relative_to(ROOT))
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="use this data directory instead of a new demo one")
    parser.add_argument("--people", type=int, default=300, help="demo network size (default 300)")
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--schemes", default="light,dark")
    parser.add_argument("--widths", default="desktop,phone")
    parser.add_argument("--components", action="store_true", help="shoot docs/design.md's components instead")
    args = parser.parse_args(argv)

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("screenshots: chromium is not installed (apt-get install chromium)")
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="kithkin-shots-")
    os.environ["KITHKIN_DATA_DIR"] = data_dir
    os.environ["KITHKIN_WARM"] = "off"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sys.path.insert(0, str(ROOT))
    from kithkin.cli.main import boot

    boot()
    from playwright.sync_api import sync_playwright

    from kithkin.accounts.services import create_login_token, get_or_create_local_owner
    from kithkin.core.scopes import owner_scope
    from kithkin.demo import build_demo_network
    from kithkin.people.models import Person
    from kithkin.server import make_server, stop_server
    from kithkin.web.tests.browser.layout import layout_problems, pages

    owner = get_or_create_local_owner()
    with owner_scope(owner):
        if not Person.objects.filter(owner=owner).exists():
            print(f"building a demo network of {args.people} people in {data_dir}…", flush=True)
            build_demo_network(owner, people=args.people)
        if args.components:
            add_a_likely_duplicate(owner)
        wanted = pages()
    if args.only:
        names = args.only.split(",")
        wanted = {name: url for name, url in wanted.items() if name in names}

    server = make_server("127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    problems = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)

            def sign_in(page: Any) -> None:
                with owner_scope(owner):
                    token = create_login_token(owner)
                page.goto(f"/accounts/link/{token}/")
                page.get_by_role("button", name=f"Sign in as {owner.get_username()}").click()
                page.wait_for_url(f"{base}/")

            if args.components:
                shoot_components(browser, base, sign_in, wanted)
                browser.close()
                return 0
            for scheme in args.schemes.split(","):
                for width in args.widths.split(","):
                    context = browser.new_context(
                        viewport=VIEWPORTS[width], base_url=base, color_scheme=scheme, locale="en-GB"
                    )
                    page = context.new_page()
                    sign_in(page)
                    for name, url in wanted.items():
                        page.goto(url)
                        page.wait_for_load_state("networkidle")
                        path = OUT / f"{name}-{scheme}-{width}.png"
                        page.screenshot(path=str(path), full_page=True)
                        found = layout_problems(page) if width == "phone" else []
                        height = page.evaluate("document.documentElement.scrollHeight")
                        print(f"{path.relative_to(ROOT)}  {height} px tall")
                        for problem in found:
                            problems += 1
                            print(f"    {problem}")
                    context.close()
            browser.close()
    finally:
        stop_server(server, thread)
    print(f"{problems} layout problem{'s' if problems != 1 else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
