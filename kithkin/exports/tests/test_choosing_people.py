"""Who a vCard or CSV export takes: the CLI's text filter and the export page's chips are read
into one ``PeopleChoice``, and ``choose_people`` says who it takes."""

from __future__ import annotations

import pytest

from kithkin.core.errors import BadInput
from kithkin.exports.services import PeopleChoice, choose_people, parse_people_filter, select_people
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


def names(people):
    return [p.full_name for p in people]


def test_the_text_filter_reads_into_the_same_choice_the_chips_make():
    assert parse_people_filter('circle:friend prospects:no org:"Acme Iberia" ana') == PeopleChoice(
        search="ana", circles=("friend",), organization="Acme Iberia", prospects=False
    )
    assert parse_people_filter("").is_everyone and not parse_people_filter("closeness:close").is_everyone
    with pytest.raises(BadInput):
        parse_people_filter("colour:blue")


def test_a_choice_of_several_circles_takes_the_people_of_any_of_them(alice):
    make_person(alice, "Ana Ruiz", circle="friend")
    make_person(alice, "Bo Chen", circle="colleague", closeness="close")
    make_person(alice, "Cy Young", circle="family")
    make_person(alice, "Di Park", circle="friend", is_prospect=True, why="Runs the meetup")
    assert names(choose_people(alice, PeopleChoice(circles=("friend", "colleague")))) == [
        "Ana Ruiz",
        "Bo Chen",
        "Di Park",
    ]
    chosen = PeopleChoice(circles=("friend", "colleague"), closeness=("close",))
    assert names(choose_people(alice, chosen)) == ["Bo Chen"]
    assert names(choose_people(alice, PeopleChoice(circles=("friend",), prospects=False))) == ["Ana Ruiz"]
    assert list(choose_people(alice, PeopleChoice(circles=("friend",), prospects=True))) == list(
        select_people(alice, "circle:friend prospects:yes")
    )
