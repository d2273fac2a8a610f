from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from kithkin.core.errors import BadInput, NotFound
from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.people import merge
from kithkin.people.duplicates import fold_name, is_close_name
from kithkin.people.merge import (
    GENERIC_RELATIONS,
    HANDLED_RELATIONS,
    find_duplicate_pairs,
    mark_distinct,
    merge_people,
    person_relations,
    preview_merge,
    relation_label,
    scan_duplicate_pairs,
    tell_apart,
)
from kithkin.people.models import (
    DistinctPair,
    Email,
    HistoryEntry,
    Interest,
    Link,
    Need,
    Offer,
    Person,
    Phone,
    Position,
)
from kithkin.people.services import PersonChanges, edit_person, search_people
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def evidence_between(owner, a, b):
    for pair in find_duplicate_pairs(owner):
        if {pair.first.pk, pair.second.pk} == {a.pk, b.pk}:
            return pair.evidence
    return None


# --- finding likely duplicates ------------------------------------------------------------------


def test_a_shared_phone_number_is_evidence_written_as_a_person_reads_it(alice):
    ana = make_person(alice, "Ana Ruiz", phones=["+34 600 123 456"])
    other = make_person(alice, "A. Ruiz Soto", phones=["+34600123456"])
    assert evidence_between(alice, ana, other) == ["Both have the phone number +34 600 12 34 56"]


def test_a_shared_linkedin_profile_is_the_strongest_evidence(alice):
    ana = make_person(alice, "Ana Ruiz", links=["https://www.linkedin.com/in/anaruiz/"])
    other = make_person(alice, "Ana R.", links=["linkedin.com/in/anaruiz"], phones=["+34 600 123 456"])
    make_person(alice, "Someone Else", phones=["+34 600 123 456"])
    pairs = find_duplicate_pairs(alice)
    assert pairs[0].evidence[0] == "Both have the LinkedIn profile linkedin.com/in/anaruiz"
    assert {pairs[0].first.pk, pairs[0].second.pk} == {ana.pk, other.pk}


def test_the_first_of_a_pair_has_the_smaller_id(alice):
    ana = make_person(alice, "Ana Ruiz")
    later = make_person(alice, "Ana Ruiz")
    (pair,) = find_duplicate_pairs(alice)
    assert (pair.first.pk, pair.second.pk) == (ana.pk, later.pk)


def test_the_same_name_alone_counts_but_ranks_below_a_shared_phone(alice):
    make_person(alice, "Ana Ruiz")
    make_person(alice, "Ana Ruiz")
    make_person(alice, "Bo Chen", phones=["+34 600 123 456"])
    make_person(alice, "Dana Park", phones=["+34 600 123 456"])
    pairs = find_duplicate_pairs(alice)
    assert [p.evidence for p in pairs] == [["Both have the phone number +34 600 12 34 56"], ["Same name"]]
    assert pairs[0].score > pairs[1].score


def test_a_household_phone_ranks_below_the_same_name_at_work(alice):
    make_person(alice, "Bo Chen", phones=["+34 600 123 456"])
    make_person(alice, "Dana Park", phones=["+34 600 123 456"])
    make_person(alice, "Ana Ruiz", organization="Acme")
    make_person(alice, "Ana Ruiz", organization="Acme")
    pairs = find_duplicate_pairs(alice)
    assert [p.evidence for p in pairs] == [["Same name, both at Acme"], ["Both have the phone number +34 600 12 34 56"]]


def test_the_same_name_at_different_organizations_is_shown_last(alice):
    make_person(alice, "Ana Ruiz", organization="Acme")
    make_person(alice, "Ana Ruiz", organization="Initech")
    make_person(alice, "Bo Chen")
    make_person(alice, "Bo Chen")
    pairs = find_duplicate_pairs(alice)
    assert [p.evidence for p in pairs] == [
        ["Same name"],
        ["Same name, but at different organizations (Acme and Initech)"],
    ]


def test_the_same_name_written_with_and_without_accents_is_the_same_name(alice):
    jose = make_person(alice, "José Núñez")
    other = make_person(alice, "Jose Nunez")
    assert evidence_between(alice, jose, other) == ["Same name (José Núñez and Jose Nunez)"]


