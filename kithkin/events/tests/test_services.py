"""Events: the plan, the people met there, the review and its figures."""

from datetime import date, datetime, timedelta

import pytest

from kithkin.core.errors import BadInput, NotFound
from kithkin.events.models import Event, EventHope, EventMet
from kithkin.events.services import (
    EventPlan,
    ThankStatus,
    add_event,
    delete_event,
    edit_event,
    event_figures,
    event_review,
    events_around,
    events_with_person,
    find_event,
    met,
    record_event_help,
    resolve_people,
    review_event,
)
from kithkin.exchanges.models import Ask, Exchange
from kithkin.followups.models import FollowUp
from kithkin.followups.services import complete_follow_up, skip_follow_up
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, UTC, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")

# Yesterday evening: an event just past, its thank-yous due tonight.
LAST_NIGHT = NOW - timedelta(hours=15)


def plan(name="Fintech Breakfast", starts_at=LAST_NIGHT, **fields):
    return EventPlan(name=name, starts_at=starts_at, **fields)


def thank_yous(owner):
    return list(FollowUp.objects.for_owner(owner).filter(kind=FollowUp.Kind.THANK_YOU).order_by("id"))


# --- the plan ---


def test_a_plan_keeps_its_goal_pitch_starters_and_the_people_to_meet(alice):
    ana = make_person(alice, "Ana Ruiz")
    planned = add_event(
        alice,
        plan(
            "Fintech Meetup",
            NOW + timedelta(days=3),
            where="Impact Hub",
            goal="Meet two people in payments",
            pitch="I'm a marketing analyst moving into finance",
            starters=["What brought you here?", "  ", "- What are you working on?", "what brought you here?"],
            circle="community",
            hope_to_meet=[ana, "Grace Hopper", ana],
        ),
    )
    event = Event.objects.get(pk=planned.event.pk)
    assert (event.where, event.goal, event.circle) == ("Impact Hub", "Meet two people in payments", "community")
    assert event.starters == ["What brought you here?", "What are you working on?"]
    hoped = [h.person.full_name for h in EventHope.objects.filter(event=event).order_by("id")]
    assert hoped == ["Ana Ruiz", "Grace Hopper"]
    (grace,) = planned.added
    assert grace.is_prospect and grace.why == "To meet at Fintech Meetup"


def test_a_plan_needs_a_name_and_refuses_unknown_circles_and_too_many_starters(alice):
    with pytest.raises(BadInput) as no_name:
        add_event(alice, plan("   "))
    assert no_name.value.field == "name"
    with pytest.raises(BadInput) as circle:
        add_event(alice, plan(circle="frends"))
    assert circle.value.field == "circle"
    with pytest.raises(BadInput) as starters:
        add_event(alice, plan(starters=[f"Question {n}" for n in range(21)]))
    assert starters.value.field == "starter"
    assert not Event.objects.exists()


def test_editing_a_plan_replaces_the_people_to_meet(alice):
    ana, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen")
    event = add_event(alice, plan(starts_at=NOW + timedelta(days=2), hope_to_meet=[ana])).event
    edit_event(alice, event, plan("Fintech Breakfast II", NOW + timedelta(days=2), hope_to_meet=[bo]))
    event.refresh_from_db()
    assert event.name == "Fintech Breakfast II"
    assert list(EventHope.objects.filter(event=event).values_list("person__full_name", flat=True)) == ["Bo Chen"]


def test_an_event_where_people_were_met_cannot_move_into_the_future(alice):
    event = add_event(alice, plan()).event
    met(alice, event, ["Zoe Park"])
    with pytest.raises(BadInput) as moved:
        edit_event(alice, event, plan(starts_at=NOW + timedelta(days=1)))
    assert moved.value.field == "on"


