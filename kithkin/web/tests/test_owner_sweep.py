"""Every URL, visited by Bob with Alice's ids: nothing of hers is shown or changed.

Her ids go into the path, and into every query string and form body, in each field of the web
face that names an object by id or by "#id or name". The routes are read from the URL
configuration and the models from the app registry, so a new page or owned model is swept
without being listed.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from kithkin.accounts.tokens import create_token
from kithkin.capture.models import Source
from kithkin.capture.secrets import seal
from kithkin.core.models import Owned
from kithkin.events.models import Event
from kithkin.exchanges.models import Ask, Resource
from kithkin.exports.services import feed_token
from kithkin.followups.models import FollowUp
from kithkin.goals.models import Goal
from kithkin.imports.services import import_file, stash_upload
from kithkin.introductions.models import Introduction
from kithkin.people.models import Milestone, Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
LINKEDIN = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nSam,Secret,,sam@secret.example,,,\n"
# The calendar feed is read by calendar programs, by its secret URL: see the feed test below. The
# digest's one-click "turn it off" link is opened from the email, by its signed token
# (kithkin/web/accounts/tests/test_digest_off.py).
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:login_link",
    "accounts:invite_link",
    "accounts:reset_link",
    "accounts:signup",
    "accounts:forgot_password",
    "accounts:digest_off",
    "exports:feed",
}


def routes(patterns=None, prefix="", namespace=""):
    """The web face's pages (the HTTP API's routes have their own sweep: kithkin/api/tests)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name != "api_no_such_route":
            yield f"{namespace}:{entry.name}", prefix + str(entry.pattern)


def a_network(owner, first, second, word, csv):
    """A little of everything, named so that it can be told apart in a page: the ids of one
    object of each kind, keyed by the URL prefix that names it."""
    site = f"{word.lower()}.example"
    ana = make_person(owner, first, closeness="close", emails=[f"ana@{site}"], interests=[f"{word.lower()}s"])
    grace = make_person(owner, second, is_prospect=True, why="Compilers")
    touch = make_touch(owner, ana, "coffee", NOW - timedelta(days=2), advice="Hush")
    at = {"owner": owner, "created_at": NOW}
    return {
        "people": ana.pk,
        "ledger/asks": Ask.objects.create(person=ana, what=f"{word} ask", asked_on=NOW.date(), **at).pk,
        "ledger/resources": Resource.objects.create(url=f"https://{site}/", topics=[f"{word.lower()}s"], **at).pk,
        "introductions": Introduction.objects.create(person_a=ana, person_b=grace, why="x", updated_at=NOW, **at).pk,
        "events": Event.objects.create(name=f"{word} dinner", starts_at=NOW - timedelta(days=1), **at).pk,
        "goals": Goal.objects.create(text=f"{word} goal", **at).pk,
        "milestones": Milestone.objects.create(person=ana, text=f"{word} award", happened_on=NOW.date(), **at).pk,
        "follow-ups": FollowUp.objects.filter(person=ana).first().pk,
        "touches": touch.pk,
        "other": grace.pk,  # the second person of a pair (merge, not the same person)
        "imports": import_file(owner, "linkedin", csv, f"{word}.csv").import_id,
        "accounts/settings/tokens": create_token(owner, f"{word} token").token.pk,
        # Nothing answers there: a sync of it fails at once, in one line, and changes nothing else.
        "connections/calendars": Source.objects.create(
            kind="calendar", name=f"{site} (…{word[:4]})", secret=seal("http://127.0.0.1:9/x.ics"), **at
        ).pk,
        # A mailbox on a port nothing listens on, likewise.
        "connections/mail": Source.objects.create(
            kind="mail",
            name=f"{word.lower()} on 127.0.0.1",
            host="127.0.0.1",
            port=9,
            security="plain",
            username=word.lower(),
            secret=seal("x"),
            **at,
        ).pk,
        # An address book on a port nothing listens on: a sync or preview fails at once.
        "connections/addressbooks": Source.objects.create(
            owner=owner,
            kind=Source.Kind.CARDDAV,
            name=f"{word} book",
            url="http://127.0.0.1:1/",
            secret=seal("x"),
            created_at=NOW,
        ).pk,
    }


@pytest.fixture
def alices(alice):
    return a_network(alice, "Ana Secret", "Grace Hidden", "Secret", LINKEDIN)


@pytest.fixture
def bobs(bob):
    return a_network(
        bob, "Bo Plain", "Cy Open", "Plain", LINKEDIN.replace(b"Secret", b"Plain").replace(b"secret", b"plain")
    )


def owned_models():
    return [model for model in apps.get_models() if issubclass(model, Owned)]


def snapshot(owner=None):
    """Every row of every owned model (``owner``'s only, if given)."""
    rows = {}
    for model in owned_models():
        found = model._default_manager.order_by("pk")
        rows[model._meta.label] = list((found.filter(owner=owner) if owner else found).values())
    return rows


def url_with(path, alices):
    # The longest prefix that names one of Alice's objects ("ledger/asks/<id:pk>/settle/").
    kind = max((k for k in alices if path.startswith(k + "/")), key=len, default="people")
    pk = alices[kind]
    path = path.replace("<id:pk>", str(pk)).replace("<id:other>", str(alices["other"]))
    path = path.replace("<id:person_pk>", str(alices["people"]))
    return "/" + path.replace("<slug:section>", "about").replace("<str:token>", "x")