def test_a_name_in_another_order_is_the_same_name(alice):
    wei = make_person(alice, "Chen Wei", phones=["+86 138 0013 8000"])
    other = make_person(alice, "Wei Chen", phones=["+86 138 0013 8000"])
    assert evidence_between(alice, wei, other) == [
        "Both have the phone number +86 138 0013 8000",
        "Same name in another order (Chen Wei and Wei Chen)",
    ]


def test_close_names_at_the_same_organization_are_a_pair(alice):
    jon = make_person(alice, "Jon Smith", organization="Acme")
    john = make_person(alice, "John Smith", organization="acme")
    make_person(alice, "Jane Smythe", organization="Acme")
    assert evidence_between(alice, jon, john) == ["Similar names (Jon Smith and John Smith), both at Acme"]
    assert len(find_duplicate_pairs(alice)) == 1


def test_a_name_with_a_middle_name_is_close_to_the_name_without_it(alice):
    ana = make_person(alice, "Ana Ruiz", organization="Acme")
    full = make_person(alice, "Ana María Ruiz", organization="Acme")
    assert evidence_between(alice, ana, full) == ["Similar names (Ana Ruiz and Ana María Ruiz), both at Acme"]


def test_close_names_with_addresses_at_the_same_domain_are_a_pair(alice):
    sara = make_person(alice, "Sara Khan", emails=["sara@initech.example"])
    sarah = make_person(alice, "Sarah Khan", emails=["skhan@initech.example"])
    assert evidence_between(alice, sara, sarah) == [
        "Similar names (Sara Khan and Sarah Khan), both with an address at initech.example"
    ]


def test_close_names_with_nothing_else_in_common_are_not_a_pair(alice):
    make_person(alice, "Jon Smith", emails=["jon@gmail.com"])
    make_person(alice, "John Smith", emails=["john@gmail.com"])
    assert find_duplicate_pairs(alice) == []


def test_two_people_are_told_apart_by_name_then_by_a_detail_only_one_has(alice):
    assert tell_apart(make_person(alice, "Ana Ruiz", organization="Acme"), make_person(alice, "Ana R.")) == (
        "Ana Ruiz",
        "Ana R.",
    )
    at_acme = make_person(alice, "Chloe Smith", organization="Acme")
    by_mail = make_person(alice, "Chloe Smith", emails=["chloe@mail.example"])
    assert tell_apart(at_acme, by_mail) == ("Chloe Smith (Acme)", "Chloe Smith (chloe@mail.example)")
    one = make_person(alice, "Bo Chen", organization="Acme", phones=["+34 600 123 456"])
    two = make_person(alice, "Bo Chen", organization="acme")
    assert tell_apart(two, one) == ("Bo Chen (added later)", "Bo Chen (+34 600 12 34 56)")


def test_a_switchboard_number_many_people_share_is_not_evidence(alice):
    for name in ["Ana Ruiz", "Bo Chen", "Chidi Okafor", "Dana Park", "Elif Kaya"]:
        make_person(alice, name, phones=["+34 911 000 000"])
    assert find_duplicate_pairs(alice) == []


def test_pairs_never_cross_owners(alice, bob):
    make_person(alice, "Ana Ruiz", phones=["+34 600 123 456"])
    make_person(bob, "Ana Ruiz", phones=["+34 600 123 456"])
    assert find_duplicate_pairs(alice) == [] and find_duplicate_pairs(bob) == []


def test_people_marked_distinct_are_left_out(alice):
    ana = make_person(alice, "Ana Ruiz")
    other = make_person(alice, "Ana Ruiz")
    mark_distinct(alice, other, ana)
    mark_distinct(alice, ana, other)
    assert find_duplicate_pairs(alice) == []
    assert DistinctPair.objects.for_owner(alice).get().first_id == ana.pk


def test_marking_distinct_checks_the_owner_and_the_pair(alice, bob):
    ana = make_person(alice, "Ana Ruiz")
    bobs = make_person(bob, "Ana Ruiz")
    with pytest.raises(NotFound):
        mark_distinct(alice, ana, bobs)
    with pytest.raises(BadInput):
        mark_distinct(alice, ana, ana)
    assert not DistinctPair.objects.exists()


