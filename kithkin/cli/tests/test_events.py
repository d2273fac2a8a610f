"""`kithkin event ...` end to end, in process, with a frozen clock (NOW is Sunday 10:00 UTC,
11:00 in Madrid)."""

from datetime import datetime, timedelta

import pytest

from kithkin.events.models import Event
from kithkin.people.models import Person
from kithkin.testing import run_json

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_plan_made_on_the_command_line_reads_back_whole(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--org", "Acme")
    event = run_json(
        kithkin,
        "event",
        "add",
        "Fintech Meetup",
        "--on",
        "friday 6:30pm",
        "--where",
        "Impact Hub",
        "--goal",
        "Meet two people in payments",
        "--pitch",
        "I'm a marketing analyst moving into finance",
        "--starter",
        "What brought you here?",
        "--starter",
        "What are you working on?",
        "--hope-to-meet",
        "Ana",
        "--hope-to-meet",
        "Grace Hopper",
        "--circle",
        "community",
    )
    assert event["starts_at"] == "2026-11-27T18:30:00+01:00"
    assert event["is_past"] is False
    assert [p["name"] for p in event["hope_to_meet"]] == ["Ana Ruiz", "Grace Hopper"]
    assert [p["name"] for p in event["added_to_meet"]] == ["Grace Hopper"]
    shown = run_json(kithkin, "event", "show", "fintech")
    assert shown["starters"] == ["What brought you here?", "What are you working on?"]
    assert shown["goal"] == "Meet two people in payments" and shown["circle"] == "community"
    assert "met" not in shown  # a plan, not yet a review
    code, out, _err = kithkin("event", "show", str(event["id"]))
    assert code == 0 and "I'm a marketing analyst moving into finance" in out and "Grace Hopper" in out


def test_a_day_alone_starts_the_event_at_six_in_the_evening(kithkin):
    event = run_json(kithkin, "event", "add", "Design Night", "--on", "2026-12-03")
    assert event["starts_at"] == "2026-12-03T18:00:00+01:00"


def test_an_event_with_three_people_met_creates_three_thank_yous_due_24_hours_after_it(kithkin):
    run_json(kithkin, "add", "Ana Ruiz")
    event = run_json(kithkin, "event", "add", "Fintech Breakfast", "--on", "yesterday 8:30", "--circle", "community")
    result = run_json(kithkin, "event", "met", "Fintech Breakfast", "Ana", "Zoe Park", "Li Wei")
    assert [(p["name"], p["is_new"]) for p in result["met"]] == [
        ("Ana Ruiz", False),
        ("Zoe Park", True),
        ("Li Wei", True),
    ]
    starts = datetime.fromisoformat(event["starts_at"])
    assert [f["kind"] for f in result["follow_ups"]] == ["thank_you"] * 3
    assert {datetime.fromisoformat(f["due_at"]) for f in result["follow_ups"]} == {starts + timedelta(hours=24)}
    due = run_json(kithkin, "due", "--within", "1")
    assert sorted(f["person"]["name"] for f in due if f["kind"] == "thank_you") == ["Ana Ruiz", "Li Wei", "Zoe Park"]
    zoe = Person.objects.get(full_name="Zoe Park")
    assert (zoe.circle, zoe.met_how) == ("community", "Met at Fintech Breakfast")

    again = run_json(kithkin, "event", "met", str(event["id"]), "Zoe Park")
    assert again["met"] == [] and [p["name"] for p in again["already_met"]] == ["Zoe Park"]
    code, out, _err = kithkin("event", "met", str(event["id"]), "Zoe", "Bo Chen")
    assert code == 0
    assert "Bo Chen (new)" in out and "already recorded as met there: Zoe Park" in out


def test_review_list_and_show_report_the_events_figures(kithkin):
    run_json(kithkin, "add", "Ana Ruiz")
    event = run_json(kithkin, "event", "add", "Fintech Drinks", "--on", "yesterday 6pm", "--hope-to-meet", "Ana")
    result = run_json(kithkin, "event", "met", "Fintech Drinks", "Ana", "Zoe Park")
    run_json(kithkin, "done", str(result["follow_ups"][0]["id"]))  # 17 hours after: in time
    gave = run_json(kithkin, "event", "gave", "Fintech Drinks", "Zoe", "An intro to Bo", "--kind", "intro")
    assert (gave["type"], gave["kind"], gave["person"]["name"]) == ("exchange", "intro", "Zoe Park")
    asked = run_json(kithkin, "event", "asked", "Fintech Drinks", "Ana", "A referral at Acme")
    assert asked["type"] == "ask"
    reviewed = run_json(kithkin, "event", "review", "Fintech Drinks", "--verdict", "Good crowd", "--worth")
    assert (reviewed["verdict"], reviewed["is_worth_again"]) == ("Good crowd", True)
    figures = reviewed["figures"]
    assert (figures["met"], figures["new_people"], figures["thanked_in_time"], figures["thank_yous"]) == (2, 1, 1, 2)
    assert (figures["gave"], figures["asks"], figures["hoped_met"]) == (1, 1, 1)
    assert [m["thank_you"] for m in reviewed["met"]] == ["in_time", "open"]

    run_json(kithkin, "event", "add", "Product Summit", "--on", "next thursday 9am")
    listed = run_json(kithkin, "event", "list")
    assert [(e["name"], e["is_past"]) for e in listed] == [("Product Summit", False), ("Fintech Drinks", True)]
    assert [e["name"] for e in run_json(kithkin, "event", "list", "--past")] == ["Fintech Drinks"]
    assert [e["name"] for e in run_json(kithkin, "event", "list", "--upcoming")] == ["Product Summit"]
    code, out, _err = kithkin("event", "list")
    assert code == 0 and "Upcoming" in out and "Past" in out and "1/2" in out
    code, out, _err = kithkin("event", "show", str(event["id"]))
    assert "thanked within 24 h: 1 of 2" in out and "Verdict: worth going again — Good crowd" in out


def test_bad_event_input_names_the_argument_and_changes_nothing(kithkin):
    assert kithkin("event", "add", "Breakfast", "--on", "someday maybe") == (
        1,
        "",
        "kithkin: error: --on: cannot read 'someday maybe' as a date or time (try 2026-03-14 15:00 or 'yesterday 3pm')\n",
    )
    code, _out, err = kithkin("event", "met", "Nope", "Ana")
    assert (code, err) == (1, "kithkin: error: EVENT: no event named 'Nope'\n")
    run_json(kithkin, "event", "add", "Summit", "--on", "tomorrow 9am")
    code, _out, err = kithkin("event", "met", "Summit", "Ana")
    assert code == 1 and err.startswith("kithkin: error: EVENT: Summit has not started yet")
    code, _out, err = kithkin("event", "review", "Summit", "--verdict", "Great")
    assert code == 1 and err.startswith("kithkin: error: --verdict: ")
    code, _out, err = kithkin("event", "add", "Breakfast", "--on", "tomorrow", "--circle", "frends")
    assert code == 1 and err.startswith("kithkin: error: --circle: unknown value 'frends'")
    assert Event.objects.count() == 1 and not Person.objects.exists()


def test_an_event_is_deleted_by_id(kithkin):
    event = run_json(kithkin, "event", "add", "Summit", "--on", "tomorrow 9am")
    code, out, _err = kithkin("event", "delete", str(event["id"]))
    assert code == 0 and out.startswith("Deleted Summit")
    assert not Event.objects.exists()
