import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.people.merge import merge_people
from kithkin.people.models import DistinctPair, HistoryEntry, Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
HTMX = {"HTTP_HX_REQUEST": "true"}
DUPLICATES = "/people/duplicates/"


@pytest.fixture
def pair(alice):
    ana = make_person(
        alice, "Ana Ruiz", organization="Acme", title="CEO", emails=["ana@acme.example"], phones=["+34 600 123 456"]
    )
    other = make_person(alice, "Ana R.", emails=["ana.r@initech.example"], phones=["+34 600 123 456"])
    make_touch(alice, other, "call", NOW - timedelta(days=3))
    return ana, other


def merge_url(keep, drop):
    return reverse("people:merge", args=[keep.pk, drop.pk])


def distinct_url(a, b):
    return reverse("people:distinct", args=[a.pk, b.pk])


def test_the_page_shows_both_people_side_by_side_with_the_evidence(signed_in, pair):
    page = signed_in.get(DUPLICATES).content.decode()
    assert reverse("people:duplicates") == DUPLICATES
    assert "Why they may be one person" in page
    assert "Both have the phone number +34 600 12 34 56" in page
    assert "CEO at Acme" in page and "ana@acme.example" in page and "ana.r@initech.example" in page
    assert "3 days ago" in page and "never" in page  # the last touch of each, in words
    assert "1 touch<" in page and "none yet" in page  # and how many touches each has
    assert page.count(">Keep this one</a>") == 2
    assert "Not the same person" in page and "csrfmiddlewaretoken" in page


def test_no_database_id_is_shown_anywhere_a_person_reads(signed_in, pair):
    page = signed_in.get(DUPLICATES).content.decode()
    readable = re.sub(r"<[^>]*>", " ", page)  # the text, without the tags and their attributes
    assert "Ana Ruiz" in readable and "Ana R." in readable
    assert not re.search(r"#\d", readable)


def test_each_keep_button_is_named_for_its_person(signed_in, pair):
    ana, other = pair
    page = signed_in.get(DUPLICATES).content.decode()
    keep_ana = f"{merge_url(ana, other)}?next="
    keep_other = f"{merge_url(other, ana)}?next="
    assert keep_ana in page and keep_other in page
    # The accessible names differ: the visible "Keep this one" and who "this one" is.
    assert 'aria-label="Keep this one: Ana Ruiz">Keep this one' in page
    assert 'aria-label="Keep this one: Ana R.">Keep this one' in page
    # Each button follows its own person's facts: Ana's before the other's.
    assert page.index("ana@acme.example") < page.index(keep_ana) < page.index("ana.r@initech.example")
    assert page.index("ana.r@initech.example") < page.index(keep_other)


def test_people_of_one_name_are_told_apart_by_what_differs(signed_in, alice):
    make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana@acme.example"])
    make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana.ruiz@acme.example"])
    make_person(alice, "Bo Chen")
    make_person(alice, "Bo Chen")
    page = signed_in.get(DUPLICATES).content.decode()
    assert '"Keep this one: Ana Ruiz (ana@acme.example)"' in page
    assert '"Keep this one: Ana Ruiz (ana.ruiz@acme.example)"' in page
    assert '"Keep this one: Bo Chen (added first)"' in page and '"Keep this one: Bo Chen (added later)"' in page
    assert '"Not the same person: Bo Chen (added first) and Bo Chen (added later)"' in page


def test_keep_this_one_merges_the_other_into_that_person(signed_in, alice, pair):
    ana, other = pair
    page = signed_in.get(DUPLICATES).content.decode()
    keep_other = re.search(r'href="([^"]+)"[^>]*aria-label="Keep this one: Ana R\."', page)
    assert keep_other is not None
    question = signed_in.get(keep_other.group(1).replace("&amp;", "&")).content.decode()
    assert "Merge Ana Ruiz into Ana R.?" in question
    action = re.search(r'<form method="post" action="([^"]+)"', question)
    assert action is not None and action.group(1) == merge_url(other, ana)
    signed_in.post(action.group(1), {"next": DUPLICATES})
    kept = Person.objects.get(pk=other.pk)
    assert not Person.objects.filter(pk=ana.pk).exists()
    assert set(kept.emails.values_list("address", flat=True)) == {"ana@acme.example", "ana.r@initech.example"}


