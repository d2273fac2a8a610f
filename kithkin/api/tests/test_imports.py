# ruff: noqa: F811  (the fixtures imported from twin are used as arguments)
"""Imports over HTTP: upload, preview, apply, undo and list, the same JSON as `kithkin import
[--dry-run] / imports / undo-import --json`; a bad file is refused naming the file, line and
column, and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kithkin.api.tests.twin import api, cli, kithkin, owner, plain  # noqa: F401
from kithkin.imports.models import Import
from kithkin.imports.services import ImportResult, preview_import
from kithkin.people.models import Person

pytestmark = pytest.mark.usefixtures("frozen")

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
LINKEDIN = (
    HEADER
    + "Ana,Ruiz,https://www.linkedin.com/in/anaruiz,,Acme,Head of Product,09 Oct 2024\n"
    + "Bo,Chen,https://www.linkedin.com/in/bochen,bo@globex.example,Globex,CFO,12 Mar 2021\n"
    + "Cy,Park,,not-an-email,Initech,Engineer,01 Jan 2019\n"
)


def upload(api, text, name="Connections.csv", **form):
    body = {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"), **form}
    return api.client.post("/api/v1/imports/uploads", body, **api._headers(None))


def test_a_file_is_uploaded_previewed_imported_listed_and_undone(api, cli, owner):
    sent = upload(api, LINKEDIN)
    assert sent.status_code == 201, sent.content
    token = sent.json()["token"]
    assert sent.json()["format"] == "linkedin" and sent.json()["file"] == "Connections.csv"
    preview = api.get(f"/imports/uploads/{token}/preview")
    assert preview.status_code == 200
    expected = ImportResult(preview_import(owner, "linkedin", LINKEDIN.encode(), "Connections.csv"), None)
    assert preview.json() == plain({**expected.to_json(), "dry_run": True})
    skipped = preview.json()["skipped"]
    assert [(s["line"], s["field"]) for s in skipped] == [(4, "Email Address")]
    assert "not-an-email" in skipped[0]["reason"]
    assert not Person.objects.exists()
    applied = api.post(f"/imports/uploads/{token}/apply", {"closeness": "wider"})
    assert applied.status_code == 201, applied.content
    import_id = applied.json()["import_id"]
    assert applied.json()["applied"]["people_created"] == 3
    assert Person.objects.filter(closeness="wider").count() == 3
    assert api.get("/imports").json() == cli("imports")
    assert api.get(f"/imports/{import_id}").json() == cli("imports")[0]
    assert api.get(f"/imports/uploads/{token}/preview").status_code == 404  # applied: forgotten
    undone = api.post(f"/imports/{import_id}/undo")
    assert undone.status_code == 200 and undone.json()["people_removed"] == 3
    assert not Person.objects.exists()


def test_a_bad_file_is_a_problem_naming_the_file_line_and_column_and_changes_nothing(api):
    refused = upload(api, LINKEDIN, format="google")
    assert refused.status_code == 400
    problem = refused.json()
    assert refused["Content-Type"] == "application/problem+json"
    assert problem["field"] == "file" and problem["file"] == "Connections.csv"
    assert problem["line"] == 1 and problem["column"] == "header"
    assert "Connections.csv, line 1, header" in problem["detail"]
    empty = upload(api, "", name="empty.csv")
    assert empty.status_code == 400 and empty.json()["file"] == "empty.csv"
    unknown = upload(api, LINKEDIN, format="spreadsheet")
    assert unknown.status_code == 400 and unknown.json()["field"] == "FORMAT"
    assert not Person.objects.exists() and not Import.objects.exists()


def test_bad_options_are_refused_and_change_nothing(api):
    token = upload(api, LINKEDIN).json()["token"]
    refused = api.post(f"/imports/uploads/{token}/apply", {"closeness": "bestie"})
    assert refused.status_code == 400 and refused.json()["field"] == "closeness"
    assert not Person.objects.exists()
    assert api.send("DELETE", f"/imports/uploads/{token}").status_code == 204
    assert api.get(f"/imports/uploads/{token}/preview").status_code == 404


def test_another_accounts_uploads_and_imports_are_not_found(make_api, bob, api):
    token = upload(api, LINKEDIN).json()["token"]
    theirs = make_api(bob)
    assert theirs.get(f"/imports/uploads/{token}/preview").status_code == 404
    assert theirs.post(f"/imports/uploads/{token}/apply", {}).status_code == 404
    import_id = api.post(f"/imports/uploads/{token}/apply", {}).json()["import_id"]
    assert theirs.get(f"/imports/{import_id}").status_code == 404
    assert theirs.post(f"/imports/{import_id}/undo").status_code == 404
    assert theirs.get("/imports").json() == []
    assert Person.objects.count() == 3


def test_a_read_only_token_cannot_upload_apply_or_undo(make_api, owner, api):
    token = upload(api, LINKEDIN).json()["token"]
    reader = make_api(owner, read_only=True)
    assert upload(reader, LINKEDIN).status_code == 403
    assert reader.get(f"/imports/uploads/{token}/preview").status_code == 200
    assert reader.post(f"/imports/uploads/{token}/apply", {}).status_code == 403
    assert not Person.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_the_limit(api, settings):
    settings.MAX_UPLOAD_MB = 1
    refused = upload(api, HEADER + "Ana,Ruiz,,,Acme,CEO,09 Oct 2024\n" * 40_000)
    assert refused.status_code == 400
    assert refused.json()["file"] == "Connections.csv" and "up to 1 MB" in refused.json()["detail"]
    assert not Person.objects.exists()
