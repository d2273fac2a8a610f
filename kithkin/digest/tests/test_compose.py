from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.accounts.services import update_settings
from kithkin.core.errors import BadInput
from kithkin.digest.services import compose, off_token, render, send, token_owner
from kithkin.followups.models import FollowUp
from kithkin.followups.services import due_list
from kithkin.introductions.services import propose_introduction
from kithkin.network.ranking import rank_check_ins
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def network(alice):
    """A thank-you due (a coffee yesterday), two check-ins overdue, an introduction to ask for."""
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=1))
    for name in ("Bo Chen", "Cy Diaz"):
        make_touch(alice, make_person(alice, name, closeness="close"), "call", NOW - timedelta(days=60))
    grace = make_person(alice, "Grace Hopper")
    propose_introduction(alice, ana, grace, "both build compilers")
    return ana


def test_the_digest_lists_promises_first_then_the_check_ins_in_todays_order(alice, network):
    digest = compose(alice, NOW)
    promises = list(due_list(alice, NOW).exclude(kind=FollowUp.Kind.CHECK_IN))
    assert [i.text for i in digest.promises.items] == [f.reason for f in promises]
    assert any(f.kind == FollowUp.Kind.THANK_YOU for f in promises)
    ranked = rank_check_ins(alice, NOW)
    assert [i.text for i in digest.check_ins.items] == [r.follow_up.reason for r in ranked.rows]
    assert len(digest.check_ins.items) == 2 and all(i.note for i in digest.check_ins.items)
    assert [i.text for i in digest.introductions.items] == ["Ask Ana whether they would like to meet Grace"]
    assert digest.routine is not None


def test_each_item_links_to_its_page_on_the_base_url(alice, network):
    digest = compose(alice, NOW)
    thank_you = digest.promises.items[0]
    assert thank_you.url == settings.BASE_URL + reverse("people:detail", args=[network.pk])
    intro = digest.introductions.items[0]
    assert intro.url.startswith(settings.BASE_URL + "/introductions/")
    assert digest.links["week"] == settings.BASE_URL + reverse("goals:week")


def test_the_message_has_a_subject_a_plain_text_and_an_html_part_naming_what_is_due(alice, network):
    subject, text, html = render(compose(alice, NOW))
    assert subject == "Kithkin, Sun 22 Nov: 1 promise, 2 check-ins, 1 introduction"
    reason = due_list(alice, NOW).get(kind=FollowUp.Kind.THANK_YOU).reason
    assert reason in text and "PROMISES TO KEEP" in text and "CHECK IN" in text and "THIS WEEK" in text
    assert "\n\n\n" not in text
    assert reason in html and "<h2" in html
    # Asked for by hand, with the daily digest off, it says how to turn it on; on, how to turn it off.
    assert "turn it on in Settings" in html and "Turn it off" not in html and "Turn it on: http" in text
    update_settings(alice, email="alice@example.com", digest=True)
    _subject, text, html = render(compose(alice, NOW))
    assert "Turn it off" in html and "Turn it off: http" in text and "Turn it on" not in text
    assert "Grace" in html and "Grace" in text


def test_an_empty_network_gets_a_digest_that_says_nothing_is_due(alice):
    subject, text, _html = render(compose(alice, NOW))
    assert subject.endswith("nothing due today")
    assert "Nothing is due today" in text


def test_composing_takes_as_many_queries_at_ten_people_as_at_forty(alice, network):
    def add(count, start=0):
        for n in range(start, start + count):
            make_touch(alice, make_person(alice, f"Person {n}", closeness="close"), "call", NOW - timedelta(days=70))

    def queries():
        compose(alice, NOW)  # the stored strengths brought up to date, as they are each morning
        with CaptureQueriesContext(connection) as seen:
            compose(alice, NOW)
        return len(seen)

    add(7)
    few = queries()
    add(30, start=7)
    assert queries() == few


def test_the_off_link_names_its_owner_and_nothing_else_does(alice, bob):
    assert token_owner(off_token(alice)) == alice
    assert token_owner(off_token(alice) + "x") is None
    assert token_owner("not-a-token") is None


def test_sending_is_refused_without_a_mail_server_or_an_address(alice, settings):
    settings.EMAIL_CONFIGURED = False
    with pytest.raises(BadInput) as refused:
        send(alice, NOW)
    assert refused.value.field == "EMAIL_URL"
    settings.EMAIL_CONFIGURED = True
    with pytest.raises(BadInput) as no_address:
        send(alice, NOW)
    assert no_address.value.field == "email"


def test_the_digest_is_off_by_default_and_not_turned_on_without_an_address(alice):
    profile = update_settings(alice)
    assert profile.is_digest_on is False and f"{profile.digest_time:%H:%M}" == "07:30"
    with pytest.raises(BadInput) as refused:
        update_settings(alice, digest=True, digest_time="08:15")
    assert refused.value.field == "digest" and "address" in refused.value.message
    alice.refresh_from_db()
    assert update_settings(alice).is_digest_on is False
    profile = update_settings(alice, email="alice@example.com", digest=True, digest_time="8:15")
    assert profile.is_digest_on and f"{profile.digest_time:%H:%M}" == "08:15"
    with pytest.raises(BadInput) as clearing:
        update_settings(alice, email="")
    assert clearing.value.field == "email"
    with pytest.raises(BadInput) as bad_time:
        update_settings(alice, digest_time="half past seven")
    assert bad_time.value.field == "digest_at"
