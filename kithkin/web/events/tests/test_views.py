"""The events pages (the list, the plan, the event before and after), the Today and person-page
panels, someone else's event as a 404, and the query counts."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse

from kithkin.events.models import Event, EventHope, EventMet
from kithkin.events.services import EventPlan, add_event, met, record_event_help, review_event
from kithkin.exchanges.models import Ask, Exchange
from kithkin.followups.models import FollowUp
from kithkin.followups.services import complete_follow_up
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")

LAST_NIGHT = NOW - timedelta(hours=15)  # Saturday 19:00: its thank-yous are due tonight
NEXT_WEEK = NOW + timedelta(days=5, hours=8)  # Friday 18:00


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def plan_event(owner, name="Fintech Breakfast", starts_at=LAST_NIGHT, **fields):
    return add_event(owner, EventPlan(name=name, starts_at=starts_at, **fields)).event


# --- planning ---


def test_planning_an_event_asks_before_adding_a_new_name_then_saves_the_whole_plan(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme")
    form = {
        "name": "Fintech Meetup",
        "when": "friday 6:30pm",
        "where": "Impact Hub",
        "goal": "Meet two people in payments",
        "pitch": "I'm a marketing analyst moving into finance",
        "starters": "What brought you here?\n\nWhat are you working on?",
        "person": [ana.pk],
        "hopes": "Grace Hopper",
        "circle": "community",
    }
    confirm = signed_in.post(reverse("events:new"), form)
    body = html.unescape(confirm.content.decode())
    assert confirm.status_code == 200 and "Grace Hopper</strong> is not in your network yet" in body
    assert 'name="new" value="Grace Hopper"' in body and f'name="person" value="{ana.pk}"' in body
    assert not Event.objects.exists() and not Person.objects.filter(full_name="Grace Hopper").exists()

    saved = signed_in.post(reverse("events:new"), {**form, "hopes": "", "new": ["Grace Hopper"]})
    event = Event.objects.get(owner=alice)
    assert saved["Location"] == reverse("events:detail", args=[event.pk])
    assert (event.where, event.circle) == ("Impact Hub", "community")
    assert event.starters == ["What brought you here?", "What are you working on?"]
    grace = Person.objects.get(owner=alice, full_name="Grace Hopper")
    assert grace.is_prospect and grace.why == "To meet at Fintech Meetup"
    assert list(EventHope.objects.filter(event=event).values_list("person_id", flat=True)) == [ana.pk, grace.pk]

    body = page(signed_in, saved["Location"])
    assert "Planned. Added Grace Hopper to the people you want to meet." in body
    assert "The plan" in body and "I'm a marketing analyst moving into finance" in body
    assert "What are you working on?" in body and "Ana Ruiz" in body and "Why:</span> To meet at Fintech Meetup" in body
    assert "After the event this page becomes its review" in body
    assert "People you met" not in body  # no review before it happens


def test_a_bad_plan_says_what_is_wrong_beside_the_field_and_saves_nothing(signed_in):
    response = signed_in.post(reverse("events:new"), {"name": "", "when": "someday maybe"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Give the event a name." in body and 'id="id_name_error"' in body
    response = signed_in.post(reverse("events:new"), {"name": "Summit", "when": "someday maybe"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 400 and 'id="id_when_error"' in body and "Cannot read 'someday maybe'" in body
    assert not Event.objects.exists()


def test_editing_the_plan_shows_it_filled_in_and_replaces_it(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    event = plan_event(alice, starts_at=NEXT_WEEK, goal="Old goal", starters=["One"], hope_to_meet=[ana])
    url = reverse("events:edit", args=[event.pk])
    body = page(signed_in, url)
    assert 'value="Fintech Breakfast"' in body and "Old goal" in body and f'name="person" value="{ana.pk}"' in body
    response = signed_in.post(url, {"name": "Fintech Breakfast", "when": "2026-11-27 08:30", "goal": "New goal"})
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    event.refresh_from_db()
    assert (event.goal, event.starters) == ("New goal", [])
    assert not EventHope.objects.filter(event=event).exists()


def test_deleting_an_event_asks_first_and_keeps_the_people(signed_in, alice):
    event = plan_event(alice)
    met(alice, event, ["Zoe Park"])
    url = reverse("events:delete", args=[event.pk])
    assert "Delete Fintech Breakfast?" in page(signed_in, url)
    assert signed_in.post(url)["Location"] == reverse("events:list")
    assert not Event.objects.exists() and Person.objects.filter(full_name="Zoe Park").exists()


# --- after the event ---


def test_people_met_are_added_from_the_event_page_and_each_gets_a_thank_you(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    event = plan_event(alice, circle="community")
    url = reverse("events:met", args=[event.pk])
    confirm = signed_in.post(url, {"person": [ana.pk], "names": "Zoe Park"})
    body = html.unescape(confirm.content.decode())
    assert confirm.status_code == 200 and "Zoe Park</strong> is not in your network yet" in body
    assert ">Add 1 new person</button>" in body and not EventMet.objects.exists()

    response = signed_in.post(url, {"person": [ana.pk], "new": ["Zoe Park"], "names": ""})
    assert response["Location"] == reverse("events:detail", args=[event.pk]) + "#met"
    thanks = FollowUp.objects.filter(owner=alice, kind=FollowUp.Kind.THANK_YOU)
    assert sorted(f.person.full_name for f in thanks) == ["Ana Ruiz", "Zoe Park"]
    assert {f.due_at for f in thanks} == {LAST_NIGHT + timedelta(hours=24)}
    zoe = Person.objects.get(owner=alice, full_name="Zoe Park")
    assert (zoe.circle, zoe.met_how) == ("community", "Met at Fintech Breakfast")

    body = page(signed_in, reverse("events:detail", args=[event.pk]))
    assert "Met at Fintech Breakfast: Ana Ruiz, Zoe Park. Added 1 new person to your network." in body
    assert "Thank-yous are due by Sun 22 Nov, 19:00." in body
    assert body.count("thank-you due") == 2 and ">Thanked</button>" in body
    assert 'aria-label="Thanked Zoe Park"' in body

    zoe_thanks = thanks.get(person=zoe)
    back = signed_in.post(
        reverse("followups:done", args=[zoe_thanks.pk]), {"next": reverse("events:detail", args=[event.pk])}
    )
    assert back["Location"].startswith(reverse("events:detail", args=[event.pk]))
    assert "thanked within 24 h" in page(signed_in, reverse("events:detail", args=[event.pk]))


def test_meeting_no_one_is_refused_beside_the_field(signed_in, alice):
    event = plan_event(alice)
    response = signed_in.post(reverse("events:met", args=[event.pk]), {"names": ""})
    assert response.status_code == 400 and "Say whom you met" in response.content.decode()


def test_no_one_can_be_met_at_an_event_still_to_come(signed_in, alice):
    event = plan_event(alice, starts_at=NEXT_WEEK)
    response = signed_in.post(reverse("events:met", args=[event.pk]), {"new": ["Zoe Park"]})
    assert response.status_code == 400 and "has not started yet" in response.content.decode()
    assert not Person.objects.exists()


def test_the_review_shows_thank_yous_in_time_gives_asks_and_the_verdict(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    event = plan_event(alice, hope_to_meet=[ana])
    result = met(alice, event, [ana, "Zoe Park"])
    zoe = result.added[0]
    complete_follow_up(alice, FollowUp.objects.get(person=ana, kind=FollowUp.Kind.THANK_YOU))
    detail = reverse("events:detail", args=[event.pk])

    help_url = reverse("events:help", args=[event.pk])
    given = signed_in.post(help_url, {"direction": "gave", "person": zoe.pk, "what": "An intro to Bo", "kind": "intro"})
    assert given["Location"] == detail + "#help"
    signed_in.post(help_url, {"direction": "asked", "person": ana.pk, "what": "A referral at Acme", "kind": "referral"})
    assert Exchange.objects.get(owner=alice).event == event and Ask.objects.get(owner=alice).event == event

    verdict = signed_in.post(reverse("events:verdict", args=[event.pk]), {"verdict": "Good crowd", "worth": "yes"})
    assert verdict["Location"] == detail + "#verdict"
    body = page(signed_in, detail)
    assert "thanked within 24 h" in body and "thank-you due" in body  # Ana done, Zoe still to thank
    assert "An intro to Bo" in body and "A referral at Acme" in body
    assert "Worth going again" in body and "Good crowd" in body and "Change your verdict" in body
    assert "Your plan" in body and ">met</span>" in body
    assert "Verdict saved" not in body and "Saved your verdict." in body


def test_a_verdict_needs_words_or_a_yes_or_no(signed_in, alice):
    event = plan_event(alice)
    response = signed_in.post(reverse("events:verdict", args=[event.pk]), {"verdict": "", "worth": ""})
    assert response.status_code == 400
    assert "Write a verdict, or say whether it is worth going again" in html.unescape(response.content.decode())


def test_a_give_can_only_be_with_someone_met_or_hoped_for_there(signed_in, alice):
    event = plan_event(alice)
    met(alice, event, ["Zoe Park"])
    elsewhere = make_person(alice, "Cy Elsewhere")
    response = signed_in.post(
        reverse("events:help", args=[event.pk]),
        {"direction": "gave", "person": elsewhere.pk, "what": "x", "kind": "other"},
    )
    assert response.status_code == 400 and not Exchange.objects.exists()


def test_the_list_shows_upcoming_plans_and_what_each_past_event_gave(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    plan_event(alice, "Product Summit", NEXT_WEEK, goal="Meet a founder", hope_to_meet=[ana])
    past = plan_event(alice)
    result = met(alice, past, [ana, "Zoe Park", "Li Wei"])
    complete_follow_up(alice, FollowUp.objects.get(person=ana, kind=FollowUp.Kind.THANK_YOU))
    record_event_help(alice, past, result.added[0], "gave", "An intro")
    review_event(alice, past, "", False)
    body = page(signed_in, reverse("events:list"))
    assert body.index("Coming up") < body.index("Product Summit") < body.index("Past events")
    assert "Goal:</strong> Meet a founder" in body and "To meet:</strong> <a" in body
    row = body[body.index("Fintech Breakfast") :]
    assert '<span>3 <small class="muted">(2 new)</small></span>' in row and "1 of 3" in row and "1 · 0" in row
    assert '<span class="pill warn">no</span>' in row


def test_the_list_with_no_events_says_how_to_start(signed_in):
    body = page(signed_in, reverse("events:list"))
    assert "Nothing planned." in body and "None yet." in body


# --- someone else's event ---


@pytest.mark.parametrize("name", ["detail", "edit", "delete", "met", "verdict", "help"])
def test_someone_elses_event_is_a_404_and_stays_unchanged(client, alice, bob, name):
    event = plan_event(alice)
    client.force_login(bob)
    url = reverse(f"events:{name}", args=[event.pk])
    form = {"name": "Hacked", "when": "tomorrow", "names": "Zoe", "verdict": "Bad", "worth": "no", "what": "x"}
    if name in {"detail", "edit", "delete"}:
        assert client.get(url).status_code == 404
    if name != "detail":  # a page to read only: a POST is refused before any look-up (405)
        assert client.post(url, form).status_code == 404
    event.refresh_from_db()
    assert (event.name, event.verdict) == ("Fintech Breakfast", "")
    assert not EventMet.objects.exists() and Event.objects.count() == 1


def test_someone_elses_events_are_not_listed(signed_in, bob):
    plan_event(bob, "Bob's Secret Gala")
    assert "Bob's Secret Gala" not in page(signed_in, reverse("events:list"))


# --- query counts ---


def test_the_list_takes_the_same_queries_for_many_events(signed_in, alice, django_assert_max_num_queries):
    people = [make_person(alice, f"Person {i}") for i in range(6)]
    for i in range(12):
        plan_event(alice, f"Upcoming {i}", NEXT_WEEK + timedelta(days=i), hope_to_meet=people[:3])
        event = plan_event(alice, f"Past {i}", LAST_NIGHT - timedelta(days=i))
        met(alice, event, people[i % 3 : i % 3 + 2])
        record_event_help(alice, event, people[i % 3], "asked", "advice")
        review_event(alice, event, "fine", True)
    with django_assert_max_num_queries(13):
        body = page(signed_in, reverse("events:list"))
    assert "Upcoming 11" in body and "Past 11" in body


def test_the_event_page_takes_the_same_queries_however_many_were_met(signed_in, alice, django_assert_max_num_queries):
    hoped = [make_person(alice, f"Hoped {i}", organization="Acme", interests=["fintech"]) for i in range(8)]
    event = plan_event(alice, hope_to_meet=hoped, goal="g", pitch="p", starters=["s"])
    result = met(alice, event, [*hoped[:4], *(f"New {i}" for i in range(8))])
    for person in result.met[:5]:
        record_event_help(alice, event, person, "gave", "a link")
        record_event_help(alice, event, person, "asked", "advice")
    with django_assert_max_num_queries(11):
        body = page(signed_in, reverse("events:detail", args=[event.pk]))
    assert "New 7" in body and "Hoped 7" in body


# --- panels ---


def test_today_shows_the_plan_coming_up_and_asks_whom_you_met_at_last_nights(signed_in, alice):
    make_person(alice, "Ana Ruiz")  # Today's side column is for a network with people in it
    plan_event(alice, "Product Summit", NEXT_WEEK, goal="Meet a founder")
    plan_event(alice)
    body = page(signed_in, reverse("followups:today"))
    assert "Product Summit" in body and "Read the plan" in body
    assert "Fintech Breakfast" in body and "Record whom you met" in body
    met(alice, Event.objects.get(name="Fintech Breakfast"), ["Zoe Park"])
    assert "1 met ·</span> <a" in page(signed_in, reverse("followups:today"))  # "Review it"
    review_event(alice, Event.objects.get(name="Fintech Breakfast"), "", True)
    assert "1 met · reviewed" in page(signed_in, reverse("followups:today"))


def test_a_persons_page_says_which_event_they_were_met_at(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    met(alice, plan_event(alice), [ana])
    plan_event(alice, "Product Summit", NEXT_WEEK, hope_to_meet=[ana])
    body = page(signed_in, reverse("people:detail", args=[ana.pk]))
    assert "Met at <a" in body and "Fintech Breakfast" in body
    assert "Hope to meet Ana at" in body and "Product Summit" in body


# Issue 13, item 19
def test_help_noted_at_an_event_never_glues_a_verb_to_what_the_user_wrote(signed_in, alice):
    chidi = make_person(alice, "Chidi Jensen")
    event = plan_event(alice)
    met(alice, event, [chidi])
    help_url = reverse("events:help", args=[event.pk])
    got = {"direction": "got", "person": chidi.pk, "what": "recommended an accountant", "kind": "advice"}
    response = signed_in.post(help_url, got, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Noted help from Chidi: recommended an accountant. Thank them within 24 hours."
    ]
    assert '<span class="kind-label">got</span><span class="visually-hidden">:</span> recommended an accountant' in (
        response.content.decode()
    )
