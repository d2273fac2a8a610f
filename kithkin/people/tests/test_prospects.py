from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kithkin.core.errors import BadInput
from kithkin.followups.models import FollowUp
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, mark_prospect_met, set_prospect_status, want_to_meet
from kithkin.testing import NOW, make_person, make_user

pytestmark = pytest.mark.usefixtures("frozen")


def prospect(owner, name="Grace Hopper", why="She wrote the first compiler", **fields):
    return want_to_meet(owner, name, why, PersonChanges(**fields))


def pending_check_ins(owner, person):
    return list(FollowUp.objects.for_owner(owner).pending().filter(person=person, kind=FollowUp.Kind.CHECK_IN))


# --- the list --------------------------------------------------------------------------------


def test_meeting_a_prospect_makes_them_a_person_of_the_network_met_today_in_my_time_zone(db, frozen):
    frozen.move_to(datetime(2026, 11, 22, 20, 0, tzinfo=ZoneInfo("UTC")))  # already the 23rd in Tokyo
    carol = make_user("carol", time_zone="Asia/Tokyo")
    grace = prospect(carol, closeness="close")
    met = mark_prospect_met(carol, grace)
    assert not met.is_prospect and met.prospect_status == Person.ProspectStatus.MET
    assert met.met_on == date(2026, 11, 23)
    assert met.why == "She wrote the first compiler"


def test_meeting_a_prospect_starts_check_ins_by_their_closeness(alice):
    grace = prospect(alice, closeness="close")
    assert pending_check_ins(alice, grace) == []
    mark_prospect_met(alice, grace)
    [check_in] = pending_check_ins(alice, grace)
    assert check_in.due_at == NOW + timedelta(days=30)


def test_a_long_listed_prospect_met_today_is_not_due_for_a_check_in_at_once(alice, frozen):
    grace = prospect(alice, closeness="close")
    frozen.shift(timedelta(days=90))
    mark_prospect_met(alice, grace)
    [check_in] = pending_check_ins(alice, grace)
    assert check_in.due_at > NOW + timedelta(days=90)


def test_a_known_meeting_date_is_kept_and_meeting_twice_changes_nothing(alice, frozen):
    grace = prospect(alice, met_on=date(2026, 10, 1))
    mark_prospect_met(alice, grace)
    frozen.shift(timedelta(days=3))
    again = mark_prospect_met(alice, grace)
    assert again.met_on == date(2026, 10, 1) and again.updated_at == NOW


def test_only_people_on_the_list_have_a_status_to_change(alice):
    ana = make_person(alice, "Ana Ruiz")
    with pytest.raises(BadInput, match="not on your list"):
        set_prospect_status(alice, ana, "asked_for_intro")
    with pytest.raises(BadInput, match="not on your list"):
        set_prospect_status(alice, ana, "met")
    ana.refresh_from_db()
    assert ana.prospect_status == "" and ana.met_on is None


# --- privacy and CSRF -----------------------------------------------------------------------