def test_someone_elses_person_cannot_be_hoped_for_or_met(alice, bob):
    bobs = make_person(bob, "Bob's Friend")
    with pytest.raises(NotFound):
        add_event(alice, plan(hope_to_meet=[bobs]))
    event = add_event(alice, plan()).event
    with pytest.raises(NotFound):
        met(alice, event, [bobs])
    with pytest.raises(NotFound):
        met(bob, event, ["Someone"])


# --- meeting people there ---


def test_an_event_with_three_people_met_creates_three_thank_yous_due_24_hours_after_it(alice):
    ana = make_person(alice, "Ana Ruiz")
    event = add_event(alice, plan(circle="community")).event
    result = met(alice, event, [ana, "Zoe Park", "Li Wei"])
    assert [p.full_name for p in result.met] == ["Ana Ruiz", "Zoe Park", "Li Wei"]
    assert [p.full_name for p in result.added] == ["Zoe Park", "Li Wei"]
    thanks = thank_yous(alice)
    assert len(thanks) == 3
    assert {f.person.full_name for f in thanks} == {"Ana Ruiz", "Zoe Park", "Li Wei"}
    assert all(f.due_at == LAST_NIGHT + timedelta(hours=24) for f in thanks)
    assert all(f.touch.kind == Touch.Kind.EVENT and f.touch.happened_at == LAST_NIGHT for f in thanks)
    assert not result.is_history


def test_a_new_name_met_there_joins_the_network_with_the_events_circle_and_day(alice):
    event = add_event(
        alice, plan("Design Systems Night", datetime(2026, 11, 21, 19, 0, tzinfo=UTC), circle="community")
    ).event
    (zoe,) = met(alice, event, ["Zoe Park"]).added
    zoe = Person.objects.get(pk=zoe.pk)
    assert (zoe.circle, zoe.met_on, zoe.met_how) == ("community", date(2026, 11, 21), "Met at Design Systems Night")
    assert zoe.last_touch_at == event.starts_at
    assert EventMet.objects.get(person=zoe).is_new_person


def test_someone_already_known_keeps_how_they_were_met(alice):
    ana = make_person(alice, "Ana Ruiz", met_how="Old colleague at Acme", circle="former_colleague")
    event = add_event(alice, plan(circle="community")).event
    met(alice, event, [ana])
    ana.refresh_from_db()
    assert (ana.met_how, ana.circle) == ("Old colleague at Acme", "former_colleague")
    assert not EventMet.objects.get(person=ana).is_new_person


def test_meeting_the_same_person_twice_at_one_event_changes_nothing(alice):
    ana = make_person(alice, "Ana Ruiz")
    event = add_event(alice, plan()).event
    met(alice, event, [ana, ana])
    again = met(alice, event, [ana])
    assert again.met == [] and [p.pk for p in again.already] == [ana.pk]
    assert EventMet.objects.count() == 1
    assert Touch.objects.filter(kind=Touch.Kind.EVENT).count() == 1
    assert len(thank_yous(alice)) == 1


def test_a_prospect_met_there_stops_being_a_prospect_met_on_the_events_day(alice):
    grace = make_person(alice, "Grace Hopper", is_prospect=True, why="Compilers")
    event = add_event(alice, plan(hope_to_meet=[grace])).event
    met(alice, event, [grace])
    grace.refresh_from_db()
    assert not grace.is_prospect and grace.prospect_status == Person.ProspectStatus.MET
    assert grace.met_on == LAST_NIGHT.date()
    assert grace.met_how == "Met at Fintech Breakfast" and grace.why == "Compilers"
    assert event_review(alice, event).hopes[0].is_met


def test_people_met_at_an_event_long_past_are_history_with_no_thank_yous(alice):
    event = add_event(alice, plan(starts_at=NOW - timedelta(days=30))).event
    result = met(alice, event, ["Zoe Park"])
    assert result.is_history
    assert thank_yous(alice) == []
    (row,) = event_review(alice, event).met
    assert row.status == ThankStatus.NONE


