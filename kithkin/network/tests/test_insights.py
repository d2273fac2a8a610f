"""Insights: the network in numbers, each figure counted in SQL, for its owner only."""

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.events.models import Event, EventMet
from kithkin.exchanges.models import Exchange
from kithkin.followups.models import FollowUp
from kithkin.goals.week import Discipline
from kithkin.network.insights import insights, month_bounds
from kithkin.network.serialize import insights_data
from kithkin.network.services import STRENGTH_BANDS, assess_people, filter_by_band
from kithkin.network.tests.scenarios import three_ties
from kithkin.people.models import HistoryEntry, Person
from kithkin.people.services import filter_people
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
_keys = itertools.count()


def follow_up(owner, person, kind, due_at, status="open", completed_at=None):
    return FollowUp.objects.create(
        owner=owner,
        person=person,
        kind=kind,
        reason="x",
        due_at=due_at,
        remind_at=due_at,
        status=status,
        origin=FollowUp.Origin.USER,
        cause_type=ContentType.objects.get_for_model(Person),
        cause_id=person.pk,
        cause_key=f"test-{next(_keys)}",
        created_at=due_at - timedelta(days=1),
        completed_at=completed_at,
    )


def exchange(owner, person, direction, day):
    return Exchange.objects.create(
        owner=owner, person=person, direction=direction, what="help", happened_on=day, created_at=NOW
    )


