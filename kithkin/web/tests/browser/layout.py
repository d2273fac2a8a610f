"""The layout rules a page keeps on a phone: no horizontal scroll, no text under 14 px.

Used by the browser tests (``test_layout.py``) and by ``make screenshots``."""

from __future__ import annotations

from typing import Any

SMALLEST_TEXT_PX = 14
# Debian's chromium as the project runs it (Playwright cannot download browsers here).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, Any] = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def pages() -> dict[str, str]:
    """Every page a signed-in person reads, by a short name, on the demo network."""
    from django.urls import reverse

    from kithkin.accounts.services import get_or_create_local_owner
    from kithkin.events.models import Event
    from kithkin.exchanges.models import Resource
    from kithkin.followups.models import FollowUp
    from kithkin.goals.models import Goal
    from kithkin.interactions.models import Touch
    from kithkin.introductions.models import Introduction
    from kithkin.people.models import Organization, Person

    owner = get_or_create_local_owner()
    busiest = Person.objects.filter(owner=owner).order_by("-last_touch_at").first()
    found = {
        "today": reverse("followups:today"),
        "due": reverse("followups:due"),
        "people": reverse("people:list"),
        "people-search": reverse("people:list") + "?q=ana",
        "add": reverse("people:add"),
        "want-to-meet": reverse("people:prospects"),
        "duplicates": reverse("people:duplicates"),
        "capture": reverse("interactions:capture"),
        "introductions": reverse("introductions:list"),
        "introductions-suggested": reverse("introductions:suggested"),
        "introduction-templates": reverse("introductions:templates"),
        "events": reverse("events:list"),
        "event-new": reverse("events:new"),
        "goals": reverse("goals:list"),
        "week": reverse("goals:week"),
        "rekindle": reverse("network:rekindle"),
        "graph": reverse("graph:page"),
        "ledger": reverse("exchanges:ledger"),
        "resources": reverse("exchanges:resources"),
        "insights": reverse("insights:page"),
        "ask": reverse("finder:ask") + "?q=who+works+in+design",
        "organizations": reverse("ties:organizations"),
        "imports": reverse("imports:list"),
        "exports": reverse("exports:list"),
        "settings": reverse("accounts:settings"),
        "tokens": reverse("accounts:tokens"),
        "calendar-add": reverse("capture:calendar_add"),
        "draft-templates": reverse("drafts:templates"),
        "not-found": "/people/999999999/",
    }
    if busiest:
        found["person"] = reverse("people:detail", args=[busiest.pk])
    objects = {
        "event": (Event, "events:detail"),
        "goal": (Goal, "goals:detail"),
        "introduction": (Introduction, "introductions:detail"),
        "resource": (Resource, "exchanges:resource"),
        "touch": (Touch, "interactions:detail"),
        "organization": (Organization, "ties:organization"),
    }
    for name, (model, route) in objects.items():
        first = model.objects.filter(owner=owner).order_by("pk").first()
        if first:
            found[name] = reverse(route, args=[first.pk])
    follow_up = FollowUp.objects.filter(owner=owner, status="open").order_by("remind_at").first()
    if follow_up:
        found["draft"] = reverse("followups:draft", args=[follow_up.pk])
    return found


# Every element with a text node of its own that a person can see: not hidden, not clipped away as
# a screen-reader-only label, with a box on the page. Its computed font size, and a few words.
_FIND = """min => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (!text || !el || seen.has(el)) continue;
    seen.add(el);
    if (el.closest('script, style, template, noscript, .visually-hidden, .skip-link, [hidden], dialog:not([open])')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let hidden = false;
    for (let up = el; up; up = up.parentElement) {
      const s = getComputedStyle(up);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') { hidden = true; break; }
      if (up.tagName === 'DETAILS' && !up.open && up !== el && !el.closest('summary')) { hidden = true; break; }
    }
    if (hidden) continue;
    const size = parseFloat(style.fontSize);
    if (size < min) {
      const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      found.push(`${el.tagName.toLowerCase()}${cls} at ${size}px: "${text.slice(0, 40)}"`);
    }
  }
  return found;
}"""

_SCROLL = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= doc.clientWidth + 1) return null;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > doc.clientWidth + 1 && box.width > 0 && !el.closest('.visually-hidden, .skip-link')) {
      const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      wide.push(`${el.tagName.toLowerCase()}${cls} ends at ${Math.round(box.right)}px`);
      if (wide.length >= 5) break;
    }
  }
  return `the page scrolls sideways: ${doc.scrollWidth}px wide in ${doc.clientWidth}px (${wide.join('; ')})`;
}"""


def layout_problems(page: object) -> list[str]:
    """What breaks the phone layout rules on the page as it stands, one line per problem."""
    problems: list[str] = []
    scroll = page.evaluate(_SCROLL)  # type: ignore[attr-defined]
    if scroll:
        problems.append(scroll)
    small = page.evaluate(_FIND, SMALLEST_TEXT_PX)  # type: ignore[attr-defined]
    problems.extend(f"text under {SMALLEST_TEXT_PX} px: {line}" for line in small[:10])
    if len(small) > 10:
        problems.append(f"… and {len(small) - 10} more under {SMALLEST_TEXT_PX} px")
    return problems
