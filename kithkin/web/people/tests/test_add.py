import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape, strip_tags

from kithkin.core.errors import BadInput
from kithkin.people import services
from kithkin.people.models import Email, Organization, Person
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")

ADD = reverse("people:add")
PASTE = reverse("people:paste")
CONFIRM = reverse("people:paste_confirm")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def names(owner):
    return sorted(Person.objects.for_owner(owner).values_list("full_name", flat=True))


def visible_text(html):
    return " ".join(unescape(strip_tags(html)).split())


def preview(client, text):
    response = client.post(PASTE, {"text": text})
    assert response.status_code == 200
    return response


def confirm_form(response):
    """What the preview's form would send as it stands: the text, the fingerprint, the ticked rows."""
    html = response.content.decode()
    form = html[html.index('action="' + CONFIRM) :]
    fingerprint = re.search(r'name="fingerprint" value="([^"]*)"', form).group(1)
    ticked = re.findall(r'name="add" value="(\d+)"[^>]*checked', form)
    return {"text": response.context["form"].initial["text"], "fingerprint": fingerprint, "add": ticked}


# --- the form -------------------------------------------------------------------------------


def test_the_add_page_has_the_form_the_paste_box_and_a_way_to_people_to_meet(alice_client):
    page = alice_client.get(ADD).content.decode()
    assert 'aria-current="page">People<' in page
    assert 'name="name"' in page and "autofocus" in page and 'name="text"' in page
    assert reverse("people:prospects") in page
    assert "How you met, interests and notes" in page


def test_the_form_adds_a_person_and_redirects_to_their_page(alice_client, alice):
    bo = make_person(alice, "Bo Chen")
    response = alice_client.post(
        ADD,
        {
            "name": "Ana Ruiz",
            "organization": "Acme",
            "title": "Product Lead",
            "email": "Ana@Acme.example",
            "phone": "+34 911 23 45 67",
            "circle": "former_colleague",
            "closeness": "close",
            "interests": "fintech, marathons, ",
            "met_how": "Panel at PyCon",
            "met_through": "bo chen",
            "met_on": "2026-10-01",
            "notes": "Likes **pricing** talk",
        },
    )
    ana = Person.objects.for_owner(alice).get(full_name="Ana Ruiz")
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[ana.pk])
    assert (ana.organization.name, ana.title, ana.circle, ana.closeness) == (
        "Acme",
        "Product Lead",
        "former_colleague",
        "close",
    )
    assert [e.address for e in ana.emails.all()] == ["ana@acme.example"]
    assert [p.number for p in ana.phones.all()] == ["+34911234567"]
    assert [i.text for i in ana.interests.all()] == ["fintech", "marathons"]
    assert (ana.met_how, ana.met_through, ana.met_on) == ("Panel at PyCon", bo, date(2026, 10, 1))
    assert ana.notes == "Likes **pricing** talk"
    assert "Added Ana Ruiz." in alice_client.get(response.url).content.decode()


def test_only_a_name_is_needed_and_closeness_defaults_to_active(alice_client, alice):
    alice_client.post(ADD, {"name": "Ana Ruiz", "closeness": "active"})
    ana = Person.objects.for_owner(alice).get()
    assert (ana.full_name, ana.closeness, ana.circle) == ("Ana Ruiz", "active", "")


def test_a_missing_name_is_shown_next_to_the_name_field(alice_client, alice):
    response = alice_client.post(ADD, {"name": " ", "closeness": "active"})
    assert response.status_code == 400
    assert 'id="id_name_error">Enter their name.' in response.content.decode()
    assert names(alice) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("met_on", "2030-01-01", "Tue 1 Jan 2030 is in the future. When did you meet?"),
        ("phone", "call me", "'call me' is not a phone number"),
    ],
)
def test_bad_input_from_the_service_shows_next_to_its_field_and_saves_nothing(
    alice_client, alice, field, value, message
):
    response = alice_client.post(ADD, {"name": "Ana Ruiz", "organization": "Acme", "closeness": "active", field: value})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error">{escape(message)}' in page
    assert f'id="id_{field}"' in page and "aria-invalid" in page
    assert 'value="Ana Ruiz"' in page  # the form comes back filled in
    assert names(alice) == []
    assert not Organization.objects.for_owner(alice).exists()


