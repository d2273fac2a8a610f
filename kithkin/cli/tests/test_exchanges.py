"""`kithkin gave/got/asked/asks/close-ask/balance/share/resources` end to end, in process, with a
frozen clock: the issue's acceptance checks for the ledger, being introduced and sharing."""

import html
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.exchanges.models import Ask, Exchange, Share
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.testing import NOW, run_json

pytestmark = pytest.mark.usefixtures("frozen")


def due(kithkin, kind):
    return [f for f in run_json(kithkin, "due", "--within", "30") if f["kind"] == kind]


def today(client):
    client.force_login(get_or_create_local_owner())
    return html.unescape(client.get(reverse("followups:today")).content.decode())


def owe_section(page):
    if 'id="owe-heading"' not in page:
        return ""
    return page.split('id="owe-heading"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def ana(kithkin):
    return run_json(kithkin, "add", "Ana Ruiz", "--org", "Acme", "--closeness", "close")["id"]


# --- the give-and-take ledger ----------------------------------------------------------------------


def test_gave_got_asked_and_balance_round_trip_through_json_with_correct_totals(kithkin, ana):
    got = run_json(kithkin, "got", "Ana", "advice on pricing", "--kind", "advice", "--on", "2026-11-20")
    assert (got["direction"], got["kind"], got["what"], got["on"]) == (
        "got",
        "advice",
        "advice on pricing",
        "2026-11-20",
    )
    assert got["person"] == {"id": ana, "name": "Ana Ruiz"}
    assert (got["balance"]["gave"], got["balance"]["got"]) == (0, 1)
    gave = run_json(kithkin, "gave", "Ana", "a spare ticket", "--kind", "favor")
    assert gave["follow_ups"] == [] and gave["balance"]["net"] == 0
    run_json(kithkin, "gave", "Ana", "an intro to Bo", "--kind", "intro")
    asked = run_json(kithkin, "asked", "Ana", "a referral at Acme", "--kind", "referral")
    assert (asked["status"], asked["kind"], asked["warning"]) == ("open", "referral", None)
    run_json(kithkin, "add", "Bo Chen")
    run_json(kithkin, "got", "Bo", "a lift", "--on", "2025-03-01")

    mine = run_json(kithkin, "balance", "Ana")
    assert (mine["gave"], mine["got"], mine["net"], mine["open_asks"]) == (2, 1, 1, 1)
    assert mine["by_kind"] == {
        "intro": {"gave": 1, "got": 0},
        "advice": {"gave": 0, "got": 1},
        "favor": {"gave": 1, "got": 0},
    }
    assert mine["by_period"] == [{"period": "2026", "gave": 2, "got": 1}]
    assert [e["what"] for e in mine["exchanges"]] == ["an intro to Bo", "a spare ticket", "advice on pricing"]
    assert [a["what"] for a in mine["asks"]] == ["a referral at Acme"]

    everyone = run_json(kithkin, "balance", "--by", "month")
    assert (everyone["gave"], everyone["got"], everyone["net"], everyone["open_asks"]) == (2, 2, 0, 1)
    assert everyone["by_period"] == [
        {"period": "2025-03", "gave": 0, "got": 1},
        {"period": "2026-11", "gave": 2, "got": 1},
    ]
    # As out of balance each way: the one the user received more from comes first.
    assert [(p["person"]["name"], p["gave"], p["got"], p["net"]) for p in everyone["people"]] == [
        ("Bo Chen", 0, 1, -1),
        ("Ana Ruiz", 2, 1, 1),
    ]


def test_the_balance_reads_as_tables_for_a_person_and_for_everyone(kithkin, ana):
    kithkin("got", "Ana", "advice on pricing", "--kind", "advice")
    kithkin("gave", "Ana", "a spare ticket", "--kind", "favor")
    code, out, _err = kithkin("balance", "Ana")
    assert code == 0
    assert f"Ana Ruiz (#{ana}): gave 1, received 1 · even" in out
    assert "advice" in out and "favor" in out and "2026" in out
    code, out, _err = kithkin("balance")
    assert "Everyone: gave 1, received 1 · even" in out and "By person" in out


def test_help_received_asks_for_a_thank_you_within_24_hours_and_help_given_is_a_touch(kithkin, ana):
    got = run_json(kithkin, "got", "Ana", "advice on pricing", "--kind", "advice")
    [thank] = got["follow_ups"]
    assert thank["kind"] == "thank_you" and thank["reason"] == "Thank Ana for their help: advice on pricing"
    assert datetime.fromisoformat(thank["due_at"]) == NOW + timedelta(hours=24)
    assert [f["id"] for f in due(kithkin, "thank_you")] == [thank["id"]]
    run_json(kithkin, "gave", "Ana", "a spare ticket")
    shown = run_json(kithkin, "show", "Ana")
    assert [t["kind"] for t in shown["touches"]] == ["help", "help"]
    assert Touch.objects.filter(kind=Touch.Kind.HELP).count() == 2
    assert datetime.fromisoformat(shown["last_touch_at"]) == NOW


def test_got_settles_an_ask_and_an_ask_can_be_closed_unanswered(kithkin, ana):
    intro = run_json(kithkin, "asked", "Ana", "an intro to Acme's CFO", "--kind", "intro")
    reference = run_json(kithkin, "asked", "Ana", "a reference")
    assert [a["id"] for a in run_json(kithkin, "asks", "--open")] == [reference["id"], intro["id"]]
    got = run_json(kithkin, "got", "Ana", "the intro to the CFO", "--kind", "intro", "--settles", f"#{intro['id']}")
    assert got["settles"] == intro["id"]
    closed = run_json(kithkin, "close-ask", str(reference["id"]))
    assert (closed["status"], closed["id"]) == ("closed", reference["id"])
    assert run_json(kithkin, "asks", "--open") == []
    assert {a["id"]: a["status"] for a in run_json(kithkin, "asks")} == {
        intro["id"]: "settled",
        reference["id"]: "closed",
    }
    code, out, _err = kithkin("asks")
    assert code == 0 and "closed unanswered" in out and "settled" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("got", "Ana", "help", "--settles", "99"), "kithkin: error: --settles: no ask has id 99"),
        (("gave", "Ana", "  "), "kithkin: error: WHAT: say what was given, received or asked for"),
        (("gave", "Ana", "help", "--kind", "bribe"), "kithkin: error: --kind:"),
        (("gave", "Ana", "help", "--on", "tomorrow"), "kithkin: error: --on:"),
        (("got", "Ana", "advice", "--kind", "advice", "--to", "Bo"), "kithkin: error: --to: is for an introduction"),
        (("close-ask", "x"), "kithkin: error: ID: 'x' is not an ask id"),
        (("balance", "--by", "week"), "kithkin: error: --by: unknown value 'week'"),
        (("share", "https://example.com/x"), "kithkin: error: --topic: say what it is about"),
        (("share", "not a link", "--topic", "x"), "kithkin: error: URL:"),
    ],
)
def test_bad_input_is_one_line_naming_the_argument_and_records_nothing(kithkin, ana, args, message):
    code, out, err = kithkin(*args)
    assert (code, out) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1, err
    assert not Exchange.objects.exists() and not Ask.objects.exists()


