"""The issue's three people, shared by the strength, Rekindle and command-line tests."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User

from kithkin.people.models import Person
from kithkin.testing import NOW, make_person, make_touch


def three_ties(owner: User) -> tuple[Person, Person, Person]:
    """A close friend with a coffee every two weeks for a year, then four months of nothing; a
    colleague with a monthly call up to last week; an acquaintance met once two years ago."""
    friend = make_person(owner, "Fran Ortega", circle="friend")
    colleague = make_person(owner, "Cole Baptiste", circle="colleague")
    acquaintance = make_person(owner, "Aki Tanaka", closeness="acquaintance")
    last_coffee = NOW - timedelta(days=122)
    for k in range(26):
        make_touch(owner, friend, "coffee", last_coffee - timedelta(days=14 * k))
    for k in range(12):
        make_touch(owner, colleague, "call", NOW - timedelta(days=7 + 30 * k))
    make_touch(owner, acquaintance, "event", NOW - timedelta(days=730))
    return friend, colleague, acquaintance
