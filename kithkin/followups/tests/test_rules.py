from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from kithkin.accounts.services import update_settings
from kithkin.followups.models import FollowUp
from kithkin.followups.services import (
    add_reminder,
    apply_rules_of_touches,
    apply_touch_rules,
    complete_follow_up,
    due_counts,
    due_list,
    skip_follow_up,
    snooze_follow_up,
    sync_check_ins,
)
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def pending(owner, kind=None):
    found = FollowUp.objects.for_owner(owner).pending()
    return list(found.filter(kind=kind) if kind else found)


def check_in_of(owner, person):
    (check_in,) = FollowUp.objects.for_owner(owner).pending().filter(person=person, kind="check_in")
    return check_in


def test_thank_you_is_due_within_a_day_of_a_coffee(alice):
    ana = make_person(alice, "Ana Ruiz")
    coffee_at = NOW - timedelta(hours=19)
    make_touch(alice, ana, "coffee", coffee_at)
    (thanks,) = pending(alice, "thank_you")
    assert thanks.person == ana
    assert thanks.due_at == coffee_at + timedelta(hours=24)
    assert thanks.reason.startswith("Thank Ana for the coffee on Saturday 21 November")


@pytest.mark.parametrize("kind", ["coffee", "meal", "meeting", "event", "informational_interview"])
def test_every_in_person_kind_asks_for_a_thank_you(alice, kind):
    make_touch(alice, make_person(alice), kind, NOW - timedelta(hours=2))
    assert len(pending(alice, "thank_you")) == 1


@pytest.mark.parametrize("kind", ["call", "video", "email", "message", "social", "other"])
def test_other_kinds_ask_for_a_thank_you_only_when_told(alice, kind):
    ana = make_person(alice)
    make_touch(alice, ana, kind, NOW - timedelta(hours=2))
    assert pending(alice, "thank_you") == []
    make_touch(alice, ana, kind, NOW - timedelta(hours=1), thank=True)
    assert len(pending(alice, "thank_you")) == 1


def test_no_thank_suppresses_the_thank_you(alice):
    make_touch(alice, make_person(alice), "coffee", NOW - timedelta(hours=2), thank=False)
    assert pending(alice, "thank_you") == []


def test_a_group_coffee_thanks_each_participant(alice):
    ana, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen")
    make_touch(alice, [ana, bo, ana], "coffee", NOW - timedelta(hours=2))
    assert sorted(f.person.full_name for f in pending(alice, "thank_you")) == ["Ana Ruiz", "Bo Chen"]


def test_advice_asks_to_close_the_loop_two_weeks_later(alice):
    ana = make_person(alice)
    at = NOW - timedelta(days=1)
    make_touch(alice, ana, "call", at, advice="Talk to customers first")
    (loop,) = pending(alice, "close_loop")
    assert loop.due_at == at + timedelta(days=14)
    assert loop.reason.startswith("Tell Ana how you used their advice from the call")


def test_history_moves_the_check_in_but_asks_for_nothing_else(alice):
    ana = make_person(alice, closeness="close")
    old = NOW - timedelta(days=100)
    make_touch(alice, ana, "coffee", old, advice="Read more")
    assert pending(alice, "thank_you") == []
    assert pending(alice, "close_loop") == []
    assert check_in_of(alice, ana).due_at == old + timedelta(days=30)


def test_a_touch_exactly_seven_days_old_still_counts_as_fresh(alice):
    make_touch(alice, make_person(alice), "coffee", NOW - timedelta(days=7))
    assert len(pending(alice, "thank_you")) == 1


def test_a_close_contact_touched_100_days_ago_is_overdue_and_a_call_today_moves_it(alice):
    ana = make_person(alice, closeness="close")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=100))
    overdue = check_in_of(alice, ana)
    assert overdue.due_at < NOW
    assert [f.kind for f in due_list(alice, NOW)] == ["check_in"]
    make_touch(alice, ana, "call", NOW)
    moved = check_in_of(alice, ana)
    assert moved.pk == overdue.pk
    assert moved.due_at == NOW + timedelta(days=30)
    assert pending(alice, "thank_you") == []