def test_a_limit_keeps_the_strongest_pairs(alice):
    for i in range(3):
        make_person(alice, f"Twin {i}")
        make_person(alice, f"Twin {i}")
    make_person(alice, "Ana Ruiz", phones=["+34 600 123 456"])
    make_person(alice, "Ana Ruiz", phones=["+34 600 123 456"])
    (best,) = find_duplicate_pairs(alice, limit=1)
    assert best.first.full_name == "Ana Ruiz"
    assert best.evidence == ["Both have the phone number +34 600 12 34 56", "Same name"]


def test_a_very_common_name_pairs_people_only_with_more_evidence(alice):
    for _ in range(merge.COMMON_NAME_LIMIT + 1):
        make_person(alice, "Wei Chen")
    make_person(alice, "Wei Chen", organization="Acme")
    make_person(alice, "Wei Chen", organization="Acme")
    (pair,) = find_duplicate_pairs(alice)
    assert pair.evidence == ["Same name, both at Acme"]


def test_a_big_organization_is_compared_in_smaller_blocks_that_still_find_close_names(alice, monkeypatch):
    monkeypatch.setattr(merge, "BIG_BLOCK", 3)
    jon = make_person(alice, "Jon Smith", organization="Acme")
    john = make_person(alice, "John Smith", organization="Acme")
    for name in ["Ana Ruiz", "Bo Chen", "Chidi Okafor"]:
        make_person(alice, name, organization="Acme")
    assert evidence_between(alice, jon, john) == ["Similar names (Jon Smith and John Smith), both at Acme"]


WORDS = st.sampled_from(["ana", "ann", "anna", "ruiz", "ruis", "maria", "bo", "chen", "li", "smith", "smyth"])
NAMES = st.lists(st.lists(WORDS, min_size=1, max_size=4).map(" ".join), min_size=2, max_size=12)


@settings(max_examples=150, deadline=None)
@given(NAMES)
def test_close_names_in_a_block_are_exactly_the_close_pairs(names):
    folded = {pk: fold_name(name) for pk, name in enumerate(names)}
    found = {tuple(sorted(pair)) for pair in merge._close_in_block(list(folded), folded)}
    found = {pair for pair in found if pair[0] != pair[1]}
    expected = {(a, b) for a in folded for b in folded if a < b and is_close_name(folded[a], folded[b])}
    assert found == expected


def test_the_scan_reads_the_network_in_a_fixed_number_of_queries(alice, django_assert_max_num_queries):
    for i in range(20):
        make_person(alice, f"Person {i % 7}", organization=f"Org {i % 3}", phones=[f"+34 600 000 00{i % 5}"])
    with django_assert_max_num_queries(6):
        assert scan_duplicate_pairs(alice)


# Issue 13, item 22
def test_the_duplicates_scan_is_reused_while_the_network_is_unchanged(alice, monkeypatch):
    make_person(alice, "Ana Ruiz", organization="Acme")
    make_person(alice, "Ana Ruiz", organization="Acme")
    first = scan_duplicate_pairs(alice)
    judged = []
    monkeypatch.setattr(merge, "_judge", lambda *args: judged.append(args))
    assert scan_duplicate_pairs(alice) == first
    assert judged == []


def _rename_organization(owner, ana, other):
    ana.organization.name = "Acme Robotics"
    ana.organization.save()


CHANGES = {
    "a new name": lambda owner, ana, other: edit_person(owner, other, PersonChanges(name="Ana Ruiz Soto")),
    "a new email": lambda owner, ana, other: edit_person(owner, other, PersonChanges(emails=["a@ruiz.example"])),
    "a new phone": lambda owner, ana, other: edit_person(owner, other, PersonChanges(phones=["+34 600 123 456"])),
    "a new link": lambda owner, ana, other: edit_person(owner, other, PersonChanges(links=["https://ruiz.example"])),
    "a renamed organization": _rename_organization,
    "two marked distinct": lambda owner, ana, other: mark_distinct(owner, ana, other),
    "a new person": lambda owner, ana, other: make_person(owner, "Ana Ruiz", organization="Acme"),
}


