"""Internationalised email addresses (SMTPUTF8) on the command line."""

from __future__ import annotations

import pytest

from kithkin.testing import run_json

pytestmark = pytest.mark.usefixtures("frozen")


# Issue 13, item 15
def test_an_internationalised_address_is_added_and_found_in_either_form_of_its_domain(kithkin):
    added = run_json(kithkin, "add", "Søren Lefèvre", "--email", "søren.lefevre@xn--bcher-kva.de")
    assert added["emails"] == ["søren.lefevre@bücher.de"]

    assert run_json(kithkin, "show", "Søren.Lefevre@Bücher.de")["id"] == added["id"]
    assert run_json(kithkin, "show", "søren.lefevre@xn--bcher-kva.de")["id"] == added["id"]
    code, _, err = kithkin("add", "Bo", "--email", "bo@@example.com")
    assert code == 1 and "--email" in err and "is not an email address" in err
