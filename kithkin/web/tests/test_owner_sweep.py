"""Every URL, visited by Bob with Alice's ids: nothing of hers is shown or changed.

The routes are read from the URL configuration, so a new page is swept without being listed.
"""

from datetime import timedelta

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from kithkin.events.models import Event
from kithkin.exchanges.models import Ask, Exchange, Resource
from kithkin.exports.services import feed_token
from kithkin.followups.models import FollowUp
from kithkin.goals.models import Goal
from kithkin.imports.services import import_file, stash_upload
from kithkin.interactions.models import Touch
from kithkin.introductions.models import Introduction
from kithkin.people.models import Milestone, Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
LINKEDIN = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nSam,Secret,,sam@secret.example,,,\n"
# The calendar feed is read by calendar programs, by its secret URL: see the feed test below.
PUBLIC = {"accounts:login", "accounts:logout", "accounts:login_link", "exports:feed"}


def routes(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}", prefix + str(entry.pattern)


@pytest.fixture
def alices(alice):
    ana = make_person(alice, "Ana Secret", closeness="close", emails=["ana@secret.example"], interests=["secrets"])
    grace = make_person(alice, "Grace Hidden", is_prospect=True, why="Compilers")
    touch = make_touch(alice, ana, "coffee", NOW - timedelta(days=2), advice="Hush")
    at = {"owner": alice, "created_at": NOW}
    return {
        "people": ana.pk,
        "ledger/asks": Ask.objects.create(person=ana, what="Secret ask", asked_on=NOW.date(), **at).pk,
        "ledger/resources": Resource.objects.create(url="https://secret.example/", topics=["secrets"], **at).pk,
        "introductions": Introduction.objects.create(person_a=ana, person_b=grace, why="x", updated_at=NOW, **at).pk,
        "events": Event.objects.create(name="Secret dinner", starts_at=NOW - timedelta(days=1), **at).pk,
        "goals": Goal.objects.create(text="Secret goal", **at).pk,
        "milestones": Milestone.objects.create(person=ana, text="Secret award", happened_on=NOW.date(), **at).pk,
        "follow-ups": FollowUp.objects.filter(person=ana).first().pk,
        "touches": touch.pk,
        "other": grace.pk,  # the second person of a pair (merge, not the same person)
        "imports": import_file(alice, "linkedin", LINKEDIN, "Secret.csv").import_id,
    }


def snapshot():
    return (
        list(Person.objects.order_by("pk").values()),
        list(Touch.objects.order_by("pk").values()),
        list(FollowUp.objects.order_by("pk").values()),
        *(
            list(model.objects.order_by("pk").values())
            for model in (Ask, Exchange, Resource, Introduction, Event, Goal, Milestone)
        ),
    )


def url_with(path, alices):
    # The longest prefix that names one of Alice's objects ("ledger/asks/<int:pk>/settle/").
    kind = max((k for k in alices if path.startswith(k + "/")), key=len, default="people")
    pk = alices[kind]
    path = path.replace("<int:pk>", str(pk)).replace("<int:other>", str(alices["other"]))
    path = path.replace("<int:person_pk>", str(alices["people"]))
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
        if "<int:pk>" not in path and "<int:person_pk>" not in path:
            continue
        url = url_with(path, alices)
        form = {"name": "Hacked", "status": "met", "until": "tomorrow", "reason": "x", "when": "tomorrow"}
        codes = {client.get(url).status_code, client.post(url, form).status_code}
        # A method the page does not take is refused before any look-up, which reveals nothing.
        assert 404 in codes and codes <= {404, 405}, (name, codes)
        swept += 1
    assert swept >= 29
    assert snapshot() == before


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
        body = client.get(url).content.decode()
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
