"""Reopen: the undo of done, skip and snooze, and of what closing a follow-up planned."""

from datetime import date, timedelta

import pytest

from kithkin.core.errors import BadInput
from kithkin.followups.causes import is_birthday_wish
from kithkin.followups.models import FollowUp
from kithkin.followups.services import (
    complete_follow_up,
    reopen_follow_up,
    skip_follow_up,
    snooze_follow_up,
)
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def pending_check_ins(owner, person):
    return list(FollowUp.objects.for_owner(owner).pending().filter(person=person, kind="check_in"))


# Issue 13, item 18
def test_reopening_a_done_follow_up_opens_it_again_as_it_was(alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "coffee", NOW - timedelta(hours=30))
    thanks = FollowUp.objects.for_owner(alice).get(kind="thank_you")
    complete_follow_up(alice, thanks)
    reopened = reopen_follow_up(alice, thanks)
    assert (reopened.status, reopened.completed_at, reopened.remind_at) == ("open", None, thanks.due_at)


# Issue 13, item 18
def test_reopening_a_snoozed_follow_up_brings_back_its_own_due_time(alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "coffee", NOW - timedelta(hours=30))
    thanks = FollowUp.objects.for_owner(alice).get(kind="thank_you")
    snooze_follow_up(alice, thanks, NOW + timedelta(days=3))
    reopened = reopen_follow_up(alice, thanks)
    assert (reopened.status, reopened.snoozed_until, reopened.remind_at) == ("open", None, thanks.due_at)


# Issue 13, item 18
@pytest.mark.parametrize("close", [complete_follow_up, skip_follow_up])
def test_reopening_a_check_in_removes_the_next_one_its_closing_planned(alice, close):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, ana, "call", NOW - timedelta(days=40))
    (check_in,) = pending_check_ins(alice, ana)
    close(alice, check_in)
    (planned,) = pending_check_ins(alice, ana)
    assert planned.pk != check_in.pk
    reopened = reopen_follow_up(alice, check_in)
    assert pending_check_ins(alice, ana) == [reopened]
    assert (reopened.pk, reopened.due_at) == (check_in.pk, check_in.due_at)
    assert not FollowUp.objects.filter(pk=planned.pk).exists()


# Issue 13, item 18
def test_reopening_a_check_in_is_refused_when_the_next_one_was_acted_on(alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, ana, "call", NOW - timedelta(days=40))
    (check_in,) = pending_check_ins(alice, ana)
    complete_follow_up(alice, check_in)
    (planned,) = pending_check_ins(alice, ana)
    snooze_follow_up(alice, planned, NOW + timedelta(days=60))
    with pytest.raises(BadInput, match=f"reopen #{planned.pk} first"):
        reopen_follow_up(alice, check_in)
    assert FollowUp.objects.get(pk=check_in.pk).status == "done"
    reopen_follow_up(alice, planned)
    assert reopen_follow_up(alice, check_in).status == "open"
    assert pending_check_ins(alice, ana) == [FollowUp.objects.get(pk=check_in.pk)]


# Issue 13, item 18
def test_reopening_a_birthday_wish_removes_next_years(alice):
    ana = make_person(alice, "Ana Ruiz", birthday=date(1990, 11, 25))
    (wish,) = [f for f in FollowUp.objects.for_owner(alice).pending() if is_birthday_wish(f)]
    complete_follow_up(alice, wish)
    assert [
        f.cause_key for f in FollowUp.objects.for_owner(alice).pending().filter(person=ana, kind="congratulate")
    ] == ["2027"]
    reopen_follow_up(alice, wish)
    assert [
        f.cause_key for f in FollowUp.objects.for_owner(alice).pending().filter(person=ana, kind="congratulate")
    ] == ["2026"]


# Issue 13, item 18
def test_reopening_an_open_follow_up_says_there_is_nothing_to_undo(alice, bob):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "coffee", NOW - timedelta(hours=30))
    thanks = FollowUp.objects.for_owner(alice).get(kind="thank_you")
    with pytest.raises(BadInput, match="is open: there is nothing to undo"):
        reopen_follow_up(alice, thanks)
    complete_follow_up(alice, thanks)
    with pytest.raises(BadInput, match="no such follow-up"):
        reopen_follow_up(bob, thanks)