def test_a_closed_ask_is_not_closed_or_settled_again(kithkin, ana):
    ask = run_json(kithkin, "asked", "Ana", "a reference")
    run_json(kithkin, "close-ask", str(ask["id"]))
    code, _out, err = kithkin("close-ask", str(ask["id"]))
    assert code == 1 and "is already closed unanswered" in err
    code, _out, err = kithkin("got", "Ana", "a reference", "--settles", str(ask["id"]))
    assert code == 1 and "is already closed unanswered" in err
    assert not Exchange.objects.exists()


def test_a_third_ask_with_nothing_given_in_between_warns_gently(kithkin):
    ana = run_json(kithkin, "add", "Ana Ruiz", "--need", "a good accountant")
    run_json(kithkin, "asked", "Ana", "an intro to Acme")
    assert run_json(kithkin, "asked", "Ana", "a referral")["warning"] is None
    third = run_json(kithkin, "asked", "Ana", "a reference")
    assert third["warning"] == (
        "You had already asked Ana twice and given nothing yet. Give first next time? Ana needs a good accountant."
    )
    code, out, err = kithkin("asked", "Ana", "a fourth thing")
    assert code == 0 and err == ""
    assert f"Asked Ana Ruiz (#{ana['id']}) for: a fourth thing" in out and "You had already asked Ana 3 times" in out
    # A give in between starts the count again.
    run_json(kithkin, "gave", "Ana", "the name of an accountant", "--kind", "referral")
    assert run_json(kithkin, "asked", "Ana", "one more thing")["warning"] is None