# Issue 13, item 22
@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_the_duplicates_scan_reads_scans_again(alice, change):
    ana = make_person(alice, "Ana Ruiz", organization="Acme", emails=["ana@ruiz.example"], phones=["+34 600 123 456"])
    other = make_person(alice, "Ana Ruiz", organization="Globex")
    ana.links.create(owner=alice, url="https://ruiz.example", kind=Link.Kind.WEBSITE)
    before = scan_duplicate_pairs(alice)
    CHANGES[change](alice, ana, other)
    after = scan_duplicate_pairs(alice)
    assert after != before
    fresh = merge._SCANS.pop(alice.pk)
    assert scan_duplicate_pairs(alice) == after == fresh[1]


# --- merging two people -----------------------------------------------------------------------


def counts(owner):
    return {
        model.__name__: model.objects.for_owner(owner).count()
        for model in (Person, Email, Phone, Link, Interest, Need, Offer, Position, HistoryEntry, FollowUp)
    } | {"Touch": Touch.objects.for_owner(owner).count(), "TouchParticipant": TouchParticipant.objects.count()}


def test_merging_moves_every_kind_of_row_and_loses_nothing(alice):
    keep = make_person(
        alice,
        "Ana Ruiz",
        emails=["ana@acme.example"],
        phones=["+34 600 123 456"],
        links=["linkedin.com/in/anaruiz"],
        interests=["fintech"],
    )
    drop = make_person(
        alice,
        "Ana R.",
        organization="Initech",
        emails=["ana.r@initech.example", "ana@gmail.com"],
        phones=["+34 600 123 456", "+34 911 234 567"],
        links=["linkedin.com/in/anaruiz", "ana.example"],
        interests=["Fintech", "running"],
        needs=["a designer"],
        offers=["pricing advice"],
    )
    edit_person(alice, drop, PersonChanges(organization="Globex"))  # Initech becomes a past role
    introduced = make_person(alice, "Bo Chen", met_through=drop)
    third = make_person(alice, "Chidi Okafor")
    mark_distinct(alice, drop, third)
    alone = make_touch(alice, drop, "call", NOW - timedelta(days=3))
    make_touch(alice, [keep, drop], "coffee", NOW - timedelta(days=1))
    add_reminder(alice, drop, "Send the article", NOW + timedelta(days=2))
    HistoryEntry.objects.create(
        owner=alice, person=drop, kind="imported", text="Added by the import of contacts.vcf", happened_at=NOW
    )
    before = counts(alice)

    kept = merge_people(alice, keep, drop)

    after = counts(alice)
    assert after["Person"] == before["Person"] - 1
    assert after["Email"] == before["Email"]
    assert after["Phone"] == before["Phone"] - 1  # the repeated number, once
    assert after["Link"] == before["Link"] - 1
    assert after["Interest"] == before["Interest"] - 1  # "Fintech" and "fintech" are one
    assert (after["Need"], after["Offer"]) == (before["Need"], before["Offer"])
    assert after["Touch"] == before["Touch"]
    assert after["TouchParticipant"] == before["TouchParticipant"] - 1  # the shared coffee, once
    assert after["HistoryEntry"] == before["HistoryEntry"] + 1  # the merge itself
    assert sorted(e.address for e in kept.emails.all()) == [
        "ana.r@initech.example",
        "ana@acme.example",
        "ana@gmail.com",
    ]
    assert sorted(i.text for i in kept.interests.all()) == ["fintech", "running"]
    assert [n.text for n in kept.needs.all()] == ["a designer"]
    assert [o.text for o in kept.offers.all()] == ["pricing advice"]
    assert set(kept.touches.all()) >= {alone}
    assert Person.objects.get(pk=introduced.pk).met_through_id == kept.pk
    assert DistinctPair.objects.for_owner(alice).filter(first=kept, second=third).exists()
    assert FollowUp.objects.for_owner(alice).filter(person=kept, reason="Send the article").exists()
    assert kept.organization.name == "Globex"
    roles = {(p.organization.name, p.ended_on) for p in Position.objects.for_owner(alice).filter(person=kept)}
    assert roles == {("Initech", NOW.date()), ("Globex", None)}
    assert not Person.objects.filter(pk=drop.pk).exists()


