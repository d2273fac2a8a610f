"""Why a person matters now: a debt of help, a goal, a need you could meet."""

from datetime import timedelta

import pytest

from kithkin.exchanges.services import record_exchange, save_resource, share_resource
from kithkin.goals.services import add_goal
from kithkin.network.signals import relevance
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")


def test_help_received_lately_and_not_returned_is_owed(alice):
    ana = make_person(alice, "Ana Ruiz")
    record_exchange(alice, ana, "got", "a referral to Acme", on=(NOW - timedelta(days=20)).date())
    found = relevance(alice, [ana.pk], NOW)[ana.pk]
    assert found.owe_them.startswith("helped you on 2 November: a referral to Acme")
    assert found.helped_you == 1
    assert found.points > 0


def test_help_returned_since_is_no_longer_owed(alice):
    ana = make_person(alice, "Ana Ruiz")
    record_exchange(alice, ana, "got", "a referral", on=(NOW - timedelta(days=20)).date())
    record_exchange(alice, ana, "gave", "an intro", on=(NOW - timedelta(days=2)).date())
    assert relevance(alice, [ana.pk], NOW)[ana.pk].owe_them == ""


def test_old_help_is_remembered_but_not_owed(alice):
    ana = make_person(alice, "Ana Ruiz")
    record_exchange(alice, ana, "got", "advice", on=(NOW - timedelta(days=400)).date())
    found = relevance(alice, None, NOW)[ana.pk]
    assert found.owe_them == "" and found.helped_you == 1


def test_people_at_a_goals_target_organization_or_sharing_its_topic_bear_on_it(alice):
    bo = make_person(alice, "Bo Chen", organization="Adyen")
    cy = make_person(alice, "Cy Dorn", interests=["fintech"])
    dee = make_person(alice, "Dee Ek", organization="Other Co")
    add_goal(alice, "move into fintech", organizations=["Adyen"], now=NOW)
    found = relevance(alice, None, NOW)
    assert found[bo.pk].goals == ("works at Adyen, a target of your goal “move into fintech”",)
    assert found[cy.pk].goals == ("interested in fintech, like your goal “move into fintech”",)
    assert dee.pk not in found


def test_a_need_someone_else_offers_or_a_saved_link_is_about_can_be_met(alice):
    ana = make_person(alice, "Ana Ruiz", needs=["a designer"])
    make_person(alice, "Bo Chen", offers=["designer friends"])
    cy = make_person(alice, "Cy Dorn", needs=["pricing advice"])
    resource, _ = save_resource(alice, "https://example.com/pricing", title="Pricing 101", topics=["pricing"], now=NOW)
    found = relevance(alice, None, NOW)
    assert found[ana.pk].needs == ("needs “a designer”: Bo Chen offers designer friends",)
    assert found[cy.pk].needs == ("needs “pricing advice”: you saved “Pricing 101”",)
    share_resource(alice, resource, [cy], now=NOW)
    assert cy.pk not in relevance(alice, None, NOW)


def test_relevance_is_scoped_to_its_owner(alice, bob):
    ana = make_person(alice, "Ana Ruiz")
    record_exchange(alice, ana, "got", "a referral", on=NOW.date())
    assert relevance(bob, None, NOW) == {}
    assert relevance(bob, [ana.pk], NOW) == {}


def test_everyones_relevance_is_remembered_until_what_it_reads_changes(alice, django_assert_max_num_queries):
    ana = make_person(alice, "Ana Ruiz")
    bo = make_person(alice, "Bo Chen")
    record_exchange(alice, ana, "got", "a referral", on=NOW.date())
    assert set(relevance(alice, None, NOW)) == {ana.pk}
    with django_assert_max_num_queries(1):  # only the fingerprint
        assert set(relevance(alice, None, NOW)) == {ana.pk}
    record_exchange(alice, bo, "got", "advice", on=NOW.date())
    assert set(relevance(alice, None, NOW)) == {ana.pk, bo.pk}
    add_goal(alice, "a way into Globex", organizations=["Globex"], now=NOW)
    cy = make_person(alice, "Cy Dorn", organization="Globex")
    assert relevance(alice, None, NOW)[cy.pk].goals


def test_a_long_list_of_people_reads_everyones_remembered_relevance(alice):
    ana = make_person(alice, "Ana Ruiz")
    record_exchange(alice, ana, "got", "a referral", on=NOW.date())
    many = [ana.pk, *range(10_000, 10_500)]
    assert set(relevance(alice, many, NOW)) == {ana.pk}


def test_everyones_relevance_is_shared_with_the_next_process_until_what_it_reads_changes(alice, monkeypatch):
    from kithkin.network import signals

    ana = make_person(alice, "Ana Ruiz")
    record_exchange(alice, ana, "got", "a referral", on=NOW.date())
    assert set(relevance(alice, None, NOW)) == {ana.pk}
    signals.forget()  # as a new process (a command) starts: nothing in memory
    monkeypatch.setattr(signals, "_compute", lambda *a: pytest.fail("worked out again"))
    assert set(relevance(alice, None, NOW)) == {ana.pk}
    monkeypatch.undo()
    signals.forget()
    bo = make_person(alice, "Bo Chen")
    record_exchange(alice, bo, "got", "advice", on=NOW.date())
    assert set(relevance(alice, None, NOW)) == {ana.pk, bo.pk}
