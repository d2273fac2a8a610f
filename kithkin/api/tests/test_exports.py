# ruff: noqa: F811  (the fixtures imported from twin are used as arguments)
"""Exports over HTTP: the same bytes as `kithkin export vcard/csv/json` and `kithkin ics`, with the
same people filter; only the token's own people."""

import json

import pytest

from kithkin.api.tests.twin import api, kithkin, owner  # noqa: F401
from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def people(owner):
    make_person(owner, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    make_person(owner, "Bo Chen", organization="Globex")


def test_people_download_as_the_cli_writes_them(api, kithkin, people):
    for fmt, path, args in (("vcard", "/exports/vcard", {}), ("csv", "/exports/csv", {"people": "org:Acme"})):
        answer = api.get(path, args)
        assert answer.status_code == 200
        assert answer["Content-Disposition"].startswith("attachment; filename=")
        code, out, _err = kithkin("export", fmt, *(["--people", "org:Acme"] if args else []))
        assert code == 0 and answer.content.decode() == out
    assert "Bo Chen" not in api.get("/exports/csv", {"people": "org:Acme"}).content.decode()
    assert api.get("/exports/vcard", {"vcard3": "true"}).content.decode().count("VERSION:3.0") == 2


def test_everything_downloads_as_the_json_document(api, kithkin, people):
    answer = api.get("/exports/json")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    document = json.loads(b"".join(answer.streaming_content))
    _code, out, _err = kithkin("export", "json")
    assert document == json.loads(out)


def test_the_calendar_downloads_and_a_bad_filter_is_refused(api, people):
    ics = api.get("/exports/ics")
    assert ics.status_code == 200 and ics.content.startswith(b"BEGIN:VCALENDAR")
    refused = api.get("/exports/csv", {"people": "closeness:bestie"})
    assert refused.status_code == 400 and refused.json()["field"]


def test_another_account_downloads_none_of_these_people(make_api, bob, people):
    theirs = make_api(bob)
    assert "Ana" not in theirs.get("/exports/vcard").content.decode()
    assert "Ana" not in theirs.get("/exports/csv").content.decode()
    assert "Ana" not in b"".join(theirs.get("/exports/json").streaming_content).decode()
