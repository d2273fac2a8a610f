"""Screenshots of every page, light and dark, at laptop and phone widths: ``make screenshots``.

Builds a demo network in a fresh data directory (or uses ``--data-dir``), serves it on
127.0.0.1 on a free port, signs in through a one-time link and saves a full-page screenshot of
each page into ``screenshots/pages/`` (git-ignored) as ``<page>-<scheme>-<width>.png``. For each
shot it also prints what the layout check finds wrong (a horizontal scroll, text under 14 px on
a phone), the same check the browser tests assert.

    .venv/bin/python tools/screenshots.py [--only today,person] [--schemes light] [--widths phone]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from kithkin.web.tests.browser.layout import FLAGS, VIEWPORTS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots" / "pages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="use this data directory instead of a new demo one")
    parser.add_argument("--people", type=int, default=300, help="demo network size (default 300)")
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--schemes", default="light,dark")
    parser.add_argument("--widths", default="desktop,phone")
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
            for scheme in args.schemes.split(","):
                for width in args.widths.split(","):
                    context = browser.new_context(
                        viewport=VIEWPORTS[width], base_url=base, color_scheme=scheme, locale="en-GB"
                    )
                    page = context.new_page()
                    with owner_scope(owner):
                        token = create_login_token(owner)
                    page.goto(f"/accounts/link/{token}/")
                    page.get_by_role("button", name=f"Sign in as {owner.get_username()}").click()
                    page.wait_for_url(f"{base}/")
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
