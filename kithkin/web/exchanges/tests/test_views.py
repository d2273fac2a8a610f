"""The ledger's pages (/ledger/, links to share), its panels on Today and a person's page, and
their query counts."""

import html
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.core import stamps
from kithkin.exchanges.models import Ask, Exchange, Resource, Share
from kithkin.exchanges.services import record_ask, record_exchange, record_introduction, save_resource, share_resource
from kithkin.followups.models import FollowUp
from kithkin.people.models import Person
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def ana(alice):
    return make_person(alice, "Ana Ruiz", closeness="close", emails=["ana@acme.example"])


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def text_of(markup):
    """What a reader sees: no tags, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split()).replace(" ,", ",").replace(" .", ".").replace(" :", ":")


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the ledger page -------------------------------------------------------------------------------------


def test_the_ledger_shows_balances_open_asks_whom_you_owe_and_a_form(signed_in, alice, ana):
    bo = make_person(alice, "Bo Chen")
    record_exchange(alice, ana, "got", "advice on pricing", kind="advice")
    record_exchange(alice, bo, "gave", "a spare ticket", kind="favor")
    record_ask(alice, bo, "an intro to Globex")
    text = page(signed_in, reverse("exchanges:ledger"))
    assert "You gave 1 and received 1 · even" in text
    owe = text.split('id="owe"', 1)[1].split("</section>", 1)[0]
    assert "Ana Ruiz" in owe and "advice on pricing" in owe and "Bo Chen" not in owe
    asks = text.split('id="asks"', 1)[1].split("</section>", 1)[0]
    assert "an intro to Globex" in asks and "No answer" in asks
    balances = text.split('id="balances"', 1)[1].split("</section>", 1)[0]
    assert "you received 1 more" in balances and "you gave 1 more" in balances
    assert 'name="direction"' in text and 'name="what"' in text and 'name="to"' in text


def test_a_new_user_sees_an_empty_ledger_that_says_what_to_do(signed_in):
    text = page(signed_in, reverse("exchanges:ledger"))
    assert "Nothing given or received yet: give first." in text
    assert "Nothing you asked for is waiting for an answer." in text


@pytest.mark.parametrize(
    ("direction", "message"),
    [
        ("gave", "Recorded a give to Ana Ruiz: a spare ticket."),
        ("got", "Recorded help from Ana Ruiz: a spare ticket. Say thank you within a day."),
        ("asked", "Recorded an ask to Ana Ruiz: a spare ticket."),
    ],
)
def test_the_form_records_a_give_help_received_or_an_ask(signed_in, alice, ana, direction, message):
    form = {"direction": direction, "person": "Ana", "what": "a spare ticket", "kind": "favor", "on": "today"}
    response = signed_in.post(reverse("exchanges:record"), form, follow=True)
    assert response.redirect_chain == [(reverse("exchanges:ledger"), 302)]
    assert messages_of(response) == [message]
    if direction == "asked":
        assert Ask.objects.get().what == "a spare ticket"
    else:
        assert Exchange.objects.get().direction == direction


def test_the_form_records_an_introduction_received_and_adds_the_new_person(signed_in, alice, ana):
    form = {
        "direction": "got",
        "person": "Ana",
        "what": "intro to Bo",
        "kind": "intro",
        "on": "yesterday",
        "to": "Bo Chen",
    }
    response = signed_in.post(reverse("exchanges:record"), form, follow=True)
    assert messages_of(response) == ["Recorded: Ana Ruiz introduced you to Bo Chen. Added Bo Chen, met through Ana."]
    bo = Person.objects.get(full_name="Bo Chen")
    assert bo.met_through == ana and Exchange.objects.get().happened_on == date(2026, 11, 21)


def test_the_form_shows_bad_input_next_to_the_field_and_records_nothing(signed_in, alice, ana):
    form = {"direction": "gave", "person": "Nobody Known", "what": "", "kind": "favor", "on": "someday"}
    response = signed_in.post(reverse("exchanges:record"), form)
    assert response.status_code == 400
    assert "Say what was given, received or asked for." in html.unescape(response.content.decode())
    form.update(what="a ticket")
    response = signed_in.post(reverse("exchanges:record"), form)
    assert response.status_code == 400 and response.context["form"].errors
    assert not Exchange.objects.exists()


def test_a_third_ask_on_the_web_form_warns_gently(signed_in, alice):
    make_person(alice, "Ana Ruiz", needs=["a good accountant"])
    form = {"direction": "asked", "person": "Ana", "kind": "other", "on": "today"}
    for what in ("an intro", "a referral"):
        response = signed_in.post(reverse("exchanges:record"), {**form, "what": what}, follow=True)
        assert len(messages_of(response)) == 1
    response = signed_in.post(reverse("exchanges:record"), {**form, "what": "a reference"}, follow=True)
    assert messages_of(response) == [
        "Recorded an ask to Ana Ruiz: a reference.",
        "You had already asked Ana twice and given nothing yet. Give first next time? Ana needs a good accountant.",
    ]


def test_an_ask_is_settled_or_closed_from_the_ledger(signed_in, alice, ana):
    settled = record_ask(alice, ana, "an intro to Acme", kind="intro")
    unanswered = record_ask(alice, ana, "a reference")
    settle = reverse("exchanges:settle_ask", args=[settled.pk])
    response = signed_in.post(settle, {"what": "the intro to Acme's CFO", "kind": "intro"}, follow=True)
    assert response.redirect_chain == [(reverse("exchanges:ledger") + "#asks", 302)]
    assert messages_of(response) == ["Settled: Ana Ruiz helped with an intro to Acme. Say thank you within a day."]
    response = signed_in.post(reverse("exchanges:close_ask", args=[unanswered.pk]), follow=True)
    assert messages_of(response) == ["Closed without an answer: a reference (Ana Ruiz)."]
    settled.refresh_from_db()
    unanswered.refresh_from_db()
    assert (settled.status, unanswered.status) == (Ask.Status.SETTLED, Ask.Status.CLOSED)
    exchange = Exchange.objects.get()
    assert (exchange.what, exchange.settles, exchange.kind) == ("the intro to Acme's CFO", settled, "intro")
    assert FollowUp.objects.pending().filter(kind=FollowUp.Kind.THANK_YOU, person=ana).count() == 1
    response = signed_in.post(reverse("exchanges:close_ask", args=[unanswered.pk]), follow=True)
    assert messages_of(response) == ["This ask is already closed unanswered."]


def test_another_users_ask_is_a_404_and_stays_open(signed_in, bob):
    theirs = record_ask(bob, make_person(bob, "Bo Bob"), "a secret")
    assert signed_in.post(reverse("exchanges:settle_ask", args=[theirs.pk]), {"what": "x"}).status_code == 404
    assert signed_in.post(reverse("exchanges:close_ask", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Ask.Status.OPEN and not Exchange.objects.exists()


def test_the_ledger_makes_the_same_number_of_queries_for_more_people_and_entries(signed_in, alice):
    def add(i):
        person = make_person(alice, f"Person {i}")
        record_exchange(alice, person, "got", f"help {i}", on=date(2026, 11, 1 + i % 20))
        record_exchange(alice, person, "gave", f"a give {i}", on=date(2026, 10, 1))
        record_ask(alice, person, f"ask {i}")

    add(0)
    with CaptureQueriesContext(connection) as few:
        page(signed_in, reverse("exchanges:ledger"))
    for i in range(1, 25):
        add(i)
    with CaptureQueriesContext(connection) as many:
        page(signed_in, reverse("exchanges:ledger"))
    assert len(many) == len(few)


# --- links to share ------------------------------------------------------------------------------------


def test_saving_a_link_opens_it_with_the_people_it_could_help(signed_in, alice):
    make_person(alice, "Bo Chen", interests=["fintech"])
    response = signed_in.post(
        reverse("exchanges:resources"),
        {"url": "example.com/guide", "title": "Pricing guide", "topics": "fintech, pricing"},
    )
    resource = Resource.objects.get()
    assert response["Location"] == reverse("exchanges:resource", args=[resource.pk])
    assert (resource.url, resource.topics) == ("https://example.com/guide", ["fintech", "pricing"])
    text = page(signed_in, response["Location"])
    assert "Bo Chen" in text and "interested in fintech" in text and "Send to the people ticked" in text


def test_a_link_without_topics_is_refused_on_the_form(signed_in):
    response = signed_in.post(reverse("exchanges:resources"), {"url": "example.com/guide", "topics": ""})
    assert response.status_code == 400 and "Say what it is about." in html.unescape(response.content.decode())
    response = signed_in.post(reverse("exchanges:resources"), {"url": "not a link", "topics": "x"})
    assert response.status_code == 400 and "is not a web address" in html.unescape(response.content.decode())
    assert not Resource.objects.exists()


def test_sending_to_the_people_ticked_logs_a_give_each_and_shows_the_messages(signed_in, alice, ana):
    bo = make_person(alice, "Bo Chen", interests=["fintech"])
    resource, _ = save_resource(alice, "https://example.com/guide", title="Pricing guide", topics=["fintech"])
    response = signed_in.post(reverse("exchanges:send", args=[resource.pk]), {"person": [bo.pk], "others": "Ana"})
    assert response["Location"] == reverse("exchanges:resource", args=[resource.pk]) + "#sent"
    assert sorted(s.person.full_name for s in Share.objects.all()) == ["Ana Ruiz", "Bo Chen"]
    assert Exchange.objects.filter(kind="resource", direction="gave").count() == 2
    text = page(signed_in, reverse("exchanges:resource", args=[resource.pk]))
    sent = text.split('id="sent"', 1)[1].split("</section>", 1)[0]
    assert "Hi Bo, I saw this and thought of your work on fintech: Pricing guide https://example.com/guide" in sent
    # The link is read back rather than matched as text: it is built by lib.mailto (RFC 6068), which
    # writes the address's "@" as is where this page once wrote %40.
    link = urlsplit(html.unescape(re.search(r'href="(mailto:[^"]*)"', sent).group(1)))
    assert (link.scheme, unquote(link.path)) == ("mailto", "ana@acme.example")
    assert parse_qs(link.query)["subject"] == ["Pricing guide"] and "No email address for Bo." in sent
    assert "Sent to Bo Chen, Ana Ruiz" in text_of(page(signed_in, reverse("exchanges:resources")))


def test_sending_with_nobody_ticked_or_twice_is_refused_on_the_page(signed_in, alice, ana):
    resource, _ = save_resource(alice, "https://example.com/guide", topics=["fintech"])
    response = signed_in.post(reverse("exchanges:send", args=[resource.pk]), {})
    assert response.status_code == 400 and "Choose at least one person" in html.unescape(response.content.decode())
    share_resource(alice, resource, [ana])
    response = signed_in.post(reverse("exchanges:send", args=[resource.pk]), {"person": [ana.pk]})
    assert response.status_code == 400 and "Already sent to Ana Ruiz" in html.unescape(response.content.decode())
    assert Share.objects.count() == 1


def test_another_users_link_is_a_404_and_nobody_gets_it(signed_in, alice, bob, ana):
    theirs, _ = save_resource(bob, "https://example.com/secret", topics=["secrets"])
    mine_bob = make_person(bob, "Bo Bob")
    assert signed_in.get(reverse("exchanges:resource", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("exchanges:send", args=[theirs.pk]), {"person": [ana.pk]}).status_code == 404
    # Nor can someone else's person be ticked on one's own link.
    mine, _ = save_resource(alice, "https://example.com/mine", topics=["x"])
    response = signed_in.post(reverse("exchanges:send", args=[mine.pk]), {"person": [mine_bob.pk]})
    assert response.status_code == 400
    assert not Share.objects.exists() and "secret" not in page(signed_in, reverse("exchanges:resources"))


def test_the_links_page_makes_the_same_number_of_queries_for_more_links_and_shares(signed_in, alice):
    def add(i):
        person = make_person(alice, f"Person {i}", interests=["fintech"])
        resource, _ = save_resource(alice, f"https://example.com/{i}", topics=["fintech"])
        share_resource(alice, resource, [person])

    add(0)
    with CaptureQueriesContext(connection) as few:
        page(signed_in, reverse("exchanges:resources"))
    for i in range(1, 15):
        add(i)
    with CaptureQueriesContext(connection) as many:
        page(signed_in, reverse("exchanges:resources"))
    assert len(many) == len(few)


def test_a_link_page_makes_the_same_number_of_queries_for_more_candidates_and_shares(signed_in, alice):
    resource, _ = save_resource(alice, "https://example.com/guide", topics=["fintech"])

    def add(i):
        person = make_person(alice, f"Person {i}", interests=["fintech"], emails=[f"p{i}@x.example"])
        make_person(alice, f"Candidate {i}", needs=["fintech contacts"])
        share_resource(alice, resource, [person])

    add(0)
    url = reverse("exchanges:resource", args=[resource.pk])
    with CaptureQueriesContext(connection) as few:
        page(signed_in, url)
    for i in range(1, 15):
        add(i)
    with CaptureQueriesContext(connection) as many:
        text = page(signed_in, url)
    assert len(many) == len(few)
    assert "Candidate 14" in text


# --- panels: Today and a person's page --------------------------------------------------------------------


def test_today_says_whom_you_owe_one_and_a_give_from_there_clears_it(signed_in, alice, ana):
    record_exchange(alice, ana, "got", "advice on pricing", kind="advice")
    today = text_of(page(signed_in, reverse("followups:today")))
    assert "You owe them one 1 Ana Ruiz gave you: advice on pricing" in today
    response = signed_in.post(
        reverse("exchanges:record"),
        {
            "next": reverse("followups:today"),
            "direction": "gave",
            "person": ana.pk,
            "what": "an intro",
            "kind": "intro",
        },
    )
    assert response["Location"] == reverse("followups:today")
    assert "You owe them one" not in page(signed_in, reverse("followups:today"))


def test_the_person_page_shows_the_balance_what_was_shared_and_what_to_give(signed_in, alice):
    bo = make_person(alice, "Bo Chen", needs=["hiring a senior designer"], interests=["fintech"])
    make_person(alice, "Carla Diaz", title="Product Designer", organization="Globex")
    record_exchange(alice, bo, "got", "advice on pricing", kind="advice")
    record_exchange(alice, bo, "gave", "a spare ticket", kind="favor")
    record_exchange(alice, bo, "gave", "a book", kind="resource")
    shared, _ = save_resource(alice, "https://example.com/shared", title="Shared guide", topics=["fintech"])
    share_resource(alice, shared, [bo])
    save_resource(alice, "https://example.com/new", title="New fintech report", topics=["fintech"])
    record_ask(alice, bo, "a referral")
    text = page(signed_in, reverse("people:detail", args=[bo.pk]))
    panel = text_of(text.split('id="give-and-take"', 1)[1].split("</section>", 1)[0])
    assert "You gave 3 · received 1 · you gave 2 more" in panel
    assert "Got advice on pricing advice" in panel and "Open asks a referral" in panel
    assert "What to give Bo Bo is hiring a senior designer: you know one who may help — Carla Diaz" in panel
    assert "Send New fintech report (fintech)" in panel
    assert "Shared with Bo Shared guide · 22 Nov 2026" in panel


def test_the_person_page_warns_before_a_third_ask(signed_in, alice, ana):
    record_ask(alice, ana, "an intro")
    assert "give first" not in page(signed_in, reverse("people:detail", args=[ana.pk]))
    record_ask(alice, ana, "a referral")
    text = page(signed_in, reverse("people:detail", args=[ana.pk]))
    assert "You have asked Ana twice and given nothing yet: give first before asking again?" in text


def test_a_first_touch_captured_on_the_web_closes_the_loop_with_the_introducer(signed_in, alice, ana):
    bo = make_person(alice, "Bo Chen")
    record_introduction(alice, ana, bo)
    signed_in.post(reverse("interactions:capture"), {"person": [bo.pk], "kind": "coffee", "when": "now"})
    [loop] = FollowUp.objects.pending().filter(kind=FollowUp.Kind.CLOSE_LOOP, person=ana)
    assert loop.reason == "Tell Ana how the conversation with Bo went"
    assert loop.due_at == NOW + timedelta(days=3)


def test_a_link_sent_from_the_person_page_goes_back_there(signed_in, alice):
    bo = make_person(alice, "Bo Chen", interests=["fintech"])
    resource, _ = save_resource(alice, "https://example.com/report", title="Fintech report", topics=["fintech"])
    back = reverse("people:detail", args=[bo.pk])
    response = signed_in.post(reverse("exchanges:send", args=[resource.pk]), {"person": [bo.pk], "next": back})
    assert response["Location"] == back
    assert Share.objects.get().person == bo
    assert "Shared with Bo Fintech report" in text_of(page(signed_in, back))


def test_today_makes_the_same_number_of_queries_for_more_people_owed_one(signed_in, alice):
    def add(i):
        person = make_person(alice, f"Person {i}")
        record_exchange(alice, person, "got", f"help {i}", on=date(2026, 11, 1 + i % 20))
        record_exchange(alice, person, "got", f"more help {i}")

    for i in range(6):  # more than Today shows, so that they are counted
        add(i)
    with CaptureQueriesContext(connection) as few:
        page(signed_in, reverse("followups:today"))
    for i in range(6, 12):
        add(i)
    with CaptureQueriesContext(connection) as many:
        text = text_of(page(signed_in, reverse("followups:today")))
    assert len(many) == len(few)
    assert "You owe them one 12" in text and "See all 12" in text


def test_a_person_page_makes_the_same_number_of_queries_for_a_longer_history(signed_in, alice):
    bo = make_person(alice, "Bo Chen", needs=["hiring a designer", "a flat", "an accountant"], interests=["fintech"])

    def add(i):
        make_person(alice, f"Designer {i}", title="Designer")
        record_exchange(alice, bo, "got", f"help {i}")
        record_ask(alice, bo, f"ask {i}")
        resource, _ = save_resource(alice, f"https://example.com/{i}", topics=["fintech"])
        share_resource(alice, resource, [bo])

    add(0)
    url = reverse("people:detail", args=[bo.pk])
    # A network read for the first time finds its ties between people once (network.ties.ensure_ties).
    page(signed_in, url)
    stamps.bump(alice.pk)  # who could meet a need is kept until a change: measure after one
    with CaptureQueriesContext(connection) as few:
        page(signed_in, url)
    for i in range(1, 10):
        add(i)
    with CaptureQueriesContext(connection) as many:
        page(signed_in, url)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as again:
        page(signed_in, url)
    assert len(again) < len(many)


# Issue 13, item 19
def test_help_received_never_glues_a_verb_to_what_the_user_wrote(signed_in, alice):
    chidi = make_person(alice, "Chidi Jensen", closeness="close")
    record_exchange(alice, chidi, "got", "recommended an accountant", kind="advice")
    for url in (reverse("followups:today"), reverse("exchanges:ledger")):
        text = text_of(page(signed_in, url))
        assert "Chidi Jensen gave you: recommended an accountant" in text
        assert "gave you recommended" not in text
    (thank,) = FollowUp.objects.for_owner(alice).filter(person=chidi, kind="thank_you")
    assert thank.reason == "Thank Chidi for their help: recommended an accountant"
    form = {"direction": "got", "person": "Chidi", "what": "reviewed my CV", "kind": "advice", "on": "today"}
    response = signed_in.post(reverse("exchanges:record"), form, follow=True)
    assert messages_of(response) == ["Recorded help from Chidi Jensen: reviewed my CV. Say thank you within a day."]


def test_the_person_page_says_who_could_use_what_they_offer(signed_in, alice):
    dee = make_person(alice, "Dee Park", offers=["product design mentoring"])
    make_person(alice, "Cy Ng", needs=["a senior designer"])
    make_person(alice, "Eve Stone", interests=["design"])
    make_person(alice, "Finn Lee", interests=["chess"])
    text = page(signed_in, reverse("people:detail", args=[dee.pk]))
    panel = text_of(text.split('id="give-and-take"', 1)[1].split("</section>", 1)[0])
    assert (
        "Who could use what Dee offers Dee offers product design mentoring: 2 you know may use it —"
        " Cy Ng (needs a senior designer), Eve Stone (interested in design)."
    ) in panel
    assert "Finn Lee" not in panel