def test_every_page_asks_a_stranger_to_sign_in(client, alices):
    for name, path in routes():
        if name in PUBLIC:
            continue
        response = client.get(url_with(path, alices))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_bob_gets_404s_for_alices_objects_and_changes_nothing(client, bob, alices):
    client.force_login(bob)
    before = snapshot()
    swept = 0
    for name, path in routes():
        if "<id:pk>" not in path and "<id:person_pk>" not in path:
            continue
        url = url_with(path, alices)
        form = {"name": "Hacked", "status": "met", "until": "tomorrow", "reason": "x", "when": "tomorrow"}
        codes = {client.get(url).status_code, client.post(url, form).status_code}
        # A method the page does not take is refused before any look-up, which reveals nothing.
        assert 404 in codes and codes <= {404, 405}, (name, codes)
        swept += 1
    assert swept >= 29
    assert snapshot() == before


def alices_ids_in_every_field(alices, kind):
    """A query string or form body that names Alice's objects in every field of the web face
    that takes an id or an "#id or name" (read from kithkin/web's forms, views and templates:
    the people pickers' hidden inputs, the bulk edit, the ledger, the introductions...), with
    enough of the rest filled in that a form gets as far as looking them up."""
    person, other = alices["people"], alices["other"]
    ref = f"#{person}"
    return {
        # By id.
        "person": [person, other],
        "person_id": person,
        "a": person,
        "b": other,
        "ids": [person, other],
        "page_ids": [person, other],
        "with": [person],
        "exclude": [person],
        "add": [person],
        "keep": person,
        "drop": other,
        "other": other,
        "settles": alices["ledger/asks"],
        "resource": alices["ledger/resources"],
        "introduction": alices["introductions"],
        "event": alices["events"],
        "goal": alices["goals"],
        "milestone": alices["milestones"],
        "follow_up": alices["follow-ups"],
        "touch": alices["touches"],
        "import": alices["imports"],
        # By "#id or name".
        "to": ref,
        "to_person": ref,
        "others": ref,
        "met_through": ref,
        "introduced_by": ref,
        "a_name": ref,
        "b_name": ref,
        "people": ref,
        "hopes": ref,
        "names": ref,
        # The rest of the forms.
        "kind": kind,
        "direction": "gave",
        "what": "A hand",
        "name": "Bob's pick",
        "why": "To meet",
        "text": "Notes",
        "when": "yesterday",
        "on": "2026-11-20",
        "until": "tomorrow",
        "reason": "Call back",
        "status": "met",
        "action": "ask-a",
        "url": "https://plain.example/shared",
        "message": "Hi {name}",
        "verdict": "Good",
        "worth": "yes",
        "organizations": "Acme",
    }


def body_of(response):
    if response.streaming:
        # Read to the end, the test client closes the response (as a WSGI server would).
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


# Routes that undo or remove what the others look at go last, so that the rest still find Bob's objects.
LAST = ("delete", "merge", "undo", "distinct", "done", "skip", "revoke")


def test_bob_sending_alices_ids_in_query_strings_and_form_bodies_sees_and_changes_nothing_of_hers(
    client, alice, bob, alices, bobs
):
    client.force_login(bob)
    before = snapshot(owner=alice)
    swept = 0
    sent = sorted(
        ((name, url_with(path, bobs)) for name, path in routes() if name not in PUBLIC),
        key=lambda route: any(word in route[1] for word in LAST),
    )
    for method, kind in (("get", "advice"), ("post", "advice"), ("post", "coffee")):
        for name, url in sent:
            response = getattr(client, method)(url, alices_ids_in_every_field(alices, kind))
            # A page, a redirect, or a refusal (a form error, a 404, a method not taken): never a 500.
            code = response.status_code
            assert code in {200, 302} or 400 <= code < 500, (method, name, code)
            body = body_of(response)
            assert "Secret" not in body and "Hidden" not in body and "secret.example" not in body, (method, name)
            swept += 1
    assert swept >= 3 * 60
    assert snapshot(owner=alice) == before


def test_no_page_shows_bob_anything_of_alices_by_her_ids(client, bob, alices):
    client.force_login(bob)
    ids = f"{alices['people']}"
    pages = [
        "/",
        "/people/?q=secret",
        "/people/?interest=secrets",
        "/people/want-to-meet/",
        "/imports/",
        "/exports/",
        "/exports/vcard/",
        "/exports/csv/",
        "/exports/json/",  # the backup streams: kithkin/exports/tests/test_views.py checks it
        "/people/duplicates/",
        f"/people/add/added/?ids={ids}",
        f"/touches/capture/?with={ids}",
        "/people/suggest/?q=ana",
        "/follow-ups/?kind=thank_you",
    ]
    for url in pages:
        response = client.get(url)
        # A download (the JSON backup) is a file response, read as it streams.
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert "Secret" not in body and "Hidden" not in body and "secret.example" not in body, url


def test_bob_cannot_use_alices_upload_or_read_her_feed_without_its_secret(client, bob, alice):
    token = stash_upload(alice, LINKEDIN, "Secret.csv", "linkedin")
    client.force_login(bob)
    for url in (f"/imports/preview/{token}/", f"/imports/preview/{token}/import/", f"/imports/preview/{token}/cancel/"):
        codes = {client.get(url).status_code, client.post(url, {"closeness": "close"}).status_code}
        assert 404 in codes and codes <= {404, 405}, (url, codes)
    assert Person.objects.count() == 0
    feed = feed_token(alice)
    assert client.get(f"/feed/{feed[:-1]}.ics").status_code == 404
    assert client.get(f"/feed/{feed}.ics").status_code == 200
