"""`kithkin milestone` and `kithkin milestones`, run as a user would, with --json."""

from datetime import datetime, timedelta

import pytest

from kithkin.testing import NOW, run_json

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_milestone_creates_a_congratulate_follow_up_due_within_2_days(kithkin):
    ana = run_json(kithkin, "add", "Ana Ruiz", "--org", "Acme")
    recorded = run_json(kithkin, "milestone", "Ana", "Won the design award", "--kind", "award")
    assert recorded["kind"] == "award" and recorded["person"] == {"id": ana["id"], "name": "Ana Ruiz"}
    assert recorded["follow_up"]["kind"] == "congratulate"
    due_at = datetime.fromisoformat(recorded["follow_up"]["due_at"])
    assert due_at == NOW + timedelta(days=2)
    due = run_json(kithkin, "due", "--within", "3")
    assert [(f["kind"], f["person"]["id"], f["id"]) for f in due] == [
        ("congratulate", ana["id"], recorded["follow_up"]["id"])
    ]
    listed = run_json(kithkin, "milestones", "Ana")
    assert [(m["id"], m["text"], m["happened_on"]) for m in listed] == [
        (recorded["id"], "Won the design award", "2026-11-22")
    ]


def test_a_new_job_updates_their_role_only_with_apply_position(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--org", "Acme", "--title", "Designer")
    first = run_json(kithkin, "milestone", "Ana", "Lead at Initech", "--kind", "new_job", "--org", "Initech")
    assert first["is_position_applied"] is False
    assert run_json(kithkin, "show", "Ana")["organization"] == "Acme"
    code, out, _ = kithkin("milestone", "Ana", "Lead at Initech", "--kind", "new_job", "--org", "Initech")
    assert code == 0 and "add --apply-position to make it Initech" in out
    second = run_json(
        kithkin,
        "milestone",
        "Ana",
        "Lead at Initech",
        "--kind",
        "new_job",
        "--org",
        "Initech",
        "--title",
        "Lead",
        "--apply-position",
    )
    assert second["is_position_applied"] is True
    shown = run_json(kithkin, "show", "Ana")
    assert (shown["organization"], shown["title"]) == ("Initech", "Lead")
    listed = run_json(kithkin, "milestones", "Ana")
    assert [m["id"] for m in listed] == [second["id"], second["id"] - 1, first["id"]]


def test_an_old_milestone_is_recorded_without_a_congratulation(kithkin):
    run_json(kithkin, "add", "Ana Ruiz")
    recorded = run_json(kithkin, "milestone", "Ana", "Graduated", "--kind", "graduation", "--on", "2026-03-01")
    assert recorded["is_old"] is True and recorded["follow_up"] is None
    assert run_json(kithkin, "due", "--within", "30") == []


def test_a_bad_milestone_names_the_argument_and_changes_nothing(kithkin):
    run_json(kithkin, "add", "Ana Ruiz")
    code, _, err = kithkin("milestone", "Ana", " ", "--kind", "award")
    assert code == 1 and err.strip() == "kithkin: error: TEXT: say what happened"
    code, _, err = kithkin("milestone", "Ana", "Launch", "--kind", "party")
    assert code == 1 and err.startswith("kithkin: error: KIND:")
    assert run_json(kithkin, "milestones") == []
