"""The goals pages, the weekly review, the routine on Today and the weekly targets in Settings."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from kithkin.accounts.models import Profile
from kithkin.accounts.services import update_settings
from kithkin.exchanges.services import record_exchange
from kithkin.goals.models import Goal
from kithkin.goals.services import add_goal
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch
from kithkin.web.accounts.tests.posts import settings_post

pytestmark = pytest.mark.usefixtures("frozen")


def text_of(response):
    """The page's words, as a reader sees them (the tags gone)."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_adding_a_goal_from_the_list_page_opens_its_page(signed_in, alice):
    make_person(alice, "Ana Ruiz", organization="Acme", closeness="close")
    response = signed_in.post(
        reverse("goals:list"),
        {"text": "A way into Acme", "organizations": "Acme\nGlobex", "people": "Ana Ruiz, Zed Banker", "pitch": ""},
    )
    goal = Goal.objects.for_owner(alice).get()
    assert response.status_code == 302 and response["Location"] == reverse("goals:detail", args=[goal.pk])
    page = text_of(signed_in.get(response["Location"]))
    assert "Added Zed Banker to the people you want to meet." in page
    assert "What to do next" in page and "Ask Ana (close, never in touch) for a way into Acme" in page
    assert "Globex 0 known" in page and "You know no one there yet." in page
    assert Person.objects.for_owner(alice).get(full_name="Zed Banker").is_prospect


def test_a_goal_without_words_is_shown_again_with_the_error(signed_in, alice):
    response = signed_in.post(reverse("goals:list"), {"text": "", "organizations": "Acme"})
    assert response.status_code == 400 and "Say what the goal is." in text_of(response)
    assert not Goal.objects.for_owner(alice).exists()


def test_an_ambiguous_target_person_is_named_next_to_the_field(signed_in, alice):
    make_person(alice, "Ana Ruiz")
    make_person(alice, "Ana Ruiz", organization="Acme")
    response = signed_in.post(reverse("goals:list"), {"text": "A way in", "people": "Ana Ruiz"})
    assert response.status_code == 400 and 'id="id_people_error"' in response.content.decode()
    assert not Goal.objects.for_owner(alice).exists()


def test_the_goal_list_makes_the_same_number_of_queries_with_more_goals(signed_in, alice):
    add_goal(alice, "A way into Acme", organizations=["Acme"], new_prospects=["Zed"])
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(reverse("goals:list")).status_code == 200
    for n in range(10):
        add_goal(alice, f"Goal {n}", organizations=[f"Org {n}", "Acme"], new_prospects=[f"Prospect {n}"])
    with CaptureQueriesContext(connection) as many:
        page = text_of(signed_in.get(reverse("goals:list")))
    assert len(many) == len(few)
    assert "Goal 9" in page and "Prospect 9 (to meet)" in page


def test_the_goal_page_makes_the_same_number_of_queries_for_a_bigger_network(signed_in, alice):
    goal = add_goal(alice, "A way into Acme", organizations=["Acme"])
    ana = make_person(alice, "Ana Ruiz", organization="Acme")
    make_touch(alice, ana, "call", NOW - timedelta(days=40))
    url = reverse("goals:detail", args=[goal.pk])
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    for n in range(20):
        person = make_person(alice, f"Person {n}", organization="Acme")
        make_touch(alice, person, "call", NOW - timedelta(days=n + 1))
        record_exchange(alice, person, "gave", f"Help {n}")
    with CaptureQueriesContext(connection) as many:
        page = text_of(signed_in.get(url))
    assert len(many) == len(few)
    assert "See all 21 at Acme" in page