def test_check_in_follows_the_latest_touch_whatever_order_they_arrive_in(alice):
    ana = make_person(alice, closeness="active")
    make_touch(alice, ana, "call", NOW - timedelta(days=10))
    make_touch(alice, ana, "call", NOW - timedelta(days=40))
    assert check_in_of(alice, ana).due_at == NOW - timedelta(days=10) + timedelta(days=90)


def test_a_person_never_touched_is_due_a_cadence_after_being_added(alice):
    ana = make_person(alice, closeness="inner")
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=7)
    assert "no touch since you added them" in check_in_of(alice, ana).reason


def test_acquaintances_prospects_and_never_get_no_check_in(alice):
    make_person(alice, "A", closeness="acquaintance")
    make_person(alice, "B", closeness="inner", cadence="never")
    make_person(alice, "C", closeness="inner", is_prospect=True, why="Leads the team")
    assert pending(alice, "check_in") == []


def test_a_cadence_override_beats_closeness(alice):
    ana = make_person(alice, closeness="wider", cadence="14")
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=14)


def test_changing_closeness_moves_the_check_in_and_acquaintance_removes_it(alice):
    ana = make_person(alice, closeness="wider")
    edit_person(alice, ana, PersonChanges(closeness="close"))
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=30)
    edit_person(alice, ana, PersonChanges(closeness="acquaintance"))
    assert pending(alice, "check_in") == []


def test_changing_a_cadence_in_settings_moves_every_check_in(alice):
    ana = make_person(alice, closeness="close")
    update_settings(alice, cadences={"close": 21})
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=21)
    update_settings(alice, cadences={"close": None})
    assert pending(alice, "check_in") == []


def test_done_check_in_starts_the_next_from_when_it_was_done(alice, frozen):
    ana = make_person(alice, closeness="close")
    make_touch(alice, ana, "call", NOW - timedelta(days=40))
    frozen.shift(timedelta(days=1))
    done = complete_follow_up(alice, check_in_of(alice, ana))
    assert done.status == "done" and done.completed_at == NOW + timedelta(days=1)
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=31)


def test_done_check_in_uses_the_latest_touch_when_that_is_later(alice):
    ana = make_person(alice, closeness="close")
    first = check_in_of(alice, ana)
    complete_follow_up(alice, first, now=NOW - timedelta(days=5))
    make_touch(alice, ana, "call", NOW)
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=30)


def test_skip_closes_and_the_cadence_goes_on(alice):
    ana = make_person(alice, closeness="close")
    skipped = skip_follow_up(alice, check_in_of(alice, ana))
    assert skipped.status == "skipped"
    assert check_in_of(alice, ana).pk != skipped.pk


def test_skip_and_done_close_a_thank_you_for_good(alice):
    ana = make_person(alice)
    make_touch(alice, ana, "coffee", NOW - timedelta(hours=3))
    (thanks,) = pending(alice, "thank_you")
    complete_follow_up(alice, thanks)
    assert pending(alice, "thank_you") == []
    with pytest.raises(Exception, match="already done"):
        skip_follow_up(alice, thanks)


def test_snooze_takes_it_off_the_list_until_then(alice, frozen):
    ana = make_person(alice)
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2))
    (thanks,) = pending(alice, "thank_you")
    snoozed = snooze_follow_up(alice, thanks, NOW + timedelta(days=7))
    assert snoozed.status == "snoozed" and snoozed.due_at == thanks.due_at
    assert thanks not in list(due_list(alice, NOW + timedelta(days=6)))
    assert snoozed in list(due_list(alice, NOW + timedelta(days=7)))
    with pytest.raises(Exception, match="not in the future"):
        snooze_follow_up(alice, snoozed, NOW - timedelta(hours=1))


def test_a_new_touch_wakes_a_snoozed_check_in_at_its_new_date(alice, frozen):
    ana = make_person(alice, closeness="close")
    snooze_follow_up(alice, check_in_of(alice, ana), NOW + timedelta(days=90))
    frozen.shift(timedelta(days=2))
    make_touch(alice, ana, "call", NOW + timedelta(days=2))
    check_in = check_in_of(alice, ana)
    assert (check_in.status, check_in.remind_at) == ("open", NOW + timedelta(days=32))


def test_an_older_touch_keeps_a_snoozed_check_in_snoozed(alice):
    ana = make_person(alice, closeness="close")
    make_touch(alice, ana, "call", NOW - timedelta(days=40))
    snooze_follow_up(alice, check_in_of(alice, ana), NOW + timedelta(days=3))
    make_touch(alice, ana, "call", NOW - timedelta(days=50))
    assert check_in_of(alice, ana).status == "snoozed"


