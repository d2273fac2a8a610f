"""A note's HTML is rendered once, when the note is saved, by every path that writes one; showing a
page never renders Markdown (issue 13, item 2: a pathological note stalled the server)."""

from datetime import timedelta

import pytest
from django.db import connection

from kithkin.core.db import insert_rows, update_rows
from kithkin.demo import build_demo_network
from kithkin.exports.backup import export_document, restore_document
from kithkin.imports.services import import_file, undo_import
from kithkin.interactions.models import Touch
from kithkin.lib import markdown
from kithkin.lib.markdown import render_markdown
from kithkin.people.merge import merge_people
from kithkin.people.models import Person
from kithkin.people.services import PersonChanges, edit_person
from kithkin.testing import NOW, make_person, make_touch, make_user

pytestmark = pytest.mark.usefixtures("frozen")
PATHOLOGICAL = "![" * 25_000  # 50 KB: the field test's note
VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEMAIL:ana@example.com\r\nNOTE:Met at **PyCon**\r\nEND:VCARD\r\n"


def html_of(obj):
    obj.refresh_from_db()
    return obj.notes_html


# Issue 13, item 2
def test_the_person_page_shows_the_notes_rendered_when_saved_and_renders_no_markdown(signed_in, alice, monkeypatch):
    ana = make_person(alice, "Ana Ruiz", notes="Likes **trail running**\n\n" + "![" * 20_000)
    make_touch(alice, ana, "coffee", NOW - timedelta(days=1), notes="Talked about _fintech_")
    monkeypatch.setattr(markdown._parser(), "render", lambda *a, **k: pytest.fail("the page rendered Markdown"))

    page = signed_in.get(f"/people/{ana.pk}/").content.decode()

    assert "Likes <strong>trail running</strong>" in page and "![![![" in page
    assert "Talked about <em>fintech</em>" in page


# Issue 13, item 2
def test_a_pathological_note_renders_in_steps_bounded_by_its_length_as_plain_text():
    for text in (PATHOLOGICAL, "[" * 50_000, "[!" * 25_000, "*a" * 25_000, "a [b](c) " * 5_000):
        rendered = markdown.render(text)
        assert rendered.steps <= markdown.STEPS_MIN + markdown.STEPS_PER_CHAR * len(text), text[:4]
    over_budget = "![" * 20_000
    rendered = markdown.render(f"*Fine*\n\n{over_budget}\n<b>bold</b>")
    assert rendered.html == f"<p><em>Fine</em></p>\n<p>{over_budget}<br>\n&lt;b&gt;bold&lt;/b&gt;</p>\n"
    too_long = "*a*\n" * (markdown.MAX_MARKDOWN_CHARS // 4 + 1)
    assert markdown.render(too_long).steps == 0 and "<em>" not in markdown.render(too_long).html


# Issue 13, item 2
def test_every_path_that_writes_a_note_keeps_its_html_in_step(alice, bob):
    ana = make_person(alice, "Ana Ruiz", notes="*one*")
    assert ana.notes_html == "<p><em>one</em></p>\n" == html_of(ana)
    edit_person(alice, ana, PersonChanges(notes="**two**"))
    assert html_of(ana) == "<p><strong>two</strong></p>\n"
    touch = make_touch(alice, ana, "coffee", NOW - timedelta(days=1), notes="`three`")
    assert html_of(touch) == "<p><code>three</code></p>\n"
    # A merge writes the dropped person's notes into the kept person's.
    twin = make_person(alice, "Ana R.", notes="_four_")
    kept = merge_people(alice, ana, twin)
    assert html_of(kept) == render_markdown(kept.notes) and "<em>four</em>" in kept.notes_html
    # Bulk writes: bulk_create, insert_rows and update_rows render what they write.
    (bulk,) = Person.objects.bulk_create(
        [Person(owner=alice, full_name="Bo", notes="*five*", created_at=NOW, updated_at=NOW)]
    )
    assert html_of(bulk) == "<p><em>five</em></p>\n"
    update_rows(Person, ["notes"], [(bulk.pk, "*six*")])
    assert html_of(bulk) == "<p><em>six</em></p>\n"
    columns = ["owner", "kind", "happened_at", "created_at", "advice", "initiated_by", "source_key", "notes"]
    insert_rows(Touch, columns, [(alice.pk, "call", NOW, NOW, "", "me", "", "*seven*")])
    assert Touch.objects.get(notes="*seven*").notes_html == "<p><em>seven</em></p>\n"
    # The demo network.
    build_demo_network(bob, people=20)
    for row in [
        *Person.objects.filter(owner=bob).exclude(notes=""),
        *Touch.objects.filter(owner=bob).exclude(notes=""),
    ]:
        assert row.notes_html == render_markdown(row.notes)


# Issue 13, item 2
def test_a_vcard_note_is_rendered_on_import_and_restored_on_undo(alice):
    ana = make_person(alice, "Ana Ruiz", emails=["ana@example.com"])
    result = import_file(alice, "vcard", VCARD, "ana.vcf")
    assert html_of(ana) == "<p>Met at <strong>PyCon</strong></p>\n"
    undo_import(alice, result.import_id)
    assert html_of(ana) == ""
    import_file(alice, "vcard", VCARD.replace(b"ana@", b"new@"), "new.vcf")
    assert Person.objects.get(emails__address="new@example.com").notes_html == "<p>Met at <strong>PyCon</strong></p>\n"


# Issue 13, item 2
@pytest.mark.django_db(transaction=connection.vendor == "sqlite")
def test_a_restore_renders_the_notes_again_and_never_takes_html_from_the_file(alice):
    ana = make_person(alice, "Ana Ruiz", notes="*mine*")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=1), notes="**ours**")
    doc = export_document(alice)
    doc["data"]["people.person"][0]["notes_html"] = "<script>alert(1)</script>"
    doc["data"]["interactions.touch"][0].pop("notes_html")  # a document from before the field
    other = make_user("other")

    restore_document(other, doc)

    assert Person.objects.get(owner=other).notes_html == "<p><em>mine</em></p>\n"
    assert Touch.objects.get(owner=other).notes_html == "<p><strong>ours</strong></p>\n"