def test_targets_can_be_added_and_a_goal_marked_achieved_and_reopened(signed_in, alice):
    goal = add_goal(alice, "A way into Acme")
    response = signed_in.post(reverse("goals:targets", args=[goal.pk]), {"organizations": "Acme", "people": "Zed"})
    assert response.status_code == 302
    assert [t.organization.name for t in goal.target_organizations.all()] == ["Acme"]
    signed_in.post(reverse("goals:done", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.achieved_at == NOW
    assert "Achieved" in text_of(signed_in.get(reverse("goals:list")))
    signed_in.post(reverse("goals:done", args=[goal.pk]), {"reopen": "1"})
    goal.refresh_from_db()
    assert goal.achieved_at is None


def test_another_users_goal_is_404_on_every_page(signed_in, bob):
    goal = add_goal(bob, "Bob's goal")
    assert signed_in.get(reverse("goals:detail", args=[goal.pk])).status_code == 404
    assert signed_in.post(reverse("goals:targets", args=[goal.pk]), {"organizations": "Acme"}).status_code == 404
    assert signed_in.post(reverse("goals:done", args=[goal.pk])).status_code == 404
    assert signed_in.get(reverse("goals:detail", args=[9999])).status_code == 404
    goal.refresh_from_db()
    assert goal.achieved_at is None and not goal.target_organizations.exists()
    assert "Bob's goal" not in text_of(signed_in.get(reverse("goals:list")))


def test_the_weekly_review_shows_the_week_and_the_weeks_before(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2))
    record_exchange(alice, ana, "gave", "An intro to Bo", kind="intro")
    page = text_of(signed_in.get(reverse("goals:week")))
    assert "This week" in page and "Mon 16 Nov – Sun 22 Nov 2026" in page
    assert "Of the 1 thank-you due this week, you sent 0 within 24 hours; 1 still waiting." in page
    assert "An intro to Bo" in page and "Recent weeks" in page
    last = text_of(signed_in.get(reverse("goals:week") + "?weeks=1"))
    assert "Week of 9 November" in last and "An intro to Bo" not in last
    assert signed_in.get(reverse("goals:week") + "?weeks=abc").status_code == 302


def test_the_weekly_review_makes_the_same_number_of_queries_for_a_busier_week(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2))
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("goals:week"))
    for n in range(15):
        person = make_person(alice, f"Person {n}")
        make_touch(alice, [person, ana], "call", NOW - timedelta(hours=n + 1))
        record_exchange(alice, person, "gave", f"Help {n}")
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("goals:week"))
    assert len(many) == len(few)


def test_today_shows_the_routine_with_the_streak(signed_in, alice):
    update_settings(alice, weekly_touch_goal=1, weekly_new_people_goal=1, weekly_gives_goal=1)
    ana = make_person(alice, "Ana Ruiz")
    record_exchange(alice, ana, "gave", "A link")
    response = signed_in.get(reverse("followups:today"))
    page = text_of(response)
    assert "This week all met" in page and "1 week in a row met." in page
    assert '<progress id="routine-3" value="1" max="1">' in response.content.decode()


def test_today_shows_no_routine_when_every_target_is_off(signed_in, alice):
    make_person(alice, "Ana Ruiz")
    update_settings(alice, weekly_touch_goal=0, weekly_new_people_goal=0, weekly_gives_goal=0)
    assert "routine-heading" not in signed_in.get(reverse("followups:today")).content.decode()


def test_a_persons_page_lists_the_goals_they_are_part_of(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme")
    goal = add_goal(alice, "A way into Acme", organizations=["Acme"])
    page = signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    assert "Part of your goals" in page and reverse("goals:detail", args=[goal.pk]) in page


def test_the_settings_page_saves_the_weekly_routine(signed_in, alice):
    response = signed_in.get(reverse("accounts:settings"))
    assert "Weekly targets" in text_of(response) and "Introduction message templates" in text_of(response)
    assert f'href="{reverse("introductions:templates")}"' in response.content.decode()
    response = signed_in.post(
        reverse("accounts:settings"),
        settings_post(alice, weekly_touch_goal="8", weekly_new_people_goal="3", weekly_gives_goal="0"),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(owner=alice)
    assert (profile.weekly_touch_goal, profile.weekly_new_people_goal, profile.weekly_gives_goal) == (8, 3, 0)
    assert "Settings saved." in text_of(signed_in.get(reverse("accounts:settings")))


def test_a_negative_weekly_target_is_refused_next_to_its_field(signed_in, alice):
    response = signed_in.post(
        reverse("accounts:settings"),
        settings_post(alice, weekly_touch_goal="5", weekly_new_people_goal="-1", weekly_gives_goal="2"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_weekly_new_people_goal_error">Use 0 or more: 0 turns this target off.' in body
    assert Profile.objects.get(owner=alice).weekly_new_people_goal == 2