def test_two_pending_check_ins_collapse_into_one(alice):
    keep = make_person(alice, "Ana Ruiz", closeness="close")
    drop = make_person(alice, "Ana R.", closeness="inner")
    assert FollowUp.objects.for_owner(alice).pending().filter(kind="check_in").count() == 2
    merge_people(alice, keep, drop)
    (check_in,) = FollowUp.objects.for_owner(alice).pending().filter(kind="check_in")
    assert check_in.person_id == keep.pk
    assert check_in.due_at == NOW + timedelta(days=30)  # the kept person's closeness wins


def test_a_touch_with_both_keeps_one_participation_and_one_thank_you(alice):
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.")
    touch = make_touch(alice, [keep, drop], "coffee", NOW - timedelta(hours=2))
    later = make_touch(alice, drop, "call", NOW - timedelta(hours=1))
    merged = merge_people(alice, keep, drop)
    assert list(touch.participants.values_list("person_id", flat=True)) == [keep.pk]
    assert list(later.participants.values_list("person_id", flat=True)) == [keep.pk]
    thanks = FollowUp.objects.for_owner(alice).pending().filter(kind="thank_you", touch=touch)
    assert [f.person_id for f in thanks] == [keep.pk]
    assert merged.last_touch_at == NOW - timedelta(hours=1)


def test_empty_fields_of_the_kept_person_take_the_dropped_values(alice):
    bo = make_person(alice, "Bo Chen")
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(
        alice,
        "Ana R.",
        organization="Initech",
        title="CFO",
        location="Berlin",
        circle="client",
        cadence=45,
        met_how="At PyCon",
        met_through=bo,
        met_on=date(2020, 5, 1),
        birthday=date(1990, 5, 3),
        nicknames=["Annie"],
        notes="Likes tea.",
    )
    merged = merge_people(alice, keep, drop)
    assert (merged.organization.name, merged.title, merged.location) == ("Initech", "CFO", "Berlin")
    assert (merged.circle, merged.cadence_days, merged.met_how) == ("client", 45, "At PyCon")
    assert (merged.met_through_id, merged.met_on, merged.birthday) == (bo.pk, date(2020, 5, 1), date(1990, 5, 3))
    assert merged.nicknames == ["Annie"]
    assert merged.notes == f"From the merge with Ana R. (#{drop.pk}), their notes:\n\nLikes tea."
    (role,) = Position.objects.for_owner(alice).filter(person=merged)
    assert (role.organization.name, role.title, role.ended_on) == ("Initech", "CFO", None)


def test_conflicting_values_are_kept_in_the_notes(alice):
    bo = make_person(alice, "Bo Chen")
    cy = make_person(alice, "Cy Young")
    keep = make_person(
        alice,
        "Ana Ruiz",
        organization="Acme",
        title="CEO",
        location="Madrid",
        birthday=date(1990, 5, 3),
        met_through=bo,
        nicknames=["Ani"],
        notes="Met at the fintech meetup.",
    )
    drop = make_person(
        alice,
        "Ana R.",
        organization="Initech",
        title="CFO",
        location="Berlin",
        birthday=date(1604, 5, 4),
        met_how="At PyCon",
        met_through=cy,
        closeness="inner",
        nicknames=["ani", "Annie"],
        notes="Likes tea.",
    )
    merged = merge_people(alice, keep, drop)
    assert (merged.title, merged.organization.name, merged.location) == ("CEO", "Acme", "Madrid")
    assert merged.met_how == "At PyCon"  # keep's was empty
    assert merged.nicknames == ["Ani", "Annie"]
    assert merged.notes == (
        "Met at the fintech meetup.\n\n"
        f"From the merge with Ana R. (#{drop.pk}): title CFO at Initech; location Berlin; birthday 4 May; "
        "met through Cy Young; closeness inner. Their notes:\n\n"
        "Likes tea."
    )
    past = Position.objects.for_owner(alice).get(person=merged, organization__name="Initech")
    assert past.ended_on == NOW.date()


