"""A small network for the API's tests: people, touches, follow-ups, a warm path, a suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User

from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder
from kithkin.interactions.models import Touch
from kithkin.people.models import Person
from kithkin.people.services import add_role, want_to_meet
from kithkin.testing import NOW, make_person, make_touch


@dataclass
class Scene:
    ana: Person
    bo: Person
    cy: Person
    dee: Person
    touch: Touch
    thank_you: FollowUp


def small_network(owner: User) -> Scene:
    """You know Ana well (coffees, the last a week ago: a thank-you is due); Ana worked at Stripe
    with Bo, whom you want to meet; Cy needs a designer and Dee offers design mentoring; Cy, a friend
    called every other week until four months ago, has been quiet since."""
    ana = make_person(owner, "Ana Ruiz", closeness="close", emails=["ana@acme.example"], interests=["fintech"])
    for k in range(1, 6):
        make_touch(owner, ana, "coffee", NOW - timedelta(days=30 + 60 * k))
    touch = make_touch(owner, ana, "coffee", NOW - timedelta(days=7), advice="read Shape Up")
    bo = want_to_meet(owner, "Bo Lindqvist", "runs payments partnerships")
    add_role(owner, ana, "Stripe", title="Engineer", started_on=date(2019, 1, 1), ended_on=date(2022, 12, 31), now=NOW)
    add_role(owner, bo, "Stripe", title="Partnerships lead", started_on=date(2018, 5, 1), now=NOW)
    cy = make_person(owner, "Cy Ng", circle="friend", needs=["a senior designer"])
    for k in range(20):
        make_touch(owner, cy, "call", NOW - timedelta(days=122 + 14 * k))
    dee = make_person(owner, "Dee Park", offers=["product design mentoring"])
    # Outside a test's transaction (a live server's tests), what runs after the commit may have
    # settled the thank-you already: a reminder stands in for it.
    thank_you = FollowUp.objects.for_owner(owner).filter(
        touch=touch, kind=FollowUp.Kind.THANK_YOU, status=FollowUp.Status.OPEN
    ).first() or add_reminder(owner, ana, "Send Ana the pricing article", NOW + timedelta(days=1), now=NOW)
    return Scene(ana, bo, cy, dee, touch, thank_you)