def test_no_one_can_be_met_at_an_event_that_has_not_started(alice):
    event = add_event(alice, plan(starts_at=NOW + timedelta(hours=2))).event
    with pytest.raises(BadInput) as early:
        met(alice, event, ["Zoe Park"])
    assert early.value.field == "event"
    assert not Person.objects.exists()


def test_meeting_no_one_is_refused(alice):
    event = add_event(alice, plan()).event
    with pytest.raises(BadInput) as nobody:
        met(alice, event, ["  "])
    assert nobody.value.field == "person"


def test_references_resolve_to_people_or_to_names_to_add(alice):
    ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    assert resolve_people(alice, ["ana ru", "ana@acme.example", "Zoe Park", " "]) == [ana, ana, "Zoe Park"]
    with pytest.raises(NotFound):
        resolve_people(alice, ["nobody@example.com"])
    with pytest.raises(NotFound):
        resolve_people(alice, ["#999"])


# --- the review ---


def test_the_review_counts_thank_yous_done_within_24_hours_of_the_event(alice, frozen):
    ana, bo, li = (make_person(alice, n) for n in ("Ana Ruiz", "Bo Chen", "Li Wei"))
    event = add_event(alice, plan()).event
    met(alice, event, [ana, bo, li])
    by_person = {f.person_id: f for f in thank_yous(alice)}
    complete_follow_up(alice, by_person[ana.pk])  # 15 hours after: in time
    frozen.shift(timedelta(hours=12))
    complete_follow_up(alice, by_person[bo.pk])  # 27 hours after: late
    review = event_review(alice, event)
    assert [m.status for m in review.met] == [ThankStatus.IN_TIME, ThankStatus.LATE, ThankStatus.OPEN]
    f = review.figures
    assert (f.met, f.thank_yous, f.thanked_in_time, f.thanked_late, f.thanked) == (3, 3, 1, 1, 2)
    skip_follow_up(alice, by_person[li.pk])
    assert event_review(alice, event).met[2].status == ThankStatus.SKIPPED


def test_gives_and_asks_from_an_event_count_in_its_review(alice):
    ana = make_person(alice, "Ana Ruiz")
    event = add_event(alice, plan()).event
    met(alice, event, [ana])
    gave = record_event_help(alice, event, ana, "gave", "An intro to Bo", kind="intro")
    got = record_event_help(alice, event, ana, "got", "Advice on pricing", kind="advice")
    ask = record_event_help(alice, event, ana, "asked", "A referral at Acme", kind="referral")
    assert isinstance(gave, Exchange) and gave.event == event and gave.direction == "gave"
    assert isinstance(got, Exchange) and got.direction == "got"
    assert isinstance(ask, Ask) and ask.event == event
    f = event_review(alice, event).figures
    assert (f.gave, f.got, f.asks) == (1, 1, 1)
    # Help received asks for its own thank-you, from the ledger's rules.
    assert FollowUp.objects.caused_by(got).filter(kind=FollowUp.Kind.THANK_YOU).exists()
    with pytest.raises(BadInput):
        record_event_help(alice, event, ana, "stole", "x")


def test_a_verdict_says_whether_an_event_is_worth_going_again(alice):
    event = add_event(alice, plan()).event
    review_event(alice, event, "  Good crowd, too loud.  ", True)
    event.refresh_from_db()
    assert (event.verdict, event.is_worth_again) == ("Good crowd, too loud.", True)
    review_event(alice, event, "", False)
    event.refresh_from_db()
    assert (event.verdict, event.is_worth_again) == ("", False)
    with pytest.raises(BadInput):
        review_event(alice, event, " ", None)


def test_an_event_still_to_come_cannot_be_judged(alice):
    event = add_event(alice, plan(starts_at=NOW + timedelta(days=1))).event
    with pytest.raises(BadInput) as early:
        review_event(alice, event, "Great", True)
    assert early.value.field == "verdict"


