"""Warm paths and ties on the web: a prospect's page, an organization's page, and the forms."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from kithkin.exchanges.models import Ask, Kind
from kithkin.network.models import RecordedTie, RemovedTie, Tie
from kithkin.network.tests.test_paths import stripe_scene
from kithkin.people.models import Organization, Person, Position
from kithkin.testing import NOW, make_person


def text_of(response: object) -> str:
    """The page's text without its markup, spaces squeezed."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(html)).split())


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_a_prospects_page_shows_who_can_introduce_you_and_asking_drafts_the_message(
    signed_in: Client, alice: User
) -> None:
    ana, bo, _cy = stripe_scene(alice)

    page = text_of(signed_in.get(reverse("people:detail", args=[bo.pk])))
    assert "Who can introduce you" in page
    assert "Ana worked at Stripe with Bo Lindqvist from 2019 to 2022; you had coffee with Ana last month." in page

    response = signed_in.post(
        reverse("ties:ask"), {"introducer": ana.pk, "person": bo.pk, "why": "to learn how partnerships work"}
    )

    assert response.status_code == 200
    ask = Ask.objects.for_owner(alice).get()
    assert (ask.person, ask.kind, ask.what) == (ana, Kind.INTRO, "an introduction to Bo Lindqvist")
    bo.refresh_from_db()
    assert bo.prospect_status == Person.ProspectStatus.ASKED_FOR_INTRO
    shown = unescape(response.content.decode())
    assert 'value="Would you introduce me to Bo Lindqvist (Partnerships lead at Stripe)?"' in shown
    assert "You worked at Stripe with Bo from 2019 to 2022" in shown


def test_an_organizations_page_names_the_ways_in(signed_in: Client, alice: User) -> None:
    _ana, _bo, _cy = stripe_scene(alice)
    stripe = Organization.objects.for_owner(alice).get(name="Stripe")

    page = text_of(signed_in.get(reverse("ties:organization", args=[stripe.pk])))

    assert "Who can introduce you" in page
    assert "Ana Ruiz" in page and "Bo Lindqvist" in page
    assert "Stripe" in text_of(signed_in.get(reverse("ties:organizations") + "?q=str"))


def test_saying_who_knows_whom_and_removing_a_wrong_tie(signed_in: Client, alice: User) -> None:
    ana = make_person(alice, "Ana Ruiz")
    dee = make_person(alice, "Dee Park")

    signed_in.post(reverse("ties:knows", args=[ana.pk]), {"other": "Dee Park", "how": "rowing club"})
    assert RecordedTie.objects.for_owner(alice).get().how == "rowing club"
    assert "rowing club" in text_of(signed_in.get(reverse("people:detail", args=[ana.pk])))

    signed_in.post(reverse("ties:not_known", args=[ana.pk, dee.pk]))
    assert not Tie.objects.for_owner(alice).exists()
    assert RemovedTie.objects.for_owner(alice).count() == 1


def test_roles_are_added_with_dates_and_removed(signed_in: Client, alice: User) -> None:
    ana = make_person(alice, "Ana Ruiz")

    signed_in.post(reverse("ties:add_role", args=[ana.pk]), {"organization": "Stripe", "from": "2019", "to": "2022-06"})
    role = Position.objects.for_owner(alice).get(person=ana)
    assert (role.started_on, role.ended_on) == (date(2019, 1, 1), date(2022, 6, 30))
    response = signed_in.post(reverse("ties:add_role", args=[ana.pk]), {"organization": "Acme", "from": "June"})
    assert Position.objects.for_owner(alice).count() == 1
    assert "not a year, month or day" in text_of(signed_in.get(response["Location"]))

    signed_in.post(reverse("ties:remove_role", args=[ana.pk]), {"role": role.pk})
    assert not Position.objects.for_owner(alice).exists()


def test_another_users_people_and_organizations_are_a_404(signed_in: Client, alice: User, bob: User) -> None:
    _ana, bo, _cy = stripe_scene(bob)
    theirs = Organization.objects.for_owner(bob).get(name="Stripe")
    mine = make_person(alice, "Mia")

    assert signed_in.get(reverse("ties:organization", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("ties:knows", args=[bo.pk]), {"other": "Mia"}).status_code == 404
    assert signed_in.post(reverse("ties:not_known", args=[mine.pk, bo.pk])).status_code == 404
    assert signed_in.post(reverse("ties:ask"), {"introducer": mine.pk, "person": bo.pk, "why": "x"}).status_code == 404
    assert not Ask.objects.exists()
    assert NOW - timedelta(days=1) < NOW  # the clock is frozen for the scene's "last month"