def test_rules_are_idempotent(alice):
    ana = make_person(alice, closeness="close")
    touch = make_touch(alice, ana, "coffee", NOW - timedelta(hours=2), advice="x")
    before = sorted(FollowUp.objects.for_owner(alice).values_list("pk", "kind", "due_at"))
    apply_touch_rules(alice, touch, [ana.pk])
    sync_check_ins(alice)
    assert sorted(FollowUp.objects.for_owner(alice).values_list("pk", "kind", "due_at")) == before


def test_the_rules_of_many_touches_at_once_ask_what_each_touch_asks(alice):
    """The bulk form a network loader uses: the same thank-yous, close-the-loops and check-ins."""
    ana, bo = make_person(alice, "Ana Ruiz", closeness="close"), make_person(alice, "Bo Chen")
    touches = {
        make_touch(alice, [ana, bo], "coffee", NOW - timedelta(hours=5)): [ana.pk, bo.pk],
        make_touch(alice, bo, "call", NOW - timedelta(days=2), advice="Price it higher"): [bo.pk],
        make_touch(alice, ana, "message", NOW - timedelta(hours=1)): [ana.pk],
        make_touch(alice, ana, "meal", NOW - timedelta(days=30), advice="Read it twice"): [ana.pk],
    }

    def made():
        rows = FollowUp.objects.for_owner(alice).order_by("pk")
        return [
            (f.person_id, f.kind, f.due_at, f.reason, f.touch_id, f.cause_id, f.origin, f.status)
            for f in rows.exclude(kind="check_in")
        ], sorted(rows.filter(kind="check_in").values_list("person_id", "due_at", "reason"))

    one_by_one = made()
    assert len(one_by_one[0]) == 3  # a thank-you each for the coffee, a close-the-loop for the call
    FollowUp.objects.for_owner(alice).delete()
    assert apply_rules_of_touches(alice, {t.pk: people for t, people in touches.items()}, now=NOW) == 3
    assert made() == one_by_one
    assert apply_rules_of_touches(alice, {t.pk: people for t, people in touches.items()}, now=NOW) == 0
    assert made() == one_by_one


def test_the_database_refuses_a_second_pending_follow_up_for_one_cause(alice):
    ana = make_person(alice, closeness="close")
    existing = check_in_of(alice, ana)
    existing.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        existing.save()


def test_a_reminder_by_hand_is_a_custom_follow_up(alice):
    ana = make_person(alice)
    first = add_reminder(alice, ana, "Send Ana the pricing article", NOW + timedelta(days=1))
    second = add_reminder(alice, ana, "Ask Ana about the offsite", NOW + timedelta(days=2))
    assert (first.kind, first.origin) == ("custom", "user")
    assert (first.cause, first.cause_key) != (second.cause, second.cause_key)


def test_one_owners_rules_never_touch_another_owner(alice, bob):
    make_touch(alice, make_person(alice, closeness="inner"), "coffee", NOW - timedelta(hours=1))
    make_person(bob, "Bo Chen", closeness="inner")
    sync_check_ins(alice)
    assert {f.person.owner for f in FollowUp.objects.all()} == {alice, bob}
    assert all(f.owner == f.person.owner for f in FollowUp.objects.all())
    assert len(pending(bob)) == 1


def test_due_counts_count_each_kind_due_by_then_as_the_due_list_does(alice, bob):
    ana, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2))
    make_touch(alice, bo, "coffee", NOW - timedelta(days=2))
    make_touch(bob, make_person(bob, "Cy Diaz"), "coffee", NOW - timedelta(days=2))
    (first, second) = pending(alice, "thank_you")
    snooze_follow_up(alice, first, NOW + timedelta(days=7))
    complete_follow_up(alice, second)
    for until in (NOW, NOW + timedelta(days=8), NOW + timedelta(days=400)):
        counts = due_counts(alice, until)
        assert set(counts) == set(FollowUp.Kind.values)
        for kind, n in counts.items():
            assert n == due_list(alice, until).filter(kind=kind).count()
    assert due_counts(alice, NOW + timedelta(days=8))["thank_you"] == 1