def test_the_people_page_links_to_the_possible_duplicates(signed_in, alice):
    make_person(alice, "Ana Ruiz")
    assert f'href="{DUPLICATES}"' in signed_in.get(reverse("people:list")).content.decode()


def test_a_network_without_duplicates_says_so(signed_in, alice):
    make_person(alice, "Ana Ruiz")
    make_person(alice, "Bo Chen")
    assert "No likely duplicates" in signed_in.get(DUPLICATES).content.decode()


def test_the_list_pages_by_fifty_pairs(signed_in, alice):
    for i in range(51):
        make_person(alice, f"Twin {i:02d}")
        make_person(alice, f"Twin {i:02d}")
    first = signed_in.get(DUPLICATES).content.decode()
    assert "1–50 of 51 pairs" in first and "Twin 49" in first and "Twin 50" not in first
    second = signed_in.get(DUPLICATES, {"page": 2}).content.decode()
    assert "Twin 50" in second and "Twin 00" not in second


def test_the_page_makes_the_same_number_of_queries_for_many_pairs(signed_in, alice):
    make_person(alice, "Ana Ruiz", emails=["a1@acme.example"], phones=["+34 600 000 001"])
    make_person(alice, "Ana Ruiz", emails=["a2@acme.example"], phones=["+34 600 000 001"])
    with CaptureQueriesContext(connection) as few:
        signed_in.get(DUPLICATES)
    for i in range(20):
        make_person(
            alice, f"Twin {i}", organization=f"Org {i}", emails=[f"t{i}a@x.example"], phones=["+1 202 555 0100"]
        )
        make_person(alice, f"Twin {i}", organization=f"Org {i}", emails=[f"t{i}b@x.example"])
    with CaptureQueriesContext(connection) as many:
        page = signed_in.get(DUPLICATES).content.decode()
    assert "Twin 19" in page
    assert len(many) == len(few)


def test_merge_asks_first_and_says_what_moves(signed_in, pair):
    ana, other = pair
    page = signed_in.get(merge_url(ana, other), {"next": f"{DUPLICATES}?page=1"}).content.decode()
    assert "Merge Ana R. into Ana Ruiz?" in page
    assert "Ana Ruiz stays." in page and "Stays" in page and "Merged in, then removed" in page
    assert "<li>1 touch</li>" in page and "<li>1 email</li>" in page
    assert f'href="{DUPLICATES}?page=1"' in page  # Cancel goes back to the same page of the list
    assert "hx-post" not in page  # the page's own form: no card to put the answer in
    assert not re.search(r"#\d", re.sub(r"<[^>]*>", " ", page))
    assert Person.objects.filter(pk=other.pk).exists()


def test_merging_redirects_to_the_kept_person_with_a_message(signed_in, alice, pair):
    ana, other = pair
    response = signed_in.post(merge_url(ana, other), {"next": DUPLICATES})
    assert response.status_code == 302 and response["Location"] == reverse("people:detail", args=[ana.pk])
    page = signed_in.get(response["Location"]).content.decode()
    assert "Merged Ana R. into Ana Ruiz." in page
    assert "ana.r@initech.example" in page
    assert not Person.objects.filter(pk=other.pk).exists()
    assert "No likely duplicates" in signed_in.get(DUPLICATES).content.decode()


def test_with_htmx_the_question_and_the_result_replace_the_pairs_card(signed_in, pair):
    ana, other = pair
    question = signed_in.get(merge_url(other, ana), **HTMX).content.decode()
    assert "<html" not in question and "Merge Ana Ruiz into Ana R.?" in question
    assert f'hx-target="#pair-{ana.pk}-{other.pk}"' in question
    done = signed_in.post(merge_url(other, ana), **HTMX).content.decode()
    assert "<html" not in done and f'id="pair-{ana.pk}-{other.pk}"' in done
    assert "Merged Ana Ruiz into Ana R.." in done
    assert not Person.objects.filter(pk=ana.pk).exists()