def test_a_mistake_among_the_optional_fields_opens_them(alice_client):
    page = alice_client.post(ADD, {"name": "Ana Ruiz", "closeness": "active", "met_on": "2030-01-01"}).content.decode()
    assert '<details class="add-more" open>' in page


def test_met_through_an_unknown_name_suggests_the_closest_next_to_the_field(alice_client, alice):
    make_person(alice, "Bo Chen")
    page = alice_client.post(
        ADD, {"name": "Ana Ruiz", "closeness": "active", "met_through": "Bo Chan"}
    ).content.decode()
    assert 'id="id_met_through_error">No person named &#x27;Bo Chan&#x27;; closest: Bo Chen' in page
    assert names(alice) == ["Bo Chen"]


def test_met_through_an_ambiguous_name_lists_whom_it_could_be(alice_client, alice):
    make_person(alice, "Bo Chen", organization="Acme")
    make_person(alice, "Bo Chen", organization="Globex")
    page = alice_client.post(
        ADD, {"name": "Ana Ruiz", "closeness": "active", "met_through": "Bo Chen"}
    ).content.decode()
    assert "is ambiguous: Bo Chen (Acme); Bo Chen (Globex)" in page and "#" not in page.split("is ambiguous")[1][:80]
    assert names(alice) == ["Bo Chen", "Bo Chen"]


# --- duplicates, one at a time ---------------------------------------------------------------


