"""The introductions pages, the Today and person-page panels, and their query counts."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.accounts.models import Profile
from kithkin.introductions.models import Introduction
from kithkin.introductions.services import propose_introduction, step_introduction
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def pair(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    bo = make_person(alice, "Bo Chen", emails=["bo@globex.example"])
    return ana, bo


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_proposing_with_picked_people_opens_the_introduction_with_the_message_to_a(signed_in, alice, pair):
    ana, bo = pair
    response = signed_in.post(reverse("introductions:list"), {"a": ana.pk, "b": bo.pk, "why": "Bo is hiring"})
    intro = Introduction.objects.get(owner=alice)
    assert response["Location"] == reverse("introductions:detail", args=[intro.pk])
    body = page(signed_in, response["Location"])
    assert "Proposed introducing Ana Ruiz to Bo Chen. First, ask Ana." in body
    assert "The message to Ana" in body
    assert 'value="Would you like to meet Bo Chen?"' in body
    assert (
        'href="mailto:ana@acme.example?subject=Would%20you%20like%20to%20meet%20Bo%20Chen%3F&body=Hi%20Ana'
        in html.unescape(body)
    )
    assert 'data-copy="draft-body"' in body
    assert ">I asked Ana</button>" in body


def test_typed_names_work_without_javascript(signed_in, alice, pair):
    signed_in.post(reverse("introductions:list"), {"a_name": "ana ru", "b_name": "bo@globex.example", "why": "x"})
    intro = Introduction.objects.get(owner=alice)
    assert (intro.person_a, intro.person_b) == pair


def test_a_refused_proposal_says_why_beside_the_field_and_keeps_the_picks(signed_in, alice, pair):
    ana, _bo = pair
    response = signed_in.post(reverse("introductions:list"), {"a": ana.pk, "b_name": "Zed", "why": "x"})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "No person named 'Zed'" in body and 'id="id_b_error"' in body
    assert f'name="a" value="{ana.pk}"' in body
    response = signed_in.post(reverse("introductions:list"), {"a": ana.pk, "b_new": "Zed New", "why": "x"})
    assert "Zed New is not in your network yet" in html.unescape(response.content.decode())
    response = signed_in.post(reverse("introductions:list"), {"a": ana.pk, "b": ana.pk, "why": "x"})
    assert "Choose two different people" in response.content.decode()
    assert not Introduction.objects.exists()


def test_someone_elses_person_cannot_be_picked(signed_in, bob, pair):
    stranger = make_person(bob, "Sam Stranger")
    response = signed_in.post(reverse("introductions:list"), {"a": pair[0].pk, "b": stranger.pk, "why": "x"})
    assert response.status_code == 400 and "No such person" in response.content.decode()
    assert "Sam Stranger" not in response.content.decode()


def test_the_list_groups_introductions_by_state_with_the_next_step_on_each(signed_in, alice, pair):
    ana, bo = pair
    cy = make_person(alice, "Cy Park")
    waiting = propose_introduction(alice, ana, bo, "Bo is hiring")
    step_introduction(alice, waiting, "ask-a")
    propose_introduction(alice, cy, ana, "Both run marathons")
    closed = propose_introduction(alice, cy, bo, "Old idea")
    step_introduction(alice, closed, "drop")
    body = page(signed_in, reverse("introductions:list"))
    assert body.index("Proposed: ask A") < body.index("Waiting for A's answer") < body.index("Closed")
    assert "Ask Cy whether they would like to meet Ana" in body
    assert ">Ana said yes</button>" in body and ">I asked Cy</button>" in body
    assert "Dropped: 1" in body
    only = page(signed_in, reverse("introductions:list"), state="asked_a")
    assert "Ana Ruiz" in only and "Cy Park" not in only


def test_a_step_taken_in_place_returns_the_row_with_what_it_did(signed_in, alice, pair):
    intro = propose_introduction(alice, *pair, "Bo is hiring")
    url = reverse("introductions:step", args=[intro.pk])
    response = signed_in.post(url, {"action": "ask-a"}, headers={"HX-Request": "true"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200 and body.lstrip().startswith('<li class="intro-row acted"')
    assert "Asked Ana. If there is no answer, Kithkin reminds you to nudge them on Fri 27 Nov." in body
    assert ">Ana said yes</button>" in body and "autofocus" in body
    refused = signed_in.post(url, {"action": "introduce"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert "This introduction is 'asked A': next is a-yes, a-no or drop." in html.unescape(refused.content.decode())


def test_a_plain_form_step_goes_back_where_it_came_from_but_never_off_site(signed_in, alice, pair):
    intro = propose_introduction(alice, *pair, "Bo is hiring")
    url = reverse("introductions:step", args=[intro.pk])
    back = signed_in.post(url, {"action": "ask-a", "next": "/introductions/?state=asked_a"})
    assert back["Location"] == "/introductions/?state=asked_a"
    away = signed_in.post(url, {"action": "a-yes", "next": "https://evil.example/"})
    assert away["Location"] == reverse("introductions:detail", args=[intro.pk])
    assert Introduction.objects.get(pk=intro.pk).state == "a_agreed"


def test_the_outcome_is_recorded_from_the_detail_page(signed_in, alice, pair):
    intro = propose_introduction(alice, *pair, "Bo is hiring")
    for action in ("ask-a", "a-yes", "ask-b", "b-yes", "introduce"):
        step_introduction(alice, intro, action)
    detail = reverse("introductions:detail", args=[intro.pk])
    body = page(signed_in, detail)
    assert "How did it go?" in body and "Recorded as gives" in body and "Introduction to Bo Chen" in body
    assert "Ask Ana how meeting Bo went" in body  # its follow-ups, with Done / Snooze / Skip
    response = signed_in.post(
        reverse("introductions:step", args=[intro.pk]), {"action": "outcome", "text": "", "next": detail}
    )
    assert response["Location"] == detail
    assert "Say how it went" in page(signed_in, detail)
    signed_in.post(reverse("introductions:step", args=[intro.pk]), {"action": "outcome", "text": "Bo hired Ana"})
    body = page(signed_in, detail)
    assert "Where it ended" in body and ">Bo hired Ana</blockquote>" in body


def test_someone_elses_introduction_is_not_found_and_cannot_be_stepped(client, bob, alice, pair):
    intro = propose_introduction(alice, *pair, "Bo is hiring")
    client.force_login(bob)
    assert client.get(reverse("introductions:detail", args=[intro.pk])).status_code == 404
    step_url = reverse("introductions:step", args=[intro.pk])
    assert client.post(step_url, {"action": "ask-a"}).status_code == 404
    assert client.post(step_url, {"action": "ask-a"}, headers={"HX-Request": "true"}).status_code == 404
    assert "Ana Ruiz" not in client.get(reverse("introductions:list")).content.decode()
    assert Introduction.objects.get(pk=intro.pk).state == "proposed"


def test_the_templates_page_saves_the_wording_and_refuses_an_unknown_placeholder(signed_in, alice):
    url = reverse("introductions:templates")
    body = page(signed_in, url)
    assert "Would you like to meet {b}?" in body and "{a_first}" in body
    bad = signed_in.post(
        url, {"intro_ask_a_template": "Hi {a_frist}", "intro_ask_b_template": "", "intro_email_template": ""}
    )
    assert bad.status_code == 400
    assert "Unknown placeholder {a_frist}" in html.unescape(bad.content.decode())
    assert Profile.objects.get(owner=alice).intro_ask_a_template == ""
    good = signed_in.post(
        url, {"intro_ask_a_template": "Hi {a_first}", "intro_ask_b_template": "", "intro_email_template": ""}
    )
    assert good["Location"] == url
    assert Profile.objects.get(owner=alice).intro_ask_a_template == "Hi {a_first}"


def test_today_lists_the_steps_waiting_for_the_user(signed_in, alice, pair):
    ana, bo = pair
    assert "All introductions" not in page(signed_in, reverse("followups:today"))
    cy = make_person(alice, "Cy Park")
    propose_introduction(alice, ana, bo, "x")
    waiting = propose_introduction(alice, cy, bo, "y")
    step_introduction(alice, waiting, "ask-a")
    body = page(signed_in, reverse("followups:today"))
    assert "1 ready for your next step" in body
    assert "Ask Ana whether they would like to meet Bo" in body
    assert "1 waiting for an answer" in body


def test_a_persons_page_lists_the_introductions_they_are_part_of(signed_in, alice, pair):
    ana, bo = pair
    assert "Introduce Ana to someone" not in page(signed_in, reverse("people:detail", args=[ana.pk]))
    propose_introduction(alice, ana, bo, "x")
    body = page(signed_in, reverse("people:detail", args=[bo.pk]))
    assert "With Ana Ruiz" in body and "Ask Ana whether they would like to meet Bo" in body


def many(alice, count, start=0):
    for i in range(start, start + count):
        a, b = make_person(alice, f"A{i} Person"), make_person(alice, f"B{i} Person", emails=[f"b{i}@x.example"])
        intro = propose_introduction(alice, a, b, "why")
        for action in ("ask-a", "a-yes", "ask-b", "b-yes", "introduce")[: i % 6]:
            step_introduction(alice, intro, action)
        if i % 7 == 6:
            step_introduction(alice, intro, "drop")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_make_the_same_number_of_queries_with_more_introductions(signed_in, alice):
    many(alice, 7)
    person = make_person(alice, "Hub Person")
    propose_introduction(alice, person, make_person(alice, "Other One"), "x")
    intro = Introduction.objects.filter(state="introduced").first()
    urls = [
        reverse("introductions:list"),
        reverse("introductions:list") + "?state=proposed",
        reverse("followups:today"),
        reverse("people:detail", args=[person.pk]),
        reverse("introductions:detail", args=[intro.pk]),
    ]
    # A network read for the first time finds its ties between people once (network.ties.ensure_ties).
    signed_in.get(reverse("people:detail", args=[person.pk]))
    few = [count_queries(signed_in, url) for url in urls]
    many(alice, 21, start=7)
    for i in range(12):
        propose_introduction(alice, person, make_person(alice, f"Friend {i}"), "x")
    assert [count_queries(signed_in, url) for url in urls] == few