def test_not_the_same_person_takes_the_pair_off_the_list(signed_in, alice, pair):
    ana, other = pair
    response = signed_in.post(distinct_url(other, ana), {"next": f"{DUPLICATES}?page=2"})
    assert response["Location"] == f"{DUPLICATES}?page=2"
    assert DistinctPair.objects.for_owner(alice).filter(first=ana, second=other).exists()
    page = signed_in.get(DUPLICATES).content.decode()
    assert "Ana R. and Ana Ruiz are different people." in page and "No likely duplicates" in page


def test_not_the_same_person_with_htmx_replaces_the_row(signed_in, pair):
    ana, other = pair
    done = signed_in.post(distinct_url(ana, other), **HTMX).content.decode()
    assert "<html" not in done and f'id="pair-{ana.pk}-{other.pk}"' in done and "are different people" in done


def test_a_next_address_on_another_site_is_ignored(signed_in, pair):
    ana, other = pair
    response = signed_in.post(distinct_url(ana, other), {"next": "https://evil.example/"})
    assert response["Location"] == DUPLICATES


def test_another_users_people_are_404s_and_nothing_changes(client, alice, bob, pair):
    ana, other = pair
    bobs = make_person(bob, "Ana Ruiz")
    client.force_login(bob)
    for url in (merge_url(bobs, ana), merge_url(ana, bobs), distinct_url(bobs, other)):
        assert client.get(url).status_code in {404, 405}
        assert client.post(url).status_code == 404
    assert "Ana R." not in client.get(DUPLICATES).content.decode()
    assert Person.objects.filter(pk__in=[ana.pk, other.pk, bobs.pk]).count() == 3
    assert not DistinctPair.objects.exists()


def test_a_person_cannot_be_merged_with_themselves(signed_in, pair):
    ana, _other = pair
    assert signed_in.post(merge_url(ana, ana)).status_code == 404
    assert signed_in.post(distinct_url(ana, ana)).status_code == 404


def test_merging_and_not_the_same_person_need_a_csrf_token(alice, pair):
    ana, other = pair
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(merge_url(ana, other)).status_code == 403
    assert strict.post(distinct_url(ana, other)).status_code == 403
    assert Person.objects.filter(pk=other.pk).exists() and not DistinctPair.objects.exists()


# --- history entries in the person's timeline -----------------------------------------------------


def test_the_timeline_shows_history_entries_among_the_touches_by_date(signed_in, alice, pair):
    ana, other = pair
    make_touch(alice, ana, "coffee", NOW - timedelta(days=5))
    HistoryEntry.objects.create(
        owner=alice,
        person=ana,
        kind="imported",
        text="Added by the import of contacts.vcf",
        happened_at=NOW - timedelta(days=10),
    )
    merge_people(alice, ana, other)
    page = signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    merged = page.index(f"Merged with Ana R. (#{other.pk})")
    call, coffee = page.index('touch-kind">Call'), page.index('touch-kind">Coffee')
    imported = page.index("Added by the import of contacts.vcf")
    assert merged < call < coffee < imported
    assert 'class="history-entry"' in page


def test_history_older_than_the_touches_shown_waits_for_show_older_touches(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    for day in range(1, 23):
        make_touch(alice, ana, "call", NOW - timedelta(days=day))
    HistoryEntry.objects.create(
        owner=alice, person=ana, kind="imported", text="Old import", happened_at=NOW - timedelta(days=30)
    )
    url = reverse("people:detail", args=[ana.pk])
    assert "Old import" not in signed_in.get(url).content.decode()
    assert "Old import" in signed_in.get(url, {"touches": 70, "part": "timeline"}, **HTMX).content.decode()


def test_a_person_without_touches_still_shows_their_history(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    HistoryEntry.objects.create(
        owner=alice, person=ana, kind="imported", text="Added by the import of a.vcf", happened_at=NOW
    )
    page = signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    assert "Added by the import of a.vcf" in page and "No touches yet" in page