def test_an_email_that_already_belongs_to_someone_cannot_be_added_anyway(alice_client, alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    response = alice_client.post(ADD, {"name": "Ana R.", "email": "ANA@acme.example", "closeness": "active"})
    page = response.content.decode()
    assert "Already in your network" in page
    assert f'href="{reverse("people:detail", args=[ana.pk])}"' in page
    assert "same email ana@acme.example" in page
    assert "This address already belongs to Ana Ruiz." in page
    assert "Add anyway" not in page and 'name="confirm"' not in page
    assert names(alice) == ["Ana Ruiz"]


def test_a_close_name_at_the_same_organization_asks_first_and_add_anyway_adds(alice_client, alice):
    john = make_person(alice, "John Smith", organization="Acme", title="CTO")
    make_person(alice, "John Smith", organization="Globex")  # same name elsewhere: also shown
    data = {"name": "Jon Smith", "organization": "acme", "closeness": "active"}
    response = alice_client.post(ADD, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Is this someone you already have?" in page
    assert f'href="{reverse("people:detail", args=[john.pk])}"' in page
    assert "CTO at Acme" in page and "close name, also at Acme" in page
    assert "Add anyway" in page and 'value="Jon Smith"' in page
    assert names(alice) == ["John Smith", "John Smith"]

    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    response = alice_client.post(ADD, {**data, "confirm": token})
    jon = Person.objects.for_owner(alice).get(full_name="Jon Smith")
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[jon.pk])


def test_add_anyway_asks_again_when_the_changed_form_matches_someone_else(alice_client, alice):
    make_person(alice, "John Smith", organization="Acme")
    kim = make_person(alice, "Kim Park", organization="Acme")
    page = alice_client.post(ADD, {"name": "Jon Smith", "organization": "Acme", "closeness": "active"}).content.decode()
    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    again = alice_client.post(
        ADD, {"name": "Kim Park", "organization": "Acme", "closeness": "active", "confirm": token}
    )
    assert again.status_code == 200 and f'href="{reverse("people:detail", args=[kim.pk])}"' in again.content.decode()
    assert names(alice) == ["John Smith", "Kim Park"]


def test_the_same_name_ignoring_case_and_accents_is_a_possible_duplicate_anywhere(alice_client, alice):
    jose = make_person(alice, "José Núñez", organization="Globex")
    page = alice_client.post(ADD, {"name": "jose nunez", "closeness": "active"}).content.decode()
    assert "Is this someone you already have?" in page and "same name" in page
    assert f'href="{reverse("people:detail", args=[jose.pk])}"' in page


def test_different_people_at_the_same_organization_are_not_duplicates(alice_client, alice):
    make_person(alice, "Mia Lee", organization="Acme")
    make_person(alice, "Ana Diaz", organization="Acme")
    response = alice_client.post(ADD, {"name": "Mia Li", "organization": "Acme", "closeness": "active"})
    assert response.status_code == 302


# --- the duplicate finder --------------------------------------------------------------------


def test_the_paste_preview_shows_each_entry_with_its_status(alice_client, alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    sarah = make_person(alice, "Sarah Khan", emails=["sarah.khan@initech.example"])
    text = "\n".join(
        [
            'Ana R. <ana@acme.example>, "Chen, Bo" <bo@globex.example>',
            "Sara Khan <sara@initech.example>",
            "ana@",
            "dana.okafor@hooli.example",
            "Bo Chen <bo@globex.example>",
        ]
    )
    response = preview(alice_client, text)
    page = response.content.decode()
    rows = response.context["preview"].rows
    assert [(r.entry.line, r.entry.name, r.entry.email, r.status) for r in rows] == [
        (1, "Ana R.", "ana@acme.example", "in_network"),
        (1, "Bo Chen", "bo@globex.example", "new"),
        (2, "Sara Khan", "sara@initech.example", "duplicate"),
        (4, "Dana Okafor", "dana.okafor@hooli.example", "new"),
        (5, "Bo Chen", "bo@globex.example", "repeat"),
    ]

    shown = visible_text(page)
    assert "already in your network as Ana Ruiz, Acme" in shown
    assert "possible duplicate of Sarah Khan (close name, same email domain initech.example)" in shown
    assert "repeated from line 1" in shown
    assert "Line 3: 'ana@' is not an email address" in shown
    assert f'<a href="{reverse("people:detail", args=[ana.pk])}">Ana Ruiz</a>' in page
    assert f'<a href="{reverse("people:detail", args=[sarah.pk])}">Sarah Khan</a>' in page
    # Each addable row has a labelled checkbox: new ones ticked, possible duplicates not.
    assert re.search(
        r'name="add" value="1" id="add-1" checked>.*?<label for="add-1"><span class="visually-hidden">Add </span>Bo Chen</label>',
        page,
        re.S,
    )
    assert 'name="add" value="2" id="add-2">' in page
    assert 'id="add-0"' not in page  # already in the network: nothing to tick
    assert names(alice) == ["Ana Ruiz", "Sarah Khan"]


def test_the_same_name_as_someone_anywhere_is_a_possible_duplicate_in_a_paste(alice_client, alice):
    make_person(alice, "Zoë Müller", organization="Globex")
    row = preview(alice_client, "zoe muller <zoe@gmail.com>").context["preview"].rows[0]
    assert (row.status, [c.reason for c in row.candidates]) == ("duplicate", ["same name"])


def test_confirming_adds_only_the_ticked_people_and_shows_them(alice_client, alice):
    response = preview(alice_client, "Ana Ruiz <ana@acme.example>\nBo Chen <bo@globex.example>\nDana Okafor")
    data = confirm_form(response)
    assert data["add"] == ["0", "1", "2"]
    response = alice_client.post(CONFIRM, {**data, "add": ["0", "2"], "circle": "colleague", "closeness": "wider"})
    assert names(alice) == ["Ana Ruiz", "Dana Okafor"]
    added = Person.objects.for_owner(alice).order_by("full_name")
    assert {(p.circle, p.closeness) for p in added} == {("colleague", "wider")}
    assert [e.address for e in Email.objects.for_owner(alice)] == ["ana@acme.example"]

    assert response.status_code == 302 and response.url.startswith(reverse("people:added"))
    page = alice_client.get(response.url).content.decode()
    assert "Added 2 people." in page
    for person in added:
        assert f'<a href="{reverse("people:detail", args=[person.pk])}">{person.full_name}</a>' in page


def test_a_failure_while_adding_adds_no_one_and_names_the_line(alice_client, alice, monkeypatch):
    real = services.add_person

    def failing(owner, name, changes=None, **kwargs):
        if name == "Bo Chen":
            raise BadInput("phone", "'x' is not a phone number")
        return real(owner, name, changes, **kwargs)

    data = confirm_form(preview(alice_client, "Ana Ruiz <ana@acme.example>\n\nBo Chen <bo@globex.example>"))
    monkeypatch.setattr(services, "add_person", failing)
    response = alice_client.post(CONFIRM, {**data, "closeness": "active"})
    assert response.status_code == 400
    assert "Nothing was added: line 3 (Bo Chen): phone &#x27;x&#x27; is not a phone number" in response.content.decode()
    assert names(alice) == []


def test_pasting_the_same_list_again_adds_no_one_twice(alice_client, alice):
    text = "Ana Ruiz <ana@acme.example>\nBo Chen"
    data = confirm_form(preview(alice_client, text))
    assert alice_client.post(CONFIRM, {**data, "closeness": "active"}).status_code == 302
    # The same confirmation sent again (a double click, the back button) is caught...
    again = alice_client.post(CONFIRM, {**data, "closeness": "active"})
    assert again.status_code == 409 and "Nothing was added" in again.content.decode()
    # ...and the same paste shows who is in the network now, with nothing ticked.
    rows = preview(alice_client, text).context["preview"].rows
    assert [(r.status, r.candidates[0].person.full_name) for r in rows] == [
        ("in_network", "Ana Ruiz"),
        ("duplicate", "Bo Chen"),
    ]
    assert confirm_form(preview(alice_client, text))["add"] == []
    assert names(alice) == ["Ana Ruiz", "Bo Chen"]


def test_confirming_nothing_ticked_asks_to_tick_someone(alice_client, alice):
    data = confirm_form(preview(alice_client, "Ana Ruiz"))
    response = alice_client.post(CONFIRM, {**data, "add": [], "closeness": "active"})
    assert response.status_code == 400 and "Choose at least one person to add" in response.content.decode()
    assert names(alice) == []


def test_an_empty_paste_is_refused_on_the_add_page(alice_client):
    response = alice_client.post(PASTE, {"text": "  \n "})
    assert response.status_code == 400
    assert "Paste at least one name or email address." in response.content.decode()


def test_another_users_people_are_never_reported_or_linked_in_a_paste(alice_client, alice, bob):
    bobs_ana = make_person(bob, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    response = preview(alice_client, "Ana Ruiz <ana@acme.example>")
    assert [r.status for r in response.context["preview"].rows] == ["new"]
    assert reverse("people:detail", args=[bobs_ana.pk]) not in response.content.decode()
    alice_client.post(CONFIRM, {**confirm_form(response), "closeness": "active"})
    assert names(alice) == ["Ana Ruiz"] and names(bob) == ["Ana Ruiz"]


def test_the_result_page_shows_only_your_own_people(alice_client, bob):
    bobs = make_person(bob, "Secret Person")
    page = alice_client.get(reverse("people:added"), {"ids": f"{bobs.pk},x,"}).content.decode()
    assert "Secret Person" not in page and "No one to show here." in page


def test_the_paste_preview_makes_the_same_number_of_queries_for_one_line_and_thirty(alice_client, alice):
    for i in range(30):
        make_person(alice, f"Person {i}", organization=f"Org {i}", emails=[f"p{i}@org{i}.example"])

    def lines(n):
        return "\n".join(f"Person {i} <new{i}@org{i}.example>" for i in range(n))

    with CaptureQueriesContext(connection) as one:
        preview(alice_client, lines(1))
    with CaptureQueriesContext(connection) as thirty:
        rows = preview(alice_client, lines(30)).context["preview"].rows
    assert [r.status for r in rows] == ["duplicate"] * 30
    assert len(thirty) == len(one)


def test_every_form_needs_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(ADD, {"name": "Ana Ruiz", "closeness": "active"}).status_code == 403
    assert client.post(PASTE, {"text": "Ana Ruiz"}).status_code == 403
    assert client.post(CONFIRM, {"text": "Ana Ruiz", "fingerprint": "x", "add": ["0"]}).status_code == 403
    assert names(alice) == []
    assert client.get(ADD).content.decode().count('name="csrfmiddlewaretoken"') >= 3  # add, paste, sign out


def test_adding_needs_a_signed_in_user(client):
    assert client.get(ADD).status_code == 302
    assert client.post(PASTE, {"text": "Ana Ruiz"}).status_code == 302
