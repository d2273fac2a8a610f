"""Milestones ask for a congratulation within 2 days; birthdays for a wish on the day, each year."""

from datetime import date, datetime, time, timedelta

import pytest

from kithkin.core.errors import BadInput
from kithkin.followups.causes import is_birthday_wish
from kithkin.followups.milestones import apply_milestone_role, birthday_in, record_milestone, sync_birthdays
from kithkin.followups.models import FollowUp
from kithkin.followups.services import complete_follow_up, skip_follow_up
from kithkin.people.models import HistoryEntry, Milestone
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import NOW, UTC, make_person

pytestmark = pytest.mark.usefixtures("frozen")


def congratulations(owner, person):
    return list(FollowUp.objects.for_owner(owner).pending().filter(person=person, kind=FollowUp.Kind.CONGRATULATE))


def test_a_milestone_asks_for_a_congratulation_within_two_days_and_shows_in_the_timeline(alice):
    ana = make_person(alice, "Ana Ruiz")
    recorded = record_milestone(alice, ana, "Won the design award", kind="award")
    assert recorded.follow_up is not None and not recorded.is_old
    assert recorded.follow_up.due_at == NOW + timedelta(days=2)
    assert recorded.follow_up.reason == "Congratulate Ana on the award: Won the design award"
    entry = HistoryEntry.objects.for_owner(alice).get(person=ana, kind=HistoryEntry.Kind.MILESTONE)
    assert entry.text == "Award: Won the design award"
    assert entry.data == {"milestone_id": recorded.milestone.pk}


def test_a_milestone_from_months_ago_is_history_and_asks_for_nothing(alice):
    ana = make_person(alice, "Ana Ruiz")
    recorded = record_milestone(alice, ana, "Graduated", kind="graduation", on=date(2026, 6, 1))
    assert recorded.is_old and recorded.follow_up is None
    assert congratulations(alice, ana) == []
    assert Milestone.objects.for_owner(alice).get().happened_on == date(2026, 6, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "  "}, "TEXT"),
        ({"text": "Launch", "on": date(2026, 12, 1)}, "on"),
        ({"text": "Award", "kind": "award", "organization": "Initech"}, "org"),
        ({"text": "New job", "kind": "new_job", "apply_position": True}, "apply-position"),
        ({"text": "Party", "kind": "birthday_party"}, "kind"),
    ],
)
def test_a_bad_milestone_is_refused_naming_the_field_and_records_nothing(alice, changes, field):
    ana = make_person(alice, "Ana Ruiz")
    text = changes.pop("text")
    with pytest.raises(BadInput) as refused:
        record_milestone(alice, ana, text, **changes)
    assert refused.value.field == field
    assert not Milestone.objects.for_owner(alice).exists()


def test_a_new_job_changes_their_role_only_when_the_user_confirms(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", title="Designer")
    recorded = record_milestone(
        alice, ana, "Product Lead at Initech", kind="new_job", organization="Initech", title="Product Lead"
    )
    ana.refresh_from_db()
    assert ana.organization.name == "Acme" and not recorded.milestone.is_position_applied
    assert recorded.follow_up.reason == "Congratulate Ana on the new job at Initech"
    apply_milestone_role(alice, recorded.milestone)
    ana.refresh_from_db()
    assert (ana.organization.name, ana.title) == ("Initech", "Product Lead")
    assert ana.positions.filter(organization__name="Acme", ended_on__isnull=False).exists()
    with pytest.raises(BadInput, match="already updated"):
        apply_milestone_role(alice, recorded.milestone)


def test_a_new_job_can_be_applied_as_it_is_recorded(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme")
    recorded = record_milestone(alice, ana, "Head of data", kind="promotion", title="Head of data", apply_position=True)
    ana.refresh_from_db()
    assert recorded.milestone.is_position_applied and ana.title == "Head of data"
    assert recorded.follow_up.reason == "Congratulate Ana on the promotion to Head of data"


def test_someone_elses_person_or_milestone_is_not_found(alice, bob):
    bobs = make_person(bob, "Bo Chen")
    with pytest.raises(BadInput):
        record_milestone(alice, bobs, "Launch")
    milestone = record_milestone(bob, bobs, "Initech", kind="new_job", organization="Initech").milestone
    with pytest.raises(BadInput):
        apply_milestone_role(alice, milestone)


# --- birthdays ---------------------------------------------------------------------------------


def birthday_wishes(owner, person):
    return [(f"birthday:{f.cause_key}", f.due_at) for f in congratulations(owner, person) if is_birthday_wish(f)]


def test_a_birthday_asks_for_a_wish_on_the_morning_of_the_day(alice):
    ana = make_person(alice, "Ana Ruiz", birthday=date(1990, 11, 25))
    assert birthday_wishes(alice, ana) == [("birthday:2026", datetime(2026, 11, 25, 9, 0, tzinfo=UTC))]


def test_a_wish_done_plans_next_years_across_the_new_year(alice, frozen):
    frozen.move_to(datetime(2026, 12, 30, 10, 0, tzinfo=UTC))
    ana = make_person(alice, "Ana Ruiz", birthday=date(1985, 1, 2))
    assert birthday_wishes(alice, ana) == [("birthday:2027", datetime(2027, 1, 2, 9, 0, tzinfo=UTC))]
    frozen.move_to(datetime(2027, 1, 2, 9, 30, tzinfo=UTC))
    (wish,) = congratulations(alice, ana)
    complete_follow_up(alice, wish)
    assert birthday_wishes(alice, ana) == [("birthday:2028", datetime(2028, 1, 2, 9, 0, tzinfo=UTC))]


def test_a_29_february_birthday_is_wished_on_28_february_in_other_years(alice, frozen):
    ana = make_person(alice, "Ana Ruiz", birthday=date(1996, 2, 29))
    assert birthday_wishes(alice, ana) == [("birthday:2027", datetime(2027, 2, 28, 9, 0, tzinfo=UTC))]
    frozen.move_to(datetime(2027, 2, 28, 10, 0, tzinfo=UTC))
    skip_follow_up(alice, congratulations(alice, ana)[0])
    # 2028 is a leap year: the day itself.
    assert birthday_wishes(alice, ana) == [("birthday:2028", datetime(2028, 2, 29, 9, 0, tzinfo=UTC))]
    assert birthday_in(date(1996, 2, 29), 2100) == date(2100, 2, 28)


def test_a_birthday_changed_or_removed_moves_or_removes_the_wish(alice):
    ana = make_person(alice, "Ana Ruiz", birthday=date(1990, 12, 5))
    edit_person(alice, ana, PersonChanges(birthday=date(1990, 12, 1)))
    assert birthday_wishes(alice, ana) == [("birthday:2026", datetime(2026, 12, 1, 9, 0, tzinfo=UTC))]
    edit_person(alice, ana, PersonChanges(clear=frozenset({"birthday"})))
    assert birthday_wishes(alice, ana) == []


def test_a_birthday_wish_follows_the_time_zone_and_a_sync_changes_nothing_more(alice):
    from kithkin.accounts.services import update_settings

    ana = make_person(alice, "Ana Ruiz", birthday=date(1990, 12, 5))
    update_settings(alice, time_zone="Europe/Madrid")
    (cause, due_at) = birthday_wishes(alice, ana)[0]
    assert due_at.astimezone(alice._kithkin_profile.tz).time() == time(9, 0)
    assert sync_birthdays(alice) == 1
    assert birthday_wishes(alice, ana) == [(cause, due_at)]


# --- on the person's page ---------------------------------------------------------------------------