def test_figures_for_many_events_take_the_same_queries_as_for_one(alice, django_assert_max_num_queries):
    ana = make_person(alice, "Ana Ruiz")
    events = []
    for n in range(6):
        event = add_event(alice, plan(f"Meetup {n}", NOW - timedelta(days=n + 1), hope_to_meet=[ana])).event
        met(alice, event, [ana, f"New Person {n}"])
        record_event_help(alice, event, ana, "gave", "A link")
        events.append(event)
    with django_assert_max_num_queries(6):
        figures = event_figures(alice, events)
    assert len(figures) == 6
    assert all(
        (f.met, f.new_people, f.thank_yous, f.gave, f.hoped, f.hoped_met) == (2, 1, 2, 1, 1, 1)
        for f in figures.values()
    )
    assert event_figures(alice, []) == {}


def test_deleting_an_event_keeps_the_people_and_touches(alice):
    event = add_event(alice, plan()).event
    met(alice, event, ["Zoe Park"])
    gave = record_event_help(alice, event, Person.objects.get(full_name="Zoe Park"), "gave", "A link")
    delete_event(alice, event)
    assert not Event.objects.exists() and not EventMet.objects.exists()
    assert Person.objects.filter(full_name="Zoe Park").exists()
    assert Touch.objects.filter(kind=Touch.Kind.EVENT).exists()
    gave.refresh_from_db()
    assert gave.event is None


# --- finding events ---


def test_an_event_is_found_by_id_by_name_or_by_the_start_of_its_words(alice):
    breakfast = add_event(alice, plan("Fintech Breakfast")).event
    add_event(alice, plan("Product Summit", NOW + timedelta(days=4)))
    assert find_event(alice, str(breakfast.pk)) == breakfast
    assert find_event(alice, f"#{breakfast.pk}") == breakfast
    assert find_event(alice, "fintech breakfast") == breakfast
    assert find_event(alice, "fin brea") == breakfast
    with pytest.raises(NotFound) as unknown:
        find_event(alice, "Fintech Brekfast Club")
    assert "closest: Fintech Breakfast" in unknown.value.message


def test_events_of_one_name_are_listed_to_pick_one_by_id(alice):
    first = add_event(alice, plan("Monthly Meetup", NOW - timedelta(days=30))).event
    second = add_event(alice, plan("Monthly Meetup", NOW - timedelta(days=1))).event
    with pytest.raises(BadInput) as ambiguous:
        find_event(alice, "monthly meetup")
    assert f"#{first.pk}" in ambiguous.value.message and f"#{second.pk}" in ambiguous.value.message


def test_someone_elses_event_is_not_found(alice, bob):
    event = add_event(alice, plan()).event
    with pytest.raises(NotFound):
        find_event(bob, str(event.pk))
    with pytest.raises(NotFound):
        find_event(bob, "Fintech Breakfast")


def test_today_sees_the_next_two_weeks_and_the_last_three_days(alice):
    for name, when in [
        ("Long gone", NOW - timedelta(days=4)),
        ("Last night", LAST_NIGHT),
        ("Tomorrow", NOW + timedelta(days=1)),
        ("In two weeks", NOW + timedelta(days=13)),
        ("Far away", NOW + timedelta(days=20)),
    ]:
        add_event(alice, plan(name, when))
    assert [e.name for e in events_around(alice, NOW)] == ["Last night", "Tomorrow", "In two weeks"]


def test_a_persons_events_are_those_where_they_were_met_or_hoped_for(alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana)
    past = add_event(alice, plan()).event
    met(alice, past, [ana])
    coming = add_event(alice, plan("Product Summit", NOW + timedelta(days=4), hope_to_meet=[ana])).event
    met_there, hoped = events_with_person(alice, ana)
    assert [m.event for m in met_there] == [past]
    assert [h.event for h in hoped] == [coming]