def test_the_owe_one_nudge_appears_on_today_and_goes_away_when_the_user_gives(kithkin, ana, client):
    run_json(kithkin, "add", "Bo Chen")
    assert owe_section(today(client)) == ""
    run_json(kithkin, "got", "Ana", "advice on pricing", "--kind", "advice", "--on", "yesterday")
    run_json(kithkin, "got", "Bo", "a lift to the airport", "--kind", "favor")
    section = owe_section(today(client))
    assert "Ana Ruiz" in section and "advice on pricing" in section
    assert "Bo Chen" in section and "a lift to the airport" in section
    owe = run_json(kithkin, "balance")["owe"]
    assert [o["person"]["name"] for o in owe] == ["Bo Chen", "Ana Ruiz"]

    run_json(kithkin, "gave", "Ana", "an intro to a pricing expert", "--kind", "intro")
    section = owe_section(today(client))
    assert "Ana Ruiz" not in section and "Bo Chen" in section
    run_json(kithkin, "gave", "Bo", "a book", "--kind", "resource")
    assert owe_section(today(client)) == ""
    assert run_json(kithkin, "balance")["owe"] == []


# --- being introduced ----------------------------------------------------------------------------------


def test_being_introduced_schedules_the_thank_you_then_the_close_loop_after_the_first_touch(kithkin, ana, frozen):
    got = run_json(kithkin, "got", "Ana", "intro to Bo", "--kind", "intro", "--to", "Bo Chen")
    assert got["added"] is True and got["kind"] == "intro"
    assert got["to_person"]["name"] == "Bo Chen"
    assert run_json(kithkin, "show", "Bo")["met_through"]["id"] == ana
    [thank] = [f for f in due(kithkin, "thank_you") if f["person"]["id"] == ana]
    assert thank["reason"] == "Thank Ana for their help: intro to Bo"
    assert datetime.fromisoformat(thank["due_at"]) == NOW + timedelta(hours=24)
    assert due(kithkin, "close_loop") == []

    frozen.shift(timedelta(days=2))
    coffee = run_json(kithkin, "log", "coffee", "Bo", "--at", "today 09:00")
    [loop] = due(kithkin, "close_loop")
    assert (loop["person"]["id"], loop["reason"]) == (ana, "Tell Ana how the conversation with Bo went")
    assert datetime.fromisoformat(loop["due_at"]) == datetime.fromisoformat(coffee["happened_at"]) + timedelta(days=3)

    # Only once: a second conversation asks nothing more of Ana.
    run_json(kithkin, "log", "call", "Bo")
    assert [f["id"] for f in due(kithkin, "close_loop")] == [loop["id"]]


def test_logging_a_touch_introduced_by_someone_thanks_them_and_closes_the_loop(kithkin, ana):
    bo = run_json(kithkin, "add", "Bo Chen")["id"]
    touch = run_json(kithkin, "log", "coffee", "Bo", "--introduced-by", "Ana", "--at", "today 09:00")
    caused = {(f["kind"], f["person"]["id"]): f for f in touch["follow_ups"]}
    assert set(caused) == {("thank_you", bo), ("thank_you", ana), ("close_loop", ana)}
    assert caused[("thank_you", ana)]["reason"] == "Thank Ana for the intro to Bo Chen"
    assert caused[("close_loop", ana)]["reason"] == "Tell Ana how the conversation with Bo went"
    assert datetime.fromisoformat(caused[("close_loop", ana)]["due_at"]) == datetime.fromisoformat(
        touch["happened_at"]
    ) + timedelta(days=3)
    assert run_json(kithkin, "show", "Bo")["met_through"]["id"] == ana
    assert run_json(kithkin, "balance", "Ana")["by_kind"] == {"intro": {"gave": 0, "got": 1}}