def test_a_dropped_prospect_leaves_their_why_with_a_person_in_the_network(alice):
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.", is_prospect=True, why="Runs the best fintech meetup")
    merged = merge_people(alice, keep, drop)
    assert not merged.is_prospect and merged.why == "Runs the best fintech meetup"
    entry = HistoryEntry.objects.for_owner(alice).get(person=merged, kind="merged")
    assert entry.data["dropped_was_prospect"] is True


def test_a_kept_prospect_joins_the_network_when_the_dropped_person_was_in_it(alice):
    keep = make_person(alice, "Ana Ruiz", is_prospect=True, why="Fintech")
    drop = make_person(alice, "Ana R.", closeness="close")
    merged = merge_people(alice, keep, drop)
    assert not merged.is_prospect and merged.why == "Fintech"
    assert FollowUp.objects.for_owner(alice).pending().filter(person=merged, kind="check_in").count() == 1


def test_someone_met_through_the_dropped_person_is_not_met_through_themselves(alice):
    drop = make_person(alice, "Ana R.")
    keep = make_person(alice, "Ana Ruiz", met_through=drop)
    merged = merge_people(alice, keep, drop)
    assert merged.met_through_id is None


def test_the_merge_is_in_the_kept_persons_history(alice):
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.", emails=["ana@initech.example"])
    make_touch(alice, drop, "call", NOW - timedelta(days=1))
    HistoryEntry.objects.create(
        owner=alice, person=drop, kind="imported", text="Added by the import of contacts.vcf", happened_at=NOW
    )
    merge_people(alice, keep, drop)
    entry = HistoryEntry.objects.for_owner(alice).get(person=keep, kind="merged")
    assert entry.text == f"Merged with Ana R. (#{drop.pk}), added by the import of contacts.vcf"
    assert entry.happened_at == NOW
    assert entry.data["dropped_id"] == drop.pk and entry.data["dropped_name"] == "Ana R."
    assert entry.data["moved"]["emails"] == 1 and entry.data["moved"]["touches"] == 1
    assert entry.data["moved"]["history"] == 1


def test_a_person_added_by_hand_is_described_by_the_day_they_were_added(alice):
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.")
    merge_people(alice, keep, drop)
    assert HistoryEntry.objects.get(kind="merged").text == f"Merged with Ana R. (#{drop.pk}), added on 22 November 2026"


def test_search_finds_the_kept_person_by_the_dropped_persons_email(alice):
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.", emails=["quiet@initech.example"], interests=["sailing"])
    merge_people(alice, keep, drop)
    assert list(search_people(alice, "initech")) == [keep]
    assert list(search_people(alice, "sailing")) == [keep]


def test_merging_someone_elses_person_is_not_found_and_changes_nothing(alice, bob):
    keep = make_person(alice, "Ana Ruiz")
    bobs = make_person(bob, "Ana Ruiz", emails=["ana@bob.example"])
    before = counts(alice), counts(bob)
    with pytest.raises(NotFound):
        merge_people(alice, keep, bobs)
    with pytest.raises(NotFound):
        merge_people(alice, bobs, keep)
    with pytest.raises(NotFound):
        preview_merge(alice, keep, bobs)
    assert (counts(alice), counts(bob)) == before


def test_a_person_cannot_be_merged_with_themselves(alice):
    ana = make_person(alice, "Ana Ruiz")
    with pytest.raises(BadInput):
        merge_people(alice, ana, ana)
    assert Person.objects.filter(pk=ana.pk).exists()


def test_a_stale_pair_whose_person_is_gone_is_not_found(alice):
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.")
    merge_people(alice, keep, drop)
    with pytest.raises(NotFound):
        merge_people(alice, keep, drop)


