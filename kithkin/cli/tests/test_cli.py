"""The `kithkin` command end to end, in process, with a frozen clock."""

from datetime import datetime, timedelta

import pytest

from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, run_json

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_coffee_with_advice_asks_for_a_thank_you_and_a_close_loop(kithkin):
    person = run_json(kithkin, "add", "Marta Quiroga", "--org", "Initech", "--closeness", "wider")
    touch = run_json(kithkin, "log", "coffee", "Marta", "--at", "yesterday 15:00", "--advice", "Ship smaller")
    coffee_at = datetime.fromisoformat(touch["happened_at"])
    assert touch["happened_at"] == "2026-11-21T15:00:00+01:00"
    assert touch["participants"] == [{"id": person["id"], "name": "Marta Quiroga"}]
    due = run_json(kithkin, "due", "--within", "30")
    assert [(f["kind"], f["person"]["id"]) for f in due] == [("thank_you", person["id"]), ("close_loop", person["id"])]
    assert datetime.fromisoformat(due[0]["due_at"]) == coffee_at + timedelta(hours=24)
    assert datetime.fromisoformat(due[1]["due_at"]) == coffee_at + timedelta(days=14)
    assert set(due[0]) >= {"id", "kind", "reason", "due_at", "status", "person"}
    assert due[0]["due_at"].endswith("+01:00")


