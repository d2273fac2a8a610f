"""A birthday without a year, as the command line shows and writes it."""

from __future__ import annotations

from datetime import date

import pytest

from kithkin.accounts.services import get_or_create_local_owner
from kithkin.lib.birthdays import NO_YEAR
from kithkin.testing import make_person, run_json

pytestmark = pytest.mark.usefixtures("frozen")


# Issue 13, item 14
def test_a_birthday_without_a_year_is_shown_as_day_and_month_and_written_without_a_year(kithkin):
    owner = get_or_create_local_owner()
    make_person(owner, "Simon Perreault", birthday=date(NO_YEAR, 2, 3))
    make_person(owner, "Ana Ruiz", birthday=date(1990, 5, 3))

    code, out, _ = kithkin("show", "Simon")
    assert code == 0
    assert "3 February" in out and "1604" not in out
    assert "3 May 1990" in kithkin("show", "Ana Ruiz")[1]
    assert run_json(kithkin, "show", "Simon")["birthday"] == "--02-03"
    birthdays = {person["name"]: person["birthday"] for person in run_json(kithkin, "people")}
    assert birthdays == {"Simon Perreault": "--02-03", "Ana Ruiz": "1990-05-03"}
