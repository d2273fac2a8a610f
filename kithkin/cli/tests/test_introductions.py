"""`kithkin intro ...` end to end, in process, with a frozen clock: the issue's acceptance check."""

from datetime import datetime, timedelta

import pytest

from kithkin.accounts.services import get_or_create_local_owner, get_profile
from kithkin.introductions.models import Introduction
from kithkin.testing import NOW, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def people(kithkin):
    ana = run_json(kithkin, "add", "Ana Ruiz", "--org", "Acme", "--email", "ana@acme.example")
    bo = run_json(kithkin, "add", "Bo Chen", "--org", "Globex", "--email", "bo@globex.example")
    return ana["id"], bo["id"]


def intro_follow_ups(kithkin):
    return sorted(
        (f["person"]["name"], f["reason"], f["due_at"])
        for f in run_json(kithkin, "due", "--within", "60")
        if f["kind"] == "introduction"
    )


def local(days):
    return (NOW + timedelta(days=days)).astimezone(get_profile(get_or_create_local_owner()).tz).isoformat()


def test_a_full_double_opt_in_introduction_driven_step_by_step(kithkin, people):
    ana, bo = people
    proposed = run_json(kithkin, "intro", "propose", "Ana", "bo@globex.example", "--why", "Bo is hiring a designer")
    intro = proposed["id"]
    assert (proposed["state"], proposed["a"]["id"], proposed["b"]["id"]) == ("proposed", ana, bo)
    assert proposed["draft"]["kind"] == "ask_a" and proposed["draft"]["to"] == ["ana@acme.example"]
    assert proposed["next_actions"] == ["ask-a", "drop"]
    assert intro_follow_ups(kithkin) == []

    asked_a = run_json(kithkin, "intro", "step", str(intro), "ask-a")
    assert asked_a["state"] == "asked_a"
    assert asked_a["draft"]["subject"] == "Would you like to meet Bo Chen?"
    assert asked_a["draft"]["mailto"].startswith("mailto:ana@acme.example?subject=Would%20you%20like")
    nudge_a = ("Ana Ruiz", "Nudge Ana: no answer yet about meeting Bo", local(5))
    assert [(f["person"]["name"], f["reason"], f["due_at"]) for f in asked_a["follow_ups_created"]] == [nudge_a]
    assert intro_follow_ups(kithkin) == [nudge_a]

    agreed = run_json(kithkin, "intro", "step", f"#{intro}", "a-yes")
    assert (agreed["state"], agreed["follow_ups_closed"]) == ("a_agreed", 1)
    assert agreed["draft"]["kind"] == "ask_b" and agreed["draft"]["to"] == ["bo@globex.example"]
    assert intro_follow_ups(kithkin) == []

    asked_b = run_json(kithkin, "intro", "step", str(intro), "ask-b")
    nudge_b = ("Bo Chen", "Nudge Bo: no answer yet about meeting Ana", local(5))
    assert intro_follow_ups(kithkin) == [nudge_b]
    assert asked_b["draft"]["kind"] == "ask_b"

    both = run_json(kithkin, "intro", "step", str(intro), "b-yes")
    assert (both["state"], both["follow_ups_closed"]) == ("b_agreed", 1)
    assert both["draft"]["kind"] == "introduce"
    assert both["draft"]["to"] == ["ana@acme.example", "bo@globex.example"]
    assert intro_follow_ups(kithkin) == []

    introduced = run_json(kithkin, "intro", "step", str(intro), "introduce")
    assert introduced["state"] == "introduced"
    assert sorted(g["person"] for g in introduced["gives_recorded"]) == sorted([ana, bo])
    assert intro_follow_ups(kithkin) == [
        ("Ana Ruiz", "Ask Ana how meeting Bo went", local(14)),
        ("Bo Chen", "Ask Bo how meeting Ana went", local(14)),
    ]
    assert [(g["person"], g["kind"]) for g in introduced["gives"]] == [(ana, "intro"), (bo, "intro")]

    code, _out, err = kithkin("intro", "step", str(intro), "introduce")
    assert code == 1
    assert err == f"kithkin: error: ACTION: introduction #{intro} is 'introduced': next is outcome or drop\n"

    done = run_json(kithkin, "intro", "step", str(intro), "outcome", "Bo hired Ana")
    assert (done["state"], done["outcome"], done["follow_ups_closed"]) == ("done", "Bo hired Ana", 2)
    assert intro_follow_ups(kithkin) == []
    assert done["draft"] is None and done["next_actions"] == []
    assert len(done["gives"]) == 2

    shown = run_json(kithkin, "intro", "show", str(intro))
    assert [line["step"] for line in shown["history"]] == [
        "Proposed",
        "Asked Ana",
        "Ana agreed",
        "Asked Bo",
        "Bo agreed",
        "Introduced Ana and Bo",
        "Outcome recorded",
    ]
    assert datetime.fromisoformat(shown["outcome_at"]) == NOW


