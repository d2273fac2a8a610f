"""Follow-ups over HTTP: what is due in `kithkin due --json`'s order, done, skip, snooze, reopen,
a reminder and the drafted message, each answering as the command line does."""

import pytest

from kithkin.api.tests.scene import small_network
from kithkin.followups.models import FollowUp
from kithkin.testing import run_json

pytestmark = pytest.mark.usefixtures("frozen")


def test_what_is_due_is_what_due_lists_in_the_same_order(make_api, me, kithkin):
    small_network(me)
    api = make_api(me)
    by_cli = run_json(kithkin, "due", "--within", "7")
    answer = api.get("/follow-ups/due", {"within": 7})
    page = answer.json()
    assert page == by_cli and int(answer["X-Total-Count"]) == len(by_cli) > 2
    assert any("rank" in f for f in page) and "rank" not in page[0]
    for limit in (1, 2, 3):
        pages = [
            api.get("/follow-ups/due", {"within": 7, "limit": limit, "offset": at})
            for at in range(0, len(by_cli), limit)
        ]
        assert [row for page in pages for row in page.json()] == by_cli
        assert {page["X-Total-Count"] for page in pages} == {str(len(by_cli))}
    top = api.get("/follow-ups/due", {"top": 1, "limit": 2})
    assert top.json() == run_json(kithkin, "due", "--top", "1")[:2]
    assert int(top["X-Total-Count"]) == len(run_json(kithkin, "due", "--top", "1"))


def test_done_skip_snooze_and_reopen_answer_as_the_command_line(make_api, me, kithkin):
    scene = small_network(me)
    api, thanks = make_api(me), str(scene.thank_you.pk)
    for action, body, options in [
        ("done", None, []),
        ("skip", None, []),
        ("snooze", {"until": "next monday"}, ["--until", "next monday"]),
    ]:
        answer = api.post(f"/follow-ups/{thanks}/{action}", body)
        assert answer.status_code == 200, answer.content
        reopened = api.post(f"/follow-ups/{thanks}/reopen")
        assert reopened.status_code == 200 and reopened.json()["status"] == "open"
        assert answer.json() == run_json(kithkin, action, thanks, *options)
        assert reopened.json() == run_json(kithkin, "reopen", thanks)
    assert answer.json()["status"] == "snoozed" and answer.json()["snoozed_until"].startswith("2026-11-23")
    assert api.get(f"/follow-ups/{thanks}").json() == run_json(kithkin, "show", str(scene.ana.pk))["follow_ups"][0]


def test_closing_twice_is_a_problem_naming_the_follow_up(api, alice):
    scene = small_network(alice)
    assert api.post(f"/follow-ups/{scene.thank_you.pk}/done").status_code == 200
    again = api.post(f"/follow-ups/{scene.thank_you.pk}/done")
    assert again.status_code == 400 and again["Content-Type"] == "application/problem+json"
    past = api.post(f"/follow-ups/{scene.thank_you.pk}/reopen")
    assert past.status_code == 200
    refused = api.post(f"/follow-ups/{scene.thank_you.pk}/snooze", {"until": "2020-01-01"})
    assert refused.status_code == 400 and refused.json()["field"] == "until"


def test_a_reminder_set_by_hand(api, alice):
    scene = small_network(alice)
    made = api.post("/follow-ups", {"person": "Ana Ruiz", "reason": "Send Ana the pricing article", "at": "friday"})
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "custom" and made.json()["person"]["id"] == scene.ana.pk
    empty = api.post("/follow-ups", {"person": "Ana Ruiz", "reason": "  "})
    assert empty.status_code == 400 and empty.json()["field"] == "reason"


def test_the_draft_is_what_draft_gives(make_api, me, kithkin):
    scene = small_network(me)
    drafted = make_api(me).get(f"/follow-ups/{scene.thank_you.pk}/draft")
    assert drafted.status_code == 200
    assert drafted.json() == run_json(kithkin, "draft", str(scene.thank_you.pk))
    assert drafted.json()["to"] == ["ana@acme.example"] and drafted.json()["mailto"].startswith("mailto:")


def test_another_accounts_follow_ups_are_not_found(make_api, alice, bob):
    scene = small_network(alice)
    theirs, thanks = make_api(bob), scene.thank_you.pk
    for action in ("done", "skip", "reopen"):
        assert theirs.post(f"/follow-ups/{thanks}/{action}").status_code == 404
    assert theirs.post(f"/follow-ups/{thanks}/snooze", {"until": "tomorrow"}).status_code == 404
    assert theirs.get(f"/follow-ups/{thanks}").status_code == 404
    assert theirs.get(f"/follow-ups/{thanks}/draft").status_code == 404
    assert theirs.get("/follow-ups/due", {"within": 30}).json() == []
    assert theirs.post("/follow-ups", {"person": str(scene.ana.pk), "reason": "x"}).status_code == 404
    assert FollowUp.objects.get(pk=thanks).status == "open"


def test_a_read_only_token_cannot_close_a_follow_up(make_api, alice):
    scene = small_network(alice)
    reader = make_api(alice, read_only=True)
    assert reader.get("/follow-ups/due").status_code == 200
    assert reader.post(f"/follow-ups/{scene.thank_you.pk}/done").status_code == 403
    assert FollowUp.objects.get(pk=scene.thank_you.pk).status == "open"
