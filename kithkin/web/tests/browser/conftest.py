"""Browser journeys: Playwright's Python package driving Debian's chromium against a real
waitress server on 127.0.0.1. Screenshots go to the git-ignored ``screenshots/`` folder.

Without chromium these tests skip, unless KITHKIN_REQUIRE_BROWSER=1 (set by .ci/run), which
turns a missing browser into a failure so CI never passes by skipping them.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.db import connections
from playwright.sync_api import expect

from kithkin.testing import NOW
from kithkin.web.tests.browser.layout import FLAGS, VIEWPORTS

# Playwright's sync API keeps an event loop on the test's thread; the ORM calls the tests make
# there (creating a sign-in link, checking rows) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).resolve().parents[4] / "screenshots"
# How long an action, a navigation or an `expect` waits for the page before failing. A loaded
# 2-core CI machine runs two journeys, two servers and two chromiums at once, so this is far above
# what a page needs; a passing step never waits for it (Playwright goes on as soon as the page is
# ready), only a failing one does.
STEP_TIMEOUT_MS = 20_000
# For a step that waits on a long server operation (loading the demo network): pass it as
# ``timeout=`` to the action that starts it and to the `expect` that checks its outcome.
SLOW_SERVER_TIMEOUT_MS = 90_000

if CHROMIUM is None and os.environ.get("KITHKIN_REQUIRE_BROWSER") == "1":
    raise RuntimeError("KITHKIN_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)")


@pytest.fixture(scope="session", autouse=True)
def _needs_chromium() -> None:
    # A conftest's pytestmark does not reach the test modules beside it; an autouse fixture does,
    # and at session scope it runs before the browser fixture tries to launch anything.
    if CHROMIUM is None:
        pytest.skip("chromium is not installed")


@pytest.fixture
def live_server_url(transactional_db: None) -> Iterator[str]:
    """A real waitress server on 127.0.0.1 with the clock starting at NOW and ticking."""
    from kithkin.server import make_server, stop_server

    database = connections.settings["default"]
    kept_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    with time_machine.travel(NOW, tick=True):
        server = make_server("127.0.0.1", 0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.effective_port}"
        stop_server(server, thread)
    database["CONN_MAX_AGE"] = kept_age


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Shooter:
    """Saves full-page screenshots named after the test, viewport and step."""

    test: str
    viewport: str
    count: int = 0

    def __call__(self, page: object, step: str) -> Path:
        self.count += 1
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"{self.test}-{self.viewport}-{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: object, viewport: str, live_server_url: str) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=VIEWPORTS[viewport], base_url=live_server_url, locale="en-GB", timezone_id="UTC"
    )
    context.set_default_timeout(STEP_TIMEOUT_MS)
    expect.set_options(timeout=STEP_TIMEOUT_MS)  # Playwright's own default is 5 s
    # Every refusal by the Content-Security-Policy is said on the console, where the test sees it.
    context.add_init_script(CSP_WATCH)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    refused: list[str] = []
    tab.on("console", lambda message: refused.append(message.text) if is_policy_error(message.text) else None)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not refused, f"the Content-Security-Policy refused something, or a policy is wrong: {refused}"


CSP_WATCH = """document.addEventListener("securitypolicyviolation", event => console.error(
    `Content Security Policy refused ${event.violatedDirective}: ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`
));"""


def is_policy_error(text: str) -> bool:
    """A console message saying the browser refused something under the Content-Security-Policy
    (kithkin.js says so too when htmx is asked to evaluate an attribute), or that it could not
    read the Permissions-Policy."""
    return any(words in text for words in ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy"))


@pytest.fixture
def shoot(request: pytest.FixtureRequest, viewport: str) -> Shooter:
    name = re.sub(r"\[.*\]$", "", request.node.name).removeprefix("test_")
    return Shooter(name, viewport)


AXE = Path(__file__).with_name("vendor") / "axe.min.js"
# WCAG 2.1 A and AA: labels, contrast, names of controls, landmarks, language.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


SCHEMES = ("light", "dark")


def accessibility_violations(page: object, scheme: str | None = None) -> list[str]:
    """What axe-core finds wrong with the page as it stands, one line per problem; in the colour
    scheme ``scheme`` when given (the page is left in light)."""
    if scheme is not None:
        page.emulate_media(color_scheme=scheme)  # type: ignore[attr-defined]
        # Colours ease into the new scheme (a 120 ms transition): check where they end.
        page.evaluate("document.getAnimations().forEach(a => a.finish())")  # type: ignore[attr-defined]
        try:
            return accessibility_violations(page)
        finally:
            page.emulate_media(color_scheme="light")  # type: ignore[attr-defined]
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # type: ignore[attr-defined]
        # Evaluated by the browser's devtools protocol: a <script> tag of it would be inline
        # script, which the page's Content-Security-Policy refuses.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")  # type: ignore[attr-defined]
    # Only the violations cross back to Python: the whole result (every pass and inapplicable rule,
    # with its nodes' HTML) took longer to serialise than axe took to check the page.
    violations = page.evaluate(  # type: ignore[attr-defined]
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(result => result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => ({target: n.target})),
            })))""",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in violations
    ]