def test_the_preview_counts_what_moves_and_what_goes_to_the_notes(alice):
    keep = make_person(alice, "Ana Ruiz", location="Madrid", phones=["+34 600 123 456"])
    drop = make_person(
        alice, "Ana R.", location="Berlin", title="CFO", emails=["a@x.example", "b@x.example"], phones=["+34600123456"]
    )
    make_touch(alice, drop, "call", NOW - timedelta(days=1))
    make_touch(alice, [keep, drop], "call", NOW - timedelta(days=2))
    add_reminder(alice, drop, "Send the article", NOW + timedelta(days=2))
    preview = preview_merge(alice, keep, drop)
    # Repeats stay behind: the same phone, the shared call, the pending check-in keep has too.
    assert preview.moves_in_words == ["1 touch", "1 follow-up", "2 emails", "1 role"]
    assert preview.taken == ["title"]
    assert preview.aside == ["location Berlin"]
    assert Person.objects.filter(pk=drop.pk).exists()


# --- nothing is ever cascaded away ----------------------------------------------------------------


def test_every_relation_to_person_has_a_decided_merge():
    found = {relation_label(model, name) for model, name in person_relations()}
    new = found - HANDLED_RELATIONS - GENERIC_RELATIONS
    assert not new, (
        f"{sorted(new)} point at Person. merge_people re-points them as they are "
        "(kithkin/people/merge.py, _move_other_relations); decide whether that is right (a row unique per "
        "person needs repeats removed first, as _repeats does), then add them to HANDLED_RELATIONS "
        "with the handling (or to GENERIC_RELATIONS when the generic move is right), and a case to test_merging_moves_every_kind_of_row_and_loses_nothing."
    )
    known = HANDLED_RELATIONS | GENERIC_RELATIONS
    assert found == known, f"{sorted(known - found)} no longer exist: remove them"


def test_a_relation_merge_does_not_handle_itself_is_moved_rather_than_cascaded(alice, monkeypatch):
    monkeypatch.setattr(merge, "HANDLED_RELATIONS", HANDLED_RELATIONS - {"people.HistoryEntry.person"})
    keep = make_person(alice, "Ana Ruiz")
    drop = make_person(alice, "Ana R.")
    HistoryEntry.objects.create(owner=alice, person=drop, kind="imported", text="Added", happened_at=NOW)
    assert merge._move_other_relations(keep, drop) == {"people.HistoryEntry.person": 1}
    assert HistoryEntry.objects.get().person_id == keep.pk


def test_deleting_a_person_who_still_has_rows_undoes_the_merge(alice):
    ana = make_person(alice, "Ana Ruiz", emails=["ana@acme.example"])
    with pytest.raises(RuntimeError, match=r"people\.Email"), transaction.atomic():
        merge._delete_emptied(ana)
    assert Email.objects.filter(person=ana).exists()


def test_the_ledger_events_goals_and_milestones_follow_the_merged_person(alice):
    from datetime import date

    from kithkin.events.models import Event, EventHope
    from kithkin.exchanges.models import Exchange
    from kithkin.goals.models import Goal, GoalPerson
    from kithkin.introductions.models import Introduction
    from kithkin.people.models import Milestone

    keep, drop, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Ana R."), make_person(alice, "Bo Chen")
    Milestone.objects.create(owner=alice, person=drop, text="Promoted", happened_on=date(2026, 11, 1), created_at=NOW)
    Exchange.objects.create(
        owner=alice, person=drop, direction="got", what="advice", happened_on=date(2026, 11, 1), created_at=NOW
    )
    event = Event.objects.create(owner=alice, name="PyCon", starts_at=NOW, created_at=NOW)
    EventHope.objects.create(owner=alice, event=event, person=keep)
    EventHope.objects.create(owner=alice, event=event, person=drop)
    goal = Goal.objects.create(owner=alice, text="A way into Acme", created_at=NOW)
    GoalPerson.objects.create(owner=alice, goal=goal, person=drop)
    Introduction.objects.create(owner=alice, person_a=keep, person_b=drop, why="x", created_at=NOW, updated_at=NOW)
    Introduction.objects.create(owner=alice, person_a=drop, person_b=bo, why="y", created_at=NOW, updated_at=NOW)

    merge_people(alice, keep, drop)

    assert Milestone.objects.get().person == keep
    assert Exchange.objects.get().person == keep
    assert list(EventHope.objects.values_list("person", flat=True)) == [keep.pk]
    assert GoalPerson.objects.get().person == keep
    assert list(Introduction.objects.values_list("person_a", "person_b")) == [(keep.pk, bo.pk)]