def test_an_introduction_to_someone_already_known_keeps_their_met_through(kithkin, ana):
    carla = run_json(kithkin, "add", "Carla Diaz")["id"]
    run_json(kithkin, "add", "Bo Chen", "--met-through", "Carla")
    got = run_json(kithkin, "got", "Ana", "intro to Bo", "--kind", "intro", "--to", "Bo")
    assert got["added"] is False
    assert run_json(kithkin, "show", "Bo")["met_through"]["id"] == carla
    assert Person.objects.count() == 3


# --- resources to share ----------------------------------------------------------------------------------


def test_share_lists_people_it_could_help_best_first_with_why_and_sends_to_those_picked(kithkin):
    run_json(kithkin, "add", "Ana Ruiz", "--interest", "fintech", "--closeness", "wider", "--email", "ana@x.example")
    bo = run_json(kithkin, "add", "Bo Chen", "--need", "a fintech pricing model", "--closeness", "close")
    run_json(kithkin, "add", "Carla Diaz", "--interest", "chess")
    found = run_json(kithkin, "share", "example.com/pricing", "--title", "Pricing guide", "--topic", "fintech")
    assert found["created"] is True and found["resource"]["url"] == "https://example.com/pricing"
    assert [(c["person"]["name"], c["why"]) for c in found["candidates"]] == [
        ("Bo Chen", "needs a fintech pricing model"),
        ("Ana Ruiz", "interested in fintech"),
    ]
    code, out, _err = kithkin("share", "https://example.com/pricing")
    assert code == 0 and "It could help:" in out and f"#{bo['id']} Bo Chen: needs a fintech pricing model" in out

    sent = run_json(kithkin, "share", "https://example.com/pricing", "--to", "Ana", "--to", "Bo")
    assert [s["person"]["name"] for s in sent["shares"]] == ["Ana Ruiz", "Bo Chen"]
    assert sent["shares"][0]["message"] == (
        "Hi Ana, I saw this and thought of your work on fintech: Pricing guide https://example.com/pricing"
    )
    assert sent["shares"][1]["message"] == (
        "Hi Bo, I saw this and thought of you (you mentioned a fintech pricing model):"
        " Pricing guide https://example.com/pricing"
    )
    for name in ("Ana", "Bo"):
        balance = run_json(kithkin, "balance", name)
        assert balance["by_kind"] == {"resource": {"gave": 1, "got": 0}}
        assert balance["exchanges"][0]["what"] == "Shared: Pricing guide"
        assert run_json(kithkin, "show", name)["touches"][0]["kind"] == "help"
    # Those who have it are no longer suggested; a second send to them sends nothing.
    assert run_json(kithkin, "share", "https://example.com/pricing")["candidates"] == []
    code, _out, err = kithkin("share", "https://example.com/pricing", "--to", "Carla", "--to", "Ana")
    assert code == 1 and "already sent to Ana Ruiz" in err
    assert Share.objects.count() == 2

    [saved] = run_json(kithkin, "resources")
    assert (saved["title"], saved["topics"]) == ("Pricing guide", ["fintech"])
    assert [s["person"]["name"] for s in saved["shared_with"]] == ["Ana Ruiz", "Bo Chen"]
    code, out, _err = kithkin("resources")
    assert f"#{saved['id']} Pricing guide (https://example.com/pricing) · fintech" in out and "sent to Ana Ruiz" in out


def test_a_link_sent_with_a_message_of_ones_own_needs_no_topic(kithkin, ana):
    sent = run_json(kithkin, "share", "https://example.com/talk", "--to", "Ana", "--message", "{name}, watch this!")
    assert sent["shares"][0]["message"] == "Ana, watch this!"
    assert sent["resource"]["topics"] == []


def test_nothing_saved_or_given_yet_reads_plainly(kithkin):
    assert kithkin("resources")[1].startswith("No saved links yet.")
    assert kithkin("asks")[1].startswith("No asks yet.")
    assert kithkin("balance")[1].startswith("Nothing given or received yet.")
