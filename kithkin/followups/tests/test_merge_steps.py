"""What merging two people does to their follow-ups (the steps followups registers on people's merge hooks)."""

from datetime import date, timedelta

import pytest

from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder
from kithkin.people.merge import merge_people, preview_merge
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")


def test_what_the_dropped_person_caused_is_caused_by_the_kept_one(alice):
    keep, drop = make_person(alice, "Ana Ruiz"), make_person(alice, "Ana R.")
    add_reminder(alice, keep, "Send the article", NOW + timedelta(days=1))
    add_reminder(alice, drop, "Ask about the offsite", NOW + timedelta(days=2))

    merge_people(alice, keep, drop)

    reminders = FollowUp.objects.for_owner(alice).filter(kind=FollowUp.Kind.CUSTOM).order_by("due_at")
    assert [(f.reason, f.person, f.cause) for f in reminders] == [
        ("Send the article", keep, keep),
        ("Ask about the offsite", keep, keep),
    ]


def test_two_birthday_wishes_for_one_birthday_become_one(alice):
    keep = make_person(alice, "Ana Ruiz", birthday=date(1990, 12, 5))
    drop = make_person(alice, "Ana R.", birthday=date(1990, 12, 5))
    assert preview_merge(alice, keep, drop).moves == {}

    merge_people(alice, keep, drop)

    (wish,) = FollowUp.objects.for_owner(alice).pending().filter(kind=FollowUp.Kind.CONGRATULATE)
    assert (wish.person, wish.cause, wish.cause_key) == (keep, keep, "2026")
