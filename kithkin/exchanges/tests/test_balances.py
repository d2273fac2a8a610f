"""Reading the ledger: balances by kind and over time, whom the user owes one, asking too often."""

from datetime import date, timedelta

import pytest

from kithkin.exchanges.balances import (
    ask_warning,
    balance_rows,
    balance_table,
    network_balance,
    owed_people,
    person_balance,
)
from kithkin.exchanges.services import record_ask, record_exchange
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def ana(alice):
    return make_person(alice, "Ana Ruiz")


@pytest.fixture
def bo(alice):
    return make_person(alice, "Bo Chen")


def test_a_persons_balance_counts_given_and_received_by_kind_and_by_year(alice, ana, bo):
    record_exchange(alice, ana, "got", "advice on pricing", kind="advice", on=date(2025, 6, 1))
    record_exchange(alice, ana, "got", "a referral", kind="referral", on=date(2026, 2, 3))
    record_exchange(alice, ana, "gave", "a spare ticket", kind="favor", on=date(2026, 11, 20))
    record_exchange(alice, ana, "gave", "an intro", kind="intro")
    record_exchange(alice, bo, "gave", "a book")
    record_ask(alice, ana, "a reference")
    balance = person_balance(alice, ana)
    assert (balance.total.gave, balance.total.got, balance.total.net) == (2, 2, 0)
    assert balance.describe() == "even"
    assert [(kind, label, t.gave, t.got) for kind, label, t in balance.kinds()] == [
        ("intro", "introduction", 1, 0),
        ("referral", "referral", 0, 1),
        ("advice", "advice", 0, 1),
        ("favor", "favor", 1, 0),
    ]
    assert {period: (t.gave, t.got) for period, t in balance.by_period.items()} == {"2025": (0, 1), "2026": (2, 1)}
    assert (balance.last_gave_on, balance.last_got_on, balance.open_asks) == (NOW.date(), date(2026, 2, 3), 1)


def test_a_balance_by_month_and_as_json(alice, ana):
    record_exchange(alice, ana, "got", "advice", kind="advice", on=date(2026, 10, 30))
    record_exchange(alice, ana, "got", "a referral", kind="referral", on=date(2026, 11, 2))
    data = person_balance(alice, ana, by="month").to_json()
    assert data == {
        "gave": 0,
        "got": 2,
        "net": -2,
        "by_kind": {"referral": {"gave": 0, "got": 1}, "advice": {"gave": 0, "got": 1}},
        "by_period": [{"period": "2026-10", "gave": 0, "got": 1}, {"period": "2026-11", "gave": 0, "got": 1}],
        "last_gave_on": None,
        "last_got_on": "2026-11-02",
        "open_asks": 0,
    }
    assert person_balance(alice, ana).describe() == "you received 2 more"


def test_the_network_balance_adds_up_everyone_and_leaves_out_other_users(alice, bob, ana, bo):
    record_exchange(alice, ana, "got", "advice", kind="advice", on=date(2025, 6, 1))
    record_exchange(alice, ana, "gave", "a ticket", kind="favor")
    record_exchange(alice, bo, "gave", "a book", kind="resource")
    record_exchange(bob, make_person(bob, "Cy Bob"), "got", "help")
    balance = network_balance(alice)
    assert (balance.total.gave, balance.total.got) == (2, 1)
    assert balance.describe() == "you gave 1 more"
    assert {kind: (t.gave, t.got) for kind, _label, t in balance.kinds()} == {
        "advice": (0, 1),
        "resource": (1, 0),
        "favor": (1, 0),
    }
    assert {p: (t.gave, t.got) for p, t in balance.by_period.items()} == {"2025": (0, 1), "2026": (2, 0)}
    by_month = network_balance(alice, by="month")
    assert list(by_month.by_period) == ["2025-06", "2026-11"]


def test_the_network_balance_shows_every_change_to_the_ledger(alice, ana, bo, django_assert_num_queries):
    record_exchange(alice, ana, "got", "advice", kind="advice")
    network_balance(alice)
    with django_assert_num_queries(1):  # kept: only the open asks are counted again
        assert network_balance(alice).total.got == 1
    given = record_exchange(alice, bo, "gave", "a book", kind="resource")
    assert (network_balance(alice).total.gave, network_balance(alice).total.got) == (1, 1)
    given.delete()
    assert network_balance(alice).total.gave == 0
    record_ask(alice, ana, "an intro to Bo")
    assert network_balance(alice).open_asks == 1