def tab_to(page: object, target: object, limit: int = 80) -> None:
    """Press Tab until ``target`` (a locator) has the focus, as a keyboard user would, failing
    if it cannot be reached that way."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):  # type: ignore[attr-defined]
            return
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
    raise AssertionError(f"could not reach {target} with the Tab key")


@dataclass
class Journey:
    """A browser journey's steps: each saves a screenshot and checks the page for WCAG problems."""

    page: object
    shoot: Shooter
    how: str

    def step(self, name: str) -> None:
        self.shoot(self.page, name)
        for scheme in SCHEMES:
            problems = accessibility_violations(self.page, scheme)
            assert not problems, f"accessibility problems at {name}, {scheme}: {problems}"

    def activate(self, target: object) -> None:
        """Click ``target``, or reach it with Tab and press Enter, as the journey goes."""
        if self.how == "keyboard":
            tab_to(self.page, target)
            self.page.keyboard.press("Enter")  # type: ignore[attr-defined]
        else:
            target.click()  # type: ignore[attr-defined]

    def unfold(self, title: str) -> None:
        """Open the folded section ``title`` (on a phone, Today's and a person's page show most
        sections as one line each); a section already open, as on a laptop, is left as it is."""
        summary = self.page.locator("details.fold > summary").filter(has_text=re.compile(rf"^\s*{re.escape(title)}"))  # type: ignore[attr-defined]
        details = summary.locator("xpath=..")
        if details.get_attribute("open") is None:
            self.activate(summary)
        expect(details).to_have_attribute("open", "")

    def go(self, place: str) -> None:
        """Go to ``place`` from the navigation as a person would: its link in the header on a
        laptop or in the tab bar on a phone, or, where it is in neither, through the More menu."""
        page = self.page
        # Once the page and its styles are in: before, the header's and the tab bar's links (and
        # More buttons) can both look visible for a moment (seen on a phone, CI 2026-12-07).
        page.wait_for_load_state()  # type: ignore[attr-defined]
        for where in ("Main", "Tabs"):
            link = page.get_by_role("navigation", name=where).get_by_role("link", name=place, exact=True)  # type: ignore[attr-defined]
            if link.is_visible():
                self.activate(link)
                return
        more = page.get_by_role("button", name="More", exact=True).locator("visible=true").first  # type: ignore[attr-defined]
        self.activate(more)
        menu = page.locator("#more-menu")  # type: ignore[attr-defined]
        expect(menu).to_be_visible()
        self.activate(menu.get_by_role("link", name=place, exact=True))


@pytest.fixture(params=["mouse", "keyboard"])
def journey(request: pytest.FixtureRequest, page: object, shoot: Shooter) -> Journey:
    shoot.test = f"{shoot.test}-{request.param}"
    return Journey(page, shoot, str(request.param))
