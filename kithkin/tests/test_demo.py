"""The demo network reads like a real person's: organizations with real-sounding names, a weekly
routine kept most weeks but not all, events with what came of them, and notes as people write."""

import random
import re
from datetime import timedelta

import pytest

from kithkin.accounts.services import get_profile
from kithkin.demo import MOBILES, _organizations, build_demo_network
from kithkin.events.models import Event, EventHope
from kithkin.events.services import event_review
from kithkin.goals.week import recent_weeks, routine, week_review
from kithkin.interactions.models import Touch
from kithkin.people.models import Organization, Person, Phone
from kithkin.testing import NOW

pytestmark = pytest.mark.usefixtures("frozen")


def test_thirty_thousand_peoples_organizations_have_names_without_numbers(alice):
    orgs, titles = _organizations(alice, random.Random(1), 30_000 // 8)
    names = [o.name for o in orgs]
    assert len(names) == len({n.lower() for n in names}) == 3750
    assert not [n for n in names if re.search(r"\d", n)]
    assert all(titles[o.pk] for o in orgs)


def test_a_demo_network_names_its_people_organizations_and_titles_like_real_ones(alice):
    build_demo_network(alice, people=300, now=NOW)
    names = list(Organization.objects.filter(owner=alice).values_list("name", flat=True))
    assert len(names) == 37 and not [n for n in names if re.search(r"\d", n)]
    # A nurse works at a hospital or a health company, not at a robotics start-up.
    nurses = Person.objects.filter(owner=alice, title="Nurse").select_related("organization")
    assert all(re.search(r"Health|Hospital|Pharma|Clinic|Bio", p.organization.name) for p in nurses if p.organization)
    # No two Leo Silvas for the duplicates page to flag.
    people = list(Person.objects.filter(owner=alice).values_list("full_name", flat=True))
    assert len(people) == len(set(people)) == 300
    # A mobile number where they live.
    phones = Phone.objects.filter(owner=alice, person__country__in=["US", "GB", "DE"])
    assert phones and all(n.startswith(MOBILES[c][0]) for c, n in phones.values_list("person__country", "number"))


@pytest.mark.parametrize(("people", "seed", "zone"), [(60, 7, "UTC"), (300, 1, "UTC"), (150, 3, "Pacific/Auckland")])
def test_the_weekly_review_shows_weeks_met_and_missed_and_a_streak_up_to_last_week(alice, people, seed, zone):
    profile = get_profile(alice)
    profile.time_zone = zone
    profile.save()
    build_demo_network(alice, people=people, seed=seed, now=NOW)
    weeks = recent_weeks(alice, NOW)
    past = [w.is_met for w in weeks[1:]]
    assert any(past) and not all(past)
    kept = routine(alice, NOW)
    assert kept is not None and 3 <= kept.streak <= 5
    assert not weeks[0].is_met, "this week is under way"
    assert all(past[: kept.streak]) and not past[kept.streak]
    last_week = week_review(alice, NOW, weeks_ago=1)
    assert last_week.progress.is_met and last_week.new_people and last_week.gives
    # Most thank-yous that fell due went out within the day; a few still wait.
    thanks = [week_review(alice, NOW, weeks_ago=n).discipline for n in range(3)]
    assert sum(d.on_time for d in thanks) > sum(d.waiting for d in thanks)


def test_past_events_have_whom_the_user_met_and_a_verdict_and_the_next_one_a_plan(alice):
    build_demo_network(alice, people=150, now=NOW)
    past = list(Event.objects.filter(owner=alice, starts_at__lt=NOW))
    assert len(past) == 5
    reviews = [event_review(alice, e) for e in past]
    for event, review in zip(past, reviews, strict=True):
        assert event.verdict
        assert review.figures.met >= 1 and review.figures.thank_yous == review.figures.met
        assert all(m.status in ("in_time", "late", "skipped") for m in review.met)
        for m in review.met:
            assert m.met.touch is not None and m.met.touch.kind == Touch.Kind.EVENT
            assert m.met.touch.happened_at == event.starts_at
    assert {e.is_worth_again for e in past} & {True, False}
    assert any(r.figures.new_people for r in reviews), "someone new was met at an event"
    assert sum(r.figures.thanked_in_time for r in reviews) > sum(r.figures.met for r in reviews) / 2
    assert any(r.exchanges or r.asks for r in reviews) and any(r.hopes for r in reviews)
    new = [m.person for r in reviews for m in r.met if m.met.is_new_person]
    assert all(p.met_how.startswith("Met at ") and p.met_on for p in new)
    (coming,) = Event.objects.filter(owner=alice, starts_at__gte=NOW)
    assert NOW < coming.starts_at < NOW + timedelta(days=11)
    assert coming.goal and coming.pitch and len(coming.starters) >= 2
    assert EventHope.objects.filter(event=coming).count() >= 2


def test_touch_notes_are_written_out_and_vary(alice):
    build_demo_network(alice, people=100, now=NOW)
    notes = list(Touch.objects.filter(owner=alice).exclude(notes="").values_list("notes", flat=True))
    assert not [n for n in notes if "{" in n]
    assert len(set(notes)) > 40


def test_the_same_seed_gives_the_same_network(alice, bob):
    for owner in (alice, bob):
        build_demo_network(owner, people=80, seed=5, now=NOW)

    def shape(owner):
        people = Person.objects.filter(owner=owner).order_by("id")
        touches = Touch.objects.filter(owner=owner).order_by("id")
        return (
            list(people.values_list("full_name", "title", "organization__name", "met_on", "created_at")),
            list(touches.values_list("kind", "happened_at", "notes")),
            list(Event.objects.filter(owner=owner).order_by("starts_at").values_list("name", "starts_at", "verdict")),
        )

    assert shape(alice) == shape(bob)
