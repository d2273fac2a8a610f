"""The calendar feed's event titles: dates, never "ago", which a calendar would show stale."""

from datetime import timedelta

import pytest

from kithkin.exports.services import feed_events
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


# Issue 13, item 21c
def test_calendar_feed_titles_give_dates_not_times_ago(alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, ana, "coffee", NOW - timedelta(minutes=4), advice="Talk to customers")
    make_person(alice, "Bo Chen", closeness="close")
    titles = sorted(event.summary for event in feed_events(alice, NOW))
    assert titles == [
        "Check in with Ana: last in touch 22 Nov 2026",
        "Check in with Bo: not in touch since you added them on 22 Nov 2026",
        "Tell Ana how you used their advice from the coffee on 22 Nov 2026",
        "Thank Ana for the coffee on 22 Nov 2026",
    ]
    assert not any("ago" in title or "today" in title or "yesterday" in title for title in titles)