def at(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_circle_counts_take_in_prospects_as_the_people_list_does(alice):
    make_person(alice, "Ana Ruiz", circle="friend")
    make_person(alice, "Bo Chen", circle="friend", is_prospect=True, why="Runs the fintech meetup")
    make_person(alice, "Cy Diaz", circle="colleague", closeness="inner")
    make_person(alice, "Di Eng")
    circles = {c.circle: c for c in insights(alice).circles}
    assert (circles["friend"].people, circles["friend"].prospects) == (2, 1)
    assert circles["friend"].by_closeness == (0, 0, 1, 0, 0)  # the prospect is not in a layer
    assert circles["colleague"].by_closeness == (1, 0, 0, 0, 0)
    assert circles[""].label == "no circle" and circles[""].people == 1
    for circle in circles.values():
        if circle.circle:
            assert circle.people == filter_people(alice, circle=circle.circle).count(), circle.circle


def test_each_layer_counts_its_closeness_and_every_closer_one_against_dunbars(alice):
    for i in range(9):
        make_person(alice, f"Inner {i}", closeness="inner")
    make_person(alice, "Cy Close", closeness="close")
    make_person(alice, "Pat Prospect", closeness="inner", is_prospect=True, why="x")
    layers = {layer.closeness: layer for layer in insights(alice).layers}
    assert (layers["inner"].people, layers["inner"].within, layers["inner"].dunbar) == (9, 9, 5)
    assert layers["inner"].verdict == "over by 4"
    assert (layers["close"].within, layers["close"].verdict) == (10, "under by 5")
    assert layers["active"].within == 10 and layers["acquaintance"].dunbar == 500


def test_a_layer_within_a_fifth_of_dunbars_number_is_about_the_same(alice):
    for i in range(16):
        make_person(alice, f"Close {i}", closeness="close")
    layers = {layer.closeness: layer for layer in insights(alice).layers}
    assert (layers["close"].within, layers["close"].verdict) == (16, "about the same")


def test_the_year_counts_the_people_met_or_added_by_each_month_end_by_closeness(alice):
    make_person(alice, "Olga Old", closeness="close", met_on=date(2025, 6, 1))
    make_person(alice, "Ned New", met_on=date(2026, 9, 15))
    make_person(alice, "Ada Added")  # no met-on day: in the network from when she was added, now
    make_person(alice, "Pat Prospect", met_on=date(2025, 1, 1), is_prospect=True, why="x")
    months = {m.month: m for m in insights(alice).months}
    assert sorted(months) == [date(2025, 12, 1), *(date(2026, n, 1) for n in range(1, 12))]
    assert months[date(2026, 8, 1)].known == (0, 1, 0, 0, 0)
    assert months[date(2026, 9, 1)].known == (0, 1, 1, 0, 0)
    assert months[date(2026, 11, 1)].total_known == 3 and months[date(2026, 11, 1)].ends_at == NOW


def test_in_touch_counts_each_closeness_touched_in_the_last_90_days(alice):
    old = make_person(alice, "Olga Old", closeness="close")
    new = make_person(alice, "Ned New")
    make_person(alice, "Nora Never", closeness="close")
    make_touch(alice, old, "call", NOW - timedelta(days=100))
    make_touch(alice, new, "call", NOW - timedelta(days=60))
    found = insights(alice)
    assert found.in_touch == (0, 0, 1, 0, 0)
    assert [(layer.closeness, n) for layer, n in found.layer_rows][:3] == [("inner", 0), ("close", 0), ("active", 1)]


def test_discipline_counts_follow_ups_by_the_month_they_fell_due_and_how_they_ended(alice):
    ana = make_person(alice, "Ana Ruiz")
    thanks = FollowUp.Kind.THANK_YOU
    follow_up(alice, ana, thanks, at(date(2026, 10, 5)), "done", at(date(2026, 10, 4)))
    follow_up(alice, ana, thanks, at(date(2026, 10, 6)), "done", at(date(2026, 10, 8)))
    follow_up(alice, ana, thanks, at(date(2026, 10, 7)), "skipped", at(date(2026, 10, 8)))
    follow_up(alice, ana, FollowUp.Kind.CLOSE_LOOP, at(date(2026, 10, 10)), "done", at(date(2026, 10, 12)))
    follow_up(alice, ana, FollowUp.Kind.CHECK_IN, at(date(2026, 10, 20)))
    follow_up(alice, ana, FollowUp.Kind.CHECK_IN, NOW + timedelta(days=3))  # not due yet
    follow_up(alice, ana, FollowUp.Kind.CONGRATULATE, at(date(2026, 10, 20)))  # not a kind counted
    months = {m.month: m for m in insights(alice).discipline}
    october = months[date(2026, 10, 1)]
    assert october.thank_yous == Discipline(due=3, on_time=1, late=1, skipped=1, waiting=0)
    assert october.thank_yous.share == 33
    assert october.loops == Discipline(1, 0, 1, 0, 0) and october.loops.done_share == 100
    assert october.check_ins == Discipline(1, 0, 0, 0, 1) and october.check_ins.done_share == 0
    assert months[date(2026, 11, 1)].check_ins.due == 0


def test_give_and_take_counts_each_month_of_the_ledger(alice):
    ana = make_person(alice, "Ana Ruiz")
    exchange(alice, ana, "gave", date(2026, 10, 3))
    exchange(alice, ana, "gave", date(2026, 10, 31))
    exchange(alice, ana, "got", date(2026, 11, 2))
    exchange(alice, ana, "got", date(2025, 11, 30))  # before the year shown
    ledger = {m.month: (m.gave, m.got) for m in insights(alice).ledger}
    assert len(ledger) == 12
    assert ledger[date(2026, 10, 1)] == (2, 0) and ledger[date(2026, 11, 1)] == (0, 1)
    assert sum(gave + got for gave, got in ledger.values()) == 3


def test_touches_are_counted_by_week_this_week_last(alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "call", NOW - timedelta(days=1))
    make_touch(alice, ana, "call", NOW - timedelta(hours=1))
    make_touch(alice, ana, "call", NOW - timedelta(days=8))
    weeks = insights(alice).touches
    assert len(weeks) == 26
    assert (weeks[-1].week, weeks[-1].touches) == (date(2026, 11, 16), 2)
    assert (weeks[-2].week, weeks[-2].touches) == (date(2026, 11, 9), 1)


def test_strength_bands_and_statuses_agree_with_the_people_list_and_each_persons_tie(alice):
    three_ties(alice)
    make_person(alice, "Nora Never")
    make_person(alice, "Pat Prospect", is_prospect=True, why="x")
    found = insights(alice).strength
    network = Person.objects.for_owner(alice).in_network()
    for band in STRENGTH_BANDS:
        assert getattr(found, band) == filter_by_band(network, NOW, band).count(), band
    statuses = [a.status for a in assess_people(alice, network).values()]
    assert (found.at_risk, found.dormant) == (statuses.count("at_risk"), statuses.count("dormant"))
    assert found.at_risk + found.dormant >= 1  # the quiet friend
    assert sum(found.steps) == 4 and found.no_history == 1
    assert found.step_labels[0] == "0-9" and found.step_labels[-1] == "90-100"


def test_statuses_counted_in_sql_agree_with_each_persons_tie_whatever_the_cadence(alice):
    """``services.status_sql`` writes ``strength.status_of`` again in SQL: they must agree."""
    three_ties(alice)
    cases = [
        ("inner", {}, [400]),  # one touch: no rhythm, the inner cadence stands in
        ("close", {"cadence": 3}, [10]),  # a cadence of its own: at risk after a week
        ("close", {"cadence": "never"}, [200]),
        ("active", {}, [30, 60, 90, 500]),
        ("wider", {}, [400, 410, 420, 430]),  # once close by peak? a wider tie quiet over a year
        ("acquaintance", {}, [5]),
        ("inner", {}, [20 + 7 * k for k in range(20)]),  # a weekly rhythm, quiet for three weeks
        ("close", {}, [700 + 14 * k for k in range(30)]),  # close once, quiet two years
    ]
    for i, (closeness, extra, days_ago) in enumerate(cases):
        person = make_person(alice, f"Case {i}", closeness=closeness, **extra)
        for days in days_ago:
            make_touch(alice, person, "coffee", NOW - timedelta(days=days))
    found = insights(alice).strength
    statuses = [a.status for a in assess_people(alice, Person.objects.for_owner(alice).in_network()).values()]
    assert (found.at_risk, found.dormant) == (statuses.count("at_risk"), statuses.count("dormant"))
    assert found.at_risk >= 2 and found.dormant >= 2


def test_organizations_are_ranked_by_how_many_people_work_there_now(alice):
    for name in ("Ana Ruiz", "Bo Chen", "Cy Diaz"):
        make_person(alice, name, organization="Acme")
    make_person(alice, "Di Eng", organization="Globex")
    make_person(alice, "Ed Fox", organization="Globex", is_prospect=True, why="x")
    found = insights(alice).organizations
    assert [(o.name, o.people) for o in found] == [("Acme", 3), ("Globex", 1)]


def test_where_people_were_met_counts_each_once_introduction_first(alice):
    ana = make_person(alice, "Ana Ruiz")
    bo = make_person(alice, "Bo Chen", met_through=ana)
    cy = make_person(alice, "Cy Diaz")
    di = make_person(alice, "Di Eng")
    event = Event.objects.create(owner=alice, name="Meetup", starts_at=NOW, created_at=NOW)
    for person in (bo, cy):
        EventMet.objects.create(owner=alice, event=event, person=person, is_new_person=True, created_at=NOW)
    for person in (cy, di):
        HistoryEntry.objects.create(owner=alice, person=person, kind="imported", text="x", happened_at=NOW)
    found = insights(alice).sources
    assert (found.introduced, found.at_event, found.imported, found.by_hand) == (1, 1, 1, 1)


def test_another_users_network_is_never_counted(alice, bob):
    three_ties(alice)
    before = insights_data(insights(alice))
    friend, colleague, _ = three_ties(bob)
    make_person(bob, "Bo Prospect", circle="friend", is_prospect=True, why="x", organization="Bobcorp")
    exchange(bob, friend, "gave", NOW.date())
    follow_up(bob, colleague, FollowUp.Kind.THANK_YOU, NOW - timedelta(days=2))
    assert insights_data(insights(alice)) == before


def test_the_queries_are_as_few_for_many_people_as_for_a_few(alice):
    def count():
        with CaptureQueriesContext(connection) as queries:
            insights(alice)
        return len(queries)

    three_ties(alice)
    make_person(alice, "Ann Acme", organization="Acme")
    few = count()
    for i in range(20):
        person = make_person(alice, f"Person {i}", organization=f"Org {i % 3}", circle="friend")
        make_touch(alice, person, "call", NOW - timedelta(days=i * 20))
    assert count() == few <= 14


def test_months_run_in_the_users_time_zone_across_a_new_year():
    new_york = ZoneInfo("America/New_York")
    # 03:00 UTC on 1 January is still New Year's Eve in New York.
    bounds = month_bounds(datetime(2027, 1, 1, 3, tzinfo=UTC), new_york, 3)
    assert [start.date() for start, _end in bounds] == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert bounds[-1][1] == datetime(2027, 1, 1, tzinfo=new_york)


def test_the_days_picture_is_kept_until_the_network_changes(alice):
    ana = make_person(alice, "Ana", closeness="close")
    first = insights(alice, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        again = insights(alice, now=NOW + timedelta(minutes=5))
    assert len(queries) <= 1  # the time zone; the picture itself is kept
    assert again.people == first.people and again.now == NOW + timedelta(minutes=5)
    make_touch(alice, ana, "call", NOW - timedelta(days=1))
    make_person(alice, "Bo")
    changed = insights(alice, now=NOW + timedelta(minutes=6))
    assert changed.people == first.people + 1
    assert sum(changed.in_touch) == sum(first.in_touch) + 1