def test_a_declined_introduction_stops_and_asks_nothing_of_b(kithkin, people):
    intro = run_json(kithkin, "intro", "propose", "Ana", "Bo", "--why", "Both love fintech")["id"]
    run_json(kithkin, "intro", "step", str(intro), "ask-a")
    declined = run_json(kithkin, "intro", "step", str(intro), "a-no", "Not looking right now")
    assert (declined["state"], declined["outcome"], declined["asked_b_at"]) == (
        "a_declined",
        "Not looking right now",
        None,
    )
    assert declined["draft"] is None and declined["follow_ups"] == []
    assert declined["gives"] == [] and declined["next_actions"] == []
    assert intro_follow_ups(kithkin) == []
    code, _out, err = kithkin("intro", "step", str(intro), "ask-b")
    assert code == 1
    assert "is 'A declined': it is closed, nothing comes next" in err
    assert intro_follow_ups(kithkin) == []


def test_each_step_prints_the_message_to_send_and_the_follow_up_it_set(kithkin, people):
    code, out, _err = kithkin("intro", "propose", "Ana", "Bo", "--why", "Bo is hiring")
    assert code == 0
    n = Introduction.objects.get().pk
    assert f"Proposed: Introduction #{n}: Ana Ruiz → Bo Chen · proposed" in out
    assert f"kithkin intro step {n} ask-a | drop" in out
    code, out, _err = kithkin("intro", "step", str(n), "ask-a")
    assert "Follow-up #" in out and "Nudge Ana: no answer yet about meeting Bo, due Fri 27 Nov 2026 11:00" in out
    assert "To: ana@acme.example\nSubject: Would you like to meet Bo Chen?\n\nHi Ana," in out
    assert "mailto:ana@acme.example?subject=" in out


def test_list_filters_by_state_and_show_prints_the_steps(kithkin, people):
    run_json(kithkin, "add", "Cy Park")
    first = run_json(kithkin, "intro", "propose", "Ana", "Bo", "--why", "x")["id"]
    second = run_json(kithkin, "intro", "propose", "Cy", "Ana", "--why", "y")["id"]
    run_json(kithkin, "intro", "step", str(second), "ask-a")
    assert [i["id"] for i in run_json(kithkin, "intro", "list")] == [second, first]
    assert [i["id"] for i in run_json(kithkin, "intro", "list", "--state", "asked A")] == [second]
    assert run_json(kithkin, "intro", "list", "--state", "closed") == []
    code, out, _err = kithkin("intro", "list")
    assert code == 0 and "asked A" in out and "Cy Park" in out
    assert run_json(kithkin, "intro", "list")[0]["next"].startswith("Waiting for Cy's answer")
    code, out, _err = kithkin("intro", "show", str(second))
    assert "Steps" in out and "Asked Cy" in out and "Nudge Cy" in out
    code, _out, err = kithkin("intro", "list", "--state", "finished")
    assert (code, err.startswith("kithkin: error: --state: unknown state 'finished'")) == (1, True)


def test_bad_input_names_the_argument_and_changes_nothing(kithkin, people):
    assert kithkin("intro", "propose", "Ana", "Ana Ruiz", "--why", "x")[2] == (
        "kithkin: error: B: choose two different people: Ana Ruiz is both\n"
    )
    assert kithkin("intro", "propose", "Zed", "Bo", "--why", "x")[2].startswith(
        "kithkin: error: A: no person named 'Zed'"
    )
    assert kithkin("intro", "step", "999999", "ask-a")[2] == "kithkin: error: ID: no introduction has id 999999\n"
    assert kithkin("intro", "step", "abc", "ask-a")[2].startswith("kithkin: error: ID: expected an introduction's id")
    n = str(run_json(kithkin, "intro", "propose", "Ana", "Bo", "--why", "x")["id"])
    assert kithkin("intro", "step", n, "fly")[2].startswith("kithkin: error: ACTION: unknown action 'fly'")
    assert kithkin("intro", "step", n, "ask-a", "hello")[2] == (
        "kithkin: error: TEXT: ask-a takes no text; only outcome, a-no, b-no and drop do\n"
    )
    assert run_json(kithkin, "intro", "show", n)["state"] == "proposed"


def test_templates_show_and_change_the_wording(kithkin, people):
    shown = run_json(kithkin, "intro", "templates")
    assert shown["templates"]["ask_a"]["is_default"] is True
    assert "a_first" in shown["placeholders"]
    changed = run_json(kithkin, "intro", "templates", "--ask-a", "Subject: Hi\n\nHey {a_first}, meet {b}?")
    assert changed["templates"]["ask_a"] == {"text": "Subject: Hi\n\nHey {a_first}, meet {b}?", "is_default": False}
    intro = run_json(kithkin, "intro", "propose", "Ana", "Bo", "--why", "x")
    assert (intro["draft"]["subject"], intro["draft"]["body"]) == ("Hi", "Hey Ana, meet Bo Chen?")
    code, _out, err = kithkin("intro", "templates", "--email", "Hi {a_frist}")
    assert code == 1 and err.startswith("kithkin: error: --email: unknown placeholder {a_frist}")
    code, out, _err = kithkin("intro", "templates")
    assert "Asking A (--ask-a), yours:" in out and "{b_who}" in out
