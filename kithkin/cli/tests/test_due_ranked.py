"""`kithkin due`: promises first, then check-ins most worthwhile first; --top; plain lines when piped."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.testing import NOW, make_person, make_touch, run_json

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def network(kithkin):
    """The local owner's network: two thank-yous and 12 check-ins due, one of them a strong tie gone quiet."""
    me = get_or_create_local_owner()
    for i in range(12):
        person = make_person(me, f"Person {i:02d} Longname-Surname", closeness="close")
        make_touch(me, person, "call", NOW - timedelta(days=40 + 9 * i))
    strong = make_person(me, "Strong Tie", closeness="close")
    for week in range(30):
        make_touch(me, strong, "coffee", NOW - timedelta(days=33 + 7 * week))
    for name in ("Ana Ruiz", "Bo Chen"):
        make_touch(me, make_person(me, name, closeness="acquaintance"), "coffee", NOW - timedelta(days=2))
    return me


def today_check_in_ids(owner):
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(owner)
    page = client.get(reverse("followups:today")).content.decode()
    section = page[page.index('id="due-check_in"') :]
    section = section[: section.index("</ul>")]
    return [int(pk) for pk in re.findall(r'<li class="followup" id="followup-(\d+)"', section)]


def test_due_top_5_json_gives_todays_five_check_ins_in_the_same_order(kithkin, network):
    due = run_json(kithkin, "due", "--top", "5")
    promises = [f for f in due if f["kind"] != "check_in"]
    check_ins = [f for f in due if f["kind"] == "check_in"]
    assert [f["kind"] for f in due[:2]] == ["thank_you", "thank_you"] and len(promises) == 2
    assert [f["rank"] for f in check_ins] == [1, 2, 3, 4, 5]
    assert [f["id"] for f in check_ins] == today_check_in_ids(network)
    assert check_ins[0]["person"]["name"] == "Strong Tie" and check_ins[0]["why"].startswith("strong tie")
    assert "rank" not in promises[0] and "why" not in promises[0]


def test_due_without_top_lists_every_check_in_ranked_after_the_promises(kithkin, network):
    due = run_json(kithkin, "due")
    assert [f["kind"] for f in due] == ["thank_you"] * 2 + ["check_in"] * 13
    assert [f["rank"] for f in due[2:]] == list(range(1, 14))
    assert [f["id"] for f in due[2:7]] == today_check_in_ids(network)


def test_piped_due_prints_one_plain_line_per_follow_up_with_the_full_name(kithkin, network):
    code, out, _ = kithkin("due", "--top", "3")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    fields = [line.split("\t") for line in lines]
    assert all(len(f) == 5 for f in fields)
    assert [f[1] for f in fields] == ["thank_you", "thank_you", "check_in", "check_in", "check_in"]
    assert fields[2][3] == "Strong Tie"
    assert any(f[3].startswith("Person ") and f[3].endswith("Longname-Surname") for f in fields[3:])


def test_due_prints_the_most_pressing_and_says_how_many_more(kithkin, network):
    me = network
    for i in range(10):
        make_touch(me, make_person(me, f"Later {i:02d}", closeness="close"), "call", NOW - timedelta(days=200 + i))
    code, out, err = kithkin("due")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 20
    assert [line.split("\t")[1] for line in lines[:2]] == ["thank_you", "thank_you"]
    # 2 thank-yous and 23 check-ins are due: 5 left out, said on stderr so the lines stay one each.
    assert err.strip() == "… and 5 more due: `kithkin due --all` lists every one."
    code, out, err = kithkin("due", "--all")
    assert (code, len(out.splitlines()), err) == (0, 25, "")
    assert out.splitlines()[:20] == lines
    # --top keeps its meaning and --json lists every one.
    code, out, err = kithkin("due", "--top", "3")
    assert (len(out.splitlines()), err) == (5, "")
    assert len(run_json(kithkin, "due")) == 25


def test_more_promises_than_the_screen_leave_the_check_ins_to_the_count(kithkin):
    me = get_or_create_local_owner()
    for i in range(22):
        make_touch(me, make_person(me, f"Met {i:02d}", closeness="acquaintance"), "coffee", NOW - timedelta(days=2))
    make_touch(me, make_person(me, "Old Friend", closeness="close"), "call", NOW - timedelta(days=90))
    code, out, err = kithkin("due")
    assert code == 0 and {line.split("\t")[1] for line in out.splitlines()} == {"thank_you"}
    assert len(out.splitlines()) == 20 and "and 3 more due" in err