def test_the_check_in_shows_up_when_it_falls_within_the_window(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--closeness", "close")
    run_json(kithkin, "log", "call", "Ana Ruiz", "--at", "yesterday 15:00")
    assert [f["kind"] for f in run_json(kithkin, "due", "--within", "30")] == ["check_in"]
    assert run_json(kithkin, "due", "--within", "28") == []


def test_an_overdue_close_contact_moves_30_days_ahead_after_a_call(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--closeness", "close")
    run_json(kithkin, "log", "coffee", "Ana Ruiz", "--at", (NOW - timedelta(days=100)).isoformat())
    due = run_json(kithkin, "due")
    assert [f["kind"] for f in due] == ["check_in"]
    assert datetime.fromisoformat(due[0]["due_at"]) < NOW
    run_json(kithkin, "log", "call", "Ana Ruiz")
    assert run_json(kithkin, "due") == []
    (check_in,) = run_json(kithkin, "due", "--within", "30")
    assert datetime.fromisoformat(check_in["due_at"]) == NOW + timedelta(days=30)


def test_done_snooze_and_skip_act_on_follow_ups(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--closeness", "close")
    run_json(kithkin, "log", "coffee", "Ana", "--at", "2 days ago", "--advice", "x")
    thanks, loop = run_json(kithkin, "due", "--within", "20")[:2]
    assert run_json(kithkin, "done", str(thanks["id"]))["status"] == "done"
    snoozed = run_json(kithkin, "snooze", str(loop["id"]), "--until", "2027-01-04")
    assert snoozed["status"] == "snoozed"
    assert snoozed["snoozed_until"] == "2027-01-04T09:00:00+01:00"
    check_in = run_json(kithkin, "due", "--within", "40")[0]
    assert run_json(kithkin, "skip", str(check_in["id"]))["status"] == "skipped"
    code, _, err = kithkin("done", str(thanks["id"]))
    assert code == 1 and err.strip() == f"kithkin: error: ID: follow-up {thanks['id']} is already done"


def test_show_lists_profile_touches_newest_first_and_open_follow_ups(kithkin):
    run_json(kithkin, "add", "Bo Chen", "--interest", "chess")
    run_json(
        kithkin, "add", "Ana Ruiz", "--met-through", "Bo Chen", "--met-on", "2024-03-01", "--email", "ana@acme.example"
    )
    run_json(kithkin, "log", "email", "ana@acme.example", "--at", "2026-10-01 09:00")
    run_json(kithkin, "log", "meal", "Ana", "Bo", "--at", "2026-11-20 13:00")
    shown = run_json(kithkin, "show", "Ana Ruiz")
    assert shown["met_through"]["name"] == "Bo Chen"
    assert [t["kind"] for t in shown["touches"]] == ["meal", "email"]
    assert {f["kind"] for f in shown["follow_ups"]} == {"thank_you", "check_in"}
    assert shown["last_touch_at"] == "2026-11-20T13:00:00+01:00"
    code, out, _ = kithkin("show", "Ana Ruiz")
    assert code == 0 and "Ana Ruiz" in out and "meal" in out


def test_show_prints_the_newest_touches_and_how_many_older_and_all_with_all(kithkin):
    from kithkin.testing import make_touch

    person = run_json(kithkin, "add", "Ana Ruiz")
    ana = Person.objects.get(pk=person["id"])
    for day in range(25):
        make_touch(ana.owner, ana, "call", NOW - timedelta(days=30 - day), notes=f"call {day}")
    code, out, err = kithkin("show", "Ana Ruiz")
    assert code == 0 and "Touches (25)" in out
    assert "call 24" in out and "call 5" in out and "call 4" not in out
    assert "… and 5 older: `kithkin show" in err  # piped: stdout keeps one line per touch
    code, out, err = kithkin("show", "Ana Ruiz", "--all")
    assert "call 0" in out and "older" not in out + err
    assert len(run_json(kithkin, "show", "Ana Ruiz")["touches"]) == 25


def test_people_lists_and_filters_as_json(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--circle", "friend", "--interest", "fintech")
    run_json(kithkin, "add", "Bo Chen", "--circle", "client")
    run_json(kithkin, "want", "Grace Hopper", "--why", "Compilers", "--org", "Navy")
    assert [p["name"] for p in run_json(kithkin, "people")] == ["Ana Ruiz", "Bo Chen", "Grace Hopper"]
    assert [p["name"] for p in run_json(kithkin, "people", "--circle", "friend")] == ["Ana Ruiz"]
    (grace,) = run_json(kithkin, "people", "--prospects")
    assert (grace["is_prospect"], grace["why"], grace["cadence_days"]) == (True, "Compilers", None)
    person_keys = {
        "id", "name", "organization", "title", "circle", "closeness", "emails", "phones", "interests", "needs",
        "offers", "is_prospect", "why", "last_touch_at", "cadence_days",
    }  # fmt: skip
    assert person_keys <= set(grace)


def test_edit_changes_closeness_and_cadence(kithkin):
    run_json(kithkin, "add", "Ana Ruiz")
    edited = run_json(kithkin, "edit", "Ana", "--closeness", "inner", "--org", "Globex", "--interest", "jazz")
    assert (edited["closeness"], edited["cadence_days"], edited["organization"]) == ("inner", 7, "Globex")
    assert run_json(kithkin, "edit", "Ana", "--cadence", "never")["cadence_days"] is None
    assert run_json(kithkin, "edit", "Ana", "--cadence", "default")["cadence_days"] == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Bo", "--circle", "frends"], "kithkin: error: --circle: unknown value 'frends'"),
        (["add", " "], "kithkin: error: NAME: must not be empty"),
        (["add", "Bo", "--birthday", "2026-02-30"], "kithkin: error: --birthday: '2026-02-30' is not a real date"),
        (
            ["add", "Bo", "--email", "ana@acme.example"],
            "kithkin: error: --email: ana@acme.example already belongs to Ana Ruiz",
        ),
        (
            ["add", "Bo", "--met-through", "Nobody Known"],
            "kithkin: error: --met-through: no person named 'Nobody Known'",
        ),
        (["log", "coffee", "Ana", "--at", "tomorrow 3pm"], "kithkin: error: --at: "),
        (["log", "coffee", "Ana", "--at", "whenever"], "kithkin: error: --at: cannot read 'whenever'"),
        (["log", "brunch", "Ana"], "kithkin: error: KIND: unknown value 'brunch'"),
        (["log", "coffee", "Anna Ruis"], "kithkin: error: PERSON: no person named 'Anna Ruis'; closest: Ana Ruiz"),
        (["snooze", "999", "--until", "tomorrow"], "kithkin: error: ID: no follow-up has id 999"),
        (["edit", "Ana", "--cadence", "sometimes"], "kithkin: error: --cadence: expected a number of days"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_1_and_changes_nothing(kithkin, args, message):
    run_json(kithkin, "add", "Ana Ruiz", "--email", "ana@acme.example")
    before = (Person.objects.count(), Touch.objects.count(), FollowUp.objects.count(), list(Person.objects.values()))
    code, out, err = kithkin(*args)
    assert code == 1
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert (
        Person.objects.count(),
        Touch.objects.count(),
        FollowUp.objects.count(),
        list(Person.objects.values()),
    ) == before


@pytest.mark.parametrize("args", [["add"], ["add", "Bo", "--bogus"], ["due", "--within", "soon"], ["frobnicate"]])
def test_bad_usage_exits_2_with_one_line(kithkin, args):
    code, out, err = kithkin(*args)
    assert code == 2
    assert out == ""
    assert err.startswith("kithkin: error: ") and err.count("\n") == 1


def test_settings_change_cadences_and_time_zone(kithkin):
    data = run_json(
        kithkin, "settings", "--cadence", "close=21", "--cadence", "acquaintance=365", "--time-zone", "Asia/Tokyo"
    )
    assert data["cadence_days"]["close"] == 21 and data["cadence_days"]["acquaintance"] == 365
    assert data["time_zone"] == "Asia/Tokyo"
    code, _, err = kithkin("settings", "--time-zone", "Mars/Olympus")
    assert code == 1 and "--time-zone: unknown time zone" in err


def test_settings_name_signs_drafts_and_an_empty_one_clears_it(kithkin):
    assert run_json(kithkin, "settings")["name"] is None
    assert run_json(kithkin, "settings", "--name", "Alice Moreno")["name"] == "Alice Moreno"
    assert run_json(kithkin, "settings", "--name", "")["name"] is None
    code, _, err = kithkin("settings", "--weekly-gives", "5000")
    assert code == 1 and "--weekly-gives: must be between 0 and 1000" in err


def test_settings_appearance_is_the_systems_until_chosen(kithkin):
    assert run_json(kithkin, "settings")["appearance"] == "system"
    assert run_json(kithkin, "settings", "--appearance", "Dark")["appearance"] == "dark"
    code, _, err = kithkin("settings", "--appearance", "sepia")
    assert code == 1 and "--appearance: unknown value 'sepia'; choose one of system, light, dark" in err
    assert run_json(kithkin, "settings")["appearance"] == "dark"


def test_demo_builds_a_network_with_due_follow_ups(kithkin):
    summary = run_json(kithkin, "demo", "--people", "60", "--seed", "7")
    assert summary["people"] == 60
    assert summary["touches"] > 60 * 5
    assert summary["due_now"] > 0
    assert summary["exchanges"] > 0 and summary["events"] > 0 and summary["introductions"] > 0
    assert Person.objects.count() == 60
    code, _, err = kithkin("demo")
    assert code == 1 and "--force: you already have 60 people" in err


# Issue 13, item 18
def test_done_skip_and_snooze_say_whose_follow_up_they_closed_and_reopen_undoes_them(kithkin):
    run_json(kithkin, "add", "Ada Lovelace", "--closeness", "close")
    run_json(kithkin, "log", "coffee", "Ada", "--at", "2 days ago")
    thanks = next(f for f in run_json(kithkin, "due", "--within", "40") if f["kind"] == "thank_you")
    code, out, _ = kithkin("done", str(thanks["id"]))
    assert code == 0
    assert out.splitlines() == [
        f"Done: Thank Ada for the coffee on Friday 20 November (Ada Lovelace, #{thanks['id']})",
        f"Undo with `kithkin reopen {thanks['id']}`.",
    ]
    code, out, _ = kithkin("reopen", str(thanks["id"]))
    assert (code, out.splitlines()[0]) == (0, f"Reopened: {thanks['reason']} (Ada Lovelace, #{thanks['id']})")
    _, out, _ = kithkin("snooze", str(thanks["id"]), "--until", "2027-01-04")
    assert out.startswith(f"Snoozed until Mon 04 Jan 2027 09:00: {thanks['reason']} (Ada Lovelace, #{thanks['id']})")
    assert run_json(kithkin, "reopen", str(thanks["id"]))["remind_at"] == thanks["due_at"]
    code, _, err = kithkin("reopen", str(thanks["id"]))
    assert (
        code == 1 and err.strip() == f"kithkin: error: ID: follow-up {thanks['id']} is open: there is nothing to undo"
    )


# Issue 13, item 21f
def test_edit_org_says_the_title_was_kept_unless_a_title_is_given(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--org", "Acme", "--title", "CTO")
    code, out, _ = kithkin("edit", "Ana", "--org", "Globex")
    assert code == 0
    assert out.splitlines()[-1] == "Kept the title 'CTO' at Globex; pass --title to change it (--title '' to clear it)."
    code, out, _ = kithkin("edit", "Ana", "--org", "Initech", "--title", "Advisor")
    assert code == 0 and "Kept the title" not in out
    assert run_json(kithkin, "show", "Ana")["title"] == "Advisor"
    code, out, _ = kithkin("edit", "Ana", "--org", "Hooli", "--title", "")
    assert code == 0 and "Kept the title" not in out
    assert run_json(kithkin, "show", "Ana")["title"] in ("", None)


# Issue 13, item 3
def test_a_busy_database_is_one_line_on_stderr_and_a_non_zero_exit_not_a_traceback(kithkin, busy_database):
    kithkin("add", "Ana Ruiz")

    with busy_database():
        code, out, err = kithkin("log", "coffee", "Ana Ruiz")

    assert code == 1
    assert err.startswith("kithkin: error: the database is busy") and err.count("\n") == 1
    assert "Traceback" not in out + err
    assert not Touch.objects.exists()


# An id past a signed 64-bit integer names nothing (Django's lookups answer no rows for it).
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("done", "9" * 20), "no follow-up has id 99999999999999999999"),
        (("show", "#" + "9" * 20), "no person has id 99999999999999999999"),
        (("log", "call", "9" * 20), "no person has id 99999999999999999999"),
        (("undo-import", "9" * 20), "no import has id 99999999999999999999"),
    ],
)
def test_an_out_of_range_id_on_the_command_line_is_a_one_line_error(kithkin, args, says):
    code, out, err = kithkin(*args)
    assert code in {1, 2} and out == "" and says in err and "Traceback" not in err