def test_balances_by_person_put_the_most_out_of_balance_first(alice, ana, bo):
    carla = make_person(alice, "Carla Diaz")
    for what in ("advice", "a referral", "an intro"):
        record_exchange(alice, ana, "got", what)
    record_exchange(alice, bo, "gave", "a book")
    record_exchange(alice, carla, "gave", "a ticket")
    record_exchange(alice, carla, "got", "a lift")
    rows = balance_rows(alice, list(balance_table(alice)))
    assert [(r.person, r.gave, r.got, r.describe()) for r in rows] == [
        (ana, 0, 3, "you received 3 more"),
        (bo, 1, 0, "you gave 1 more"),
        (carla, 1, 1, "even"),
    ]


def test_someone_who_helped_recently_is_owed_one_until_the_user_gives(alice, ana, bo):
    record_exchange(alice, ana, "gave", "a ticket", on=date(2026, 11, 1))
    record_exchange(alice, ana, "got", "advice", on=date(2026, 11, 10))
    record_exchange(alice, ana, "got", "a referral", kind="referral", on=date(2026, 11, 20))
    record_exchange(alice, bo, "got", "a lift", on=date(2026, 11, 21))
    owed, count = owed_people(alice, NOW)
    assert count == 2
    assert [(o.person, o.last.what, o.since) for o in owed] == [(bo, "a lift", 1), (ana, "a referral", 2)]
    record_exchange(alice, ana, "gave", "an intro", kind="intro")
    owed, count = owed_people(alice, NOW)
    assert ([o.person for o in owed], count) == ([bo], 1)


def test_a_give_on_the_same_day_after_the_help_settles_the_debt(alice, ana):
    record_exchange(alice, ana, "gave", "a ticket")
    record_exchange(alice, ana, "got", "advice")
    assert [o.person for o in owed_people(alice, NOW)[0]] == [ana]
    record_exchange(alice, ana, "gave", "a book")
    assert owed_people(alice, NOW) == ([], 0)


def test_help_from_more_than_90_days_ago_is_not_a_debt_any_more(alice, ana):
    record_exchange(alice, ana, "got", "advice", on=date(2026, 8, 1))
    assert owed_people(alice, NOW) == ([], 0)


def test_the_owed_list_shows_a_few_and_counts_them_all_in_a_fixed_number_of_queries(
    alice, django_assert_max_num_queries
):
    for i in range(8):
        record_exchange(alice, make_person(alice, f"Person {i}"), "got", f"help {i}", on=date(2026, 11, 10 + i))
    with django_assert_max_num_queries(5):
        owed, count = owed_people(alice, NOW, limit=5)
    assert count == 8
    assert [o.last.what for o in owed] == ["help 7", "help 6", "help 5", "help 4", "help 3"]


def test_a_third_ask_with_nothing_given_in_between_gets_a_gentle_warning(alice):
    ana = make_person(alice, "Ana Ruiz", needs=["a good accountant"])
    first = record_ask(alice, ana, "an intro to Acme")
    assert ask_warning(alice, ana, just_asked=first) is None
    second = record_ask(alice, ana, "a referral")
    assert ask_warning(alice, ana, just_asked=second) is None
    # Before a third ask (the person's page), and once it is recorded (the command, the form).
    assert ask_warning(alice, ana) == (
        "You have asked Ana twice and given nothing yet: give first before asking again? Ana needs a good accountant."
    )
    third = record_ask(alice, ana, "a reference")
    assert ask_warning(alice, ana, just_asked=third) == (
        "You had already asked Ana twice and given nothing yet. Give first next time? Ana needs a good accountant."
    )


def test_a_give_in_between_starts_the_count_again(alice, ana, frozen):
    record_ask(alice, ana, "advice")
    record_ask(alice, ana, "a referral")
    frozen.shift(timedelta(minutes=5))
    record_exchange(alice, ana, "gave", "a ticket")
    frozen.shift(timedelta(minutes=5))
    asked = record_ask(alice, ana, "a reference")
    assert ask_warning(alice, ana, just_asked=asked) is None
    asked = record_ask(alice, ana, "an intro")
    asked = record_ask(alice, ana, "another intro")
    assert ask_warning(alice, ana, just_asked=asked) == (
        "You had already asked Ana twice since you last gave them anything. Give first next time?"
    )


def test_the_warning_names_interests_when_there_are_no_needs(alice):
    ana = make_person(alice, "Ana Ruiz", interests=["marathons", "fintech"])
    for what in ("a", "b", "c"):
        asked = record_ask(alice, ana, what)
    assert ask_warning(alice, ana, just_asked=asked).endswith("Ana cares about marathons, fintech.")
