"""`kithkin goal ...`, `kithkin week` and the weekly targets of `kithkin settings`, run as a user would."""

import pytest

from kithkin.testing import run_json

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_goal_with_target_organizations_and_people_shows_whom_to_ask_first(kithkin):
    ana = run_json(kithkin, "add", "Ana Ruiz", "--org", "Acme", "--closeness", "close")
    run_json(kithkin, "add", "Bo Chen", "--org", "Acme", "--closeness", "wider")
    goal = run_json(
        kithkin,
        "goal",
        "add",
        "A way into Acme",
        "--target-org",
        "Acme",
        "--target-org",
        "Globex",
        "--target-person",
        "Zed Banker",
        "--pitch",
        "I build payment systems",
    )
    assert goal["text"] == "A way into Acme" and goal["pitch"] == "I build payment systems"
    assert [(o["name"], o["people_known"]) for o in goal["target_organizations"]] == [("Acme", 2), ("Globex", 0)]
    assert [p["name"] for p in goal["target_organizations"][0]["people"]] == ["Ana Ruiz", "Bo Chen"]
    assert [(p["name"], p["is_prospect"]) for p in goal["prospects"]] == [("Zed Banker", True)]
    assert goal["next_step"]["person"] == {"id": ana["id"], "name": "Ana Ruiz"}
    shown = run_json(kithkin, "goal", "show", "acme")
    assert shown["id"] == goal["id"] and shown["next_step"] == goal["next_step"]
    listed = run_json(kithkin, "goal", "list")
    assert [(g["id"], g["known_at_targets"], g["is_open"]) for g in listed] == [(goal["id"], 2, True)]


def test_a_goal_done_leaves_the_list_unless_all_are_asked_for(kithkin):
    goal = run_json(kithkin, "goal", "add", "Move into finance")
    done = run_json(kithkin, "goal", "done", str(goal["id"]))
    assert done["is_open"] is False and done["achieved_at"]
    assert run_json(kithkin, "goal", "list") == []
    assert [g["id"] for g in run_json(kithkin, "goal", "list", "--all")] == [goal["id"]]
    code, _, err = kithkin("goal", "done", str(goal["id"]))
    assert code == 1 and "already achieved" in err


def test_bad_goals_name_what_is_wrong(kithkin):
    code, _, err = kithkin("goal", "add", "  ")
    assert code == 1 and err.startswith("kithkin: error: TEXT: say what the goal is")
    code, _, err = kithkin("goal", "add", "A way in", "--target-person", "#99")
    assert code == 1 and "--target-person" in err
    code, _, err = kithkin("goal", "show", "nothing like it")
    assert code == 1 and err.startswith("kithkin: error: GOAL: no goal matches")
    assert run_json(kithkin, "goal", "list", "--all") == []


def test_the_week_shows_progress_against_the_targets_set_in_settings(kithkin):
    settings = run_json(kithkin, "settings", "--weekly-goal", "1", "--weekly-new-people", "1", "--weekly-gives", "1")
    assert (settings["weekly_touch_goal"], settings["weekly_new_people_goal"], settings["weekly_gives_goal"]) == (
        1,
        1,
        1,
    )
    run_json(kithkin, "add", "Ana Ruiz")
    run_json(kithkin, "log", "coffee", "Ana", "--at", "yesterday 10:00")
    week = run_json(kithkin, "week")
    assert week["first_day"] == "2026-11-16" and week["last_day"] == "2026-11-22"
    assert week["targets"] == {
        "touches": {"done": 1, "goal": 1, "is_met": True},
        "new_people": {"done": 1, "goal": 1, "is_met": True},
        "gives": {"done": 0, "goal": 1, "is_met": False},
    }
    assert week["streak"] == 0
    # The coffee's thank-you fell due an hour ago and is still waiting.
    assert week["thank_yous"] == {
        "due": 1,
        "within_24h": 0,
        "late": 0,
        "skipped": 0,
        "waiting": 1,
        "share_within_24h": 0,
    }
    run_json(kithkin, "gave", "Ana", "A link to the pricing talk", "--kind", "resource")
    week = run_json(kithkin, "week")
    assert (
        week["is_met"] and week["streak"] == 1 and [g["what"] for g in week["gives"]] == ["A link to the pricing talk"]
    )
    last = run_json(kithkin, "week", "--weeks-ago", "1")
    assert last["first_day"] == "2026-11-09" and last["streak"] is None
    code, out, _ = kithkin("week")
    assert code == 0 and "✓ 1 of 1 give" in out and "streak: 1 week in a row" in out


def test_weekly_targets_must_be_zero_or_more(kithkin):
    code, _, err = kithkin("settings", "--weekly-gives", "-1")
    assert code == 2 and "--weekly-gives" in err
    code, _, err = kithkin("settings", "--weekly-new-people", "5000")
    assert code == 1 and err.strip() == "kithkin: error: --weekly-new-people: must be between 0 and 1000"
