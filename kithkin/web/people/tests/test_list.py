"""The People page: search as you type, filters, sorting, paging and the bulk edit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.followups.models import FollowUp
from kithkin.people.models import Interest, Person
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")

LIST = reverse("people:list")


def names_on(response) -> list[str]:
    """The names in the table, in the order shown."""
    return [p.full_name for p, _check_in, _tie in response.context["rows"]]


def check_in_of(owner, person) -> FollowUp:
    (check_in,) = FollowUp.objects.for_owner(owner).pending().filter(person=person, kind="check_in")
    return check_in


def bulk_post(client, data: dict, query: str = ""):
    return client.post(f"{LIST}{query}", {"bulk-apply_to": "selected", **data})


# --- search --------------------------------------------------------------------------------


def test_search_finds_people_by_an_interest(client, alice):
    make_person(alice, "Ana Ruiz", interests=["Marathons"])
    make_person(alice, "Bo Chen", interests=["fintech"])
    client.force_login(alice)
    assert names_on(client.get(LIST, {"q": "MARATH"})) == ["Ana Ruiz"]


def test_search_matches_name_organization_title_and_email(client, alice):
    make_person(alice, "Ana Ruiz", organization="Acme")
    make_person(alice, "Bo Chen", title="Head of Pricing")
    make_person(alice, "Cy Dorn", emails=["cy@globex.example"])
    client.force_login(alice)
    assert names_on(client.get(LIST, {"q": "acm"})) == ["Ana Ruiz"]
    assert names_on(client.get(LIST, {"q": "pricing"})) == ["Bo Chen"]
    assert names_on(client.get(LIST, {"q": "globex"})) == ["Cy Dorn"]


def test_another_users_interests_are_not_searched(client, alice, bob):
    make_person(bob, "Bo Chen", interests=["marathons"])
    make_person(alice, "Ana Ruiz")
    client.force_login(alice)
    assert names_on(client.get(LIST, {"q": "marathons"})) == []


# --- filters -------------------------------------------------------------------------------


def test_the_circle_filter_keeps_that_circle(client, alice):
    make_person(alice, "Ana Ruiz", circle="friend")
    make_person(alice, "Bo Chen", circle="client")
    client.force_login(alice)
    assert names_on(client.get(LIST, {"circle": "client"})) == ["Bo Chen"]


def test_the_closeness_filter_keeps_that_closeness(client, alice):
    make_person(alice, "Ana Ruiz", closeness="inner")
    make_person(alice, "Bo Chen", closeness="wider")
    client.force_login(alice)
    assert names_on(client.get(LIST, {"closeness": "inner"})) == ["Ana Ruiz"]


def test_the_interest_filter_matches_the_whole_interest_ignoring_case(client, alice):
    make_person(alice, "Ana Ruiz", interests=["Fintech"])
    make_person(alice, "Bo Chen", interests=["fintech policy"])
    client.force_login(alice)
    assert names_on(client.get(LIST, {"interest": "FINTECH"})) == ["Ana Ruiz"]


def test_the_organization_filter_matches_the_organization_name(client, alice):
    make_person(alice, "Ana Ruiz", organization="Acme")
    make_person(alice, "Bo Chen", organization="Acme Labs")
    client.force_login(alice)
    assert names_on(client.get(LIST, {"org": "acme"})) == ["Ana Ruiz"]


def test_the_prospects_filter_shows_only_or_excludes_people_to_meet(client, alice):
    make_person(alice, "Ana Ruiz")
    make_person(alice, "Bo Chen", is_prospect=True, why="Runs pricing at Acme")
    client.force_login(alice)
    assert names_on(client.get(LIST)) == ["Ana Ruiz", "Bo Chen"]
    assert names_on(client.get(LIST, {"prospects": "only"})) == ["Bo Chen"]
    assert names_on(client.get(LIST, {"prospects": "exclude"})) == ["Ana Ruiz"]


def test_the_overdue_filter_keeps_people_whose_check_in_is_past_due(client, alice):
    late = make_person(alice, "Ana Ruiz", closeness="inner")
    make_touch(alice, late, "call", NOW - timedelta(days=10))  # check-in due 3 days ago
    fresh = make_person(alice, "Bo Chen", closeness="inner")
    make_touch(alice, fresh, "call", NOW - timedelta(days=2))  # due in 5 days
    make_person(alice, "Cy Dorn", closeness="acquaintance")  # no check-ins at all
    client.force_login(alice)
    assert names_on(client.get(LIST, {"overdue": "1"})) == ["Ana Ruiz"]


def test_a_done_or_snoozed_into_the_future_check_in_is_not_overdue(client, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="inner")
    make_touch(alice, ana, "call", NOW - timedelta(days=10))
    check_in = check_in_of(alice, ana)
    check_in.status, check_in.snoozed_until = "snoozed", NOW + timedelta(days=1)
    check_in.remind_at = check_in.snoozed_until
    check_in.save()
    client.force_login(alice)
    assert names_on(client.get(LIST, {"overdue": "1"})) == []


def test_filters_combine_with_search(client, alice):
    make_person(alice, "Ana Ruiz", circle="friend", interests=["fintech"])
    make_person(alice, "Ana Bell", circle="client", interests=["fintech"])
    make_person(alice, "Bo Chen", circle="friend", interests=["fintech"])
    client.force_login(alice)
    assert names_on(client.get(LIST, {"q": "ana", "circle": "friend", "interest": "fintech"})) == ["Ana Ruiz"]


def test_a_bad_filter_value_in_an_old_link_is_ignored(client, alice):
    make_person(alice, "Ana Ruiz")
    client.force_login(alice)
    response = client.get(LIST, {"closeness": "bestie", "sort": "shoe-size"})
    assert response.status_code == 200 and names_on(response) == ["Ana Ruiz"]


# --- sorting -------------------------------------------------------------------------------


@pytest.fixture
def three_ties(alice):
    """Cy was in touch long ago, Ana recently, Bo never."""
    ana, bo, cy = (make_person(alice, name) for name in ("Ana Ruiz", "Bo Chen", "Cy Dorn"))
    make_touch(alice, ana, "call", NOW - timedelta(days=2))
    make_touch(alice, cy, "call", NOW - timedelta(days=200))
    return ana, bo, cy


def test_people_are_sorted_by_name_by_default(client, alice, three_ties):
    client.force_login(alice)
    assert names_on(client.get(LIST)) == ["Ana Ruiz", "Bo Chen", "Cy Dorn"]


def test_losing_touch_first_puts_the_never_touched_then_the_longest_ago_first(client, alice, three_ties):
    client.force_login(alice)
    assert names_on(client.get(LIST, {"sort": "losing-touch"})) == ["Bo Chen", "Cy Dorn", "Ana Ruiz"]


def test_recently_in_touch_puts_the_latest_touch_first_and_the_never_touched_last(client, alice, three_ties):
    client.force_login(alice)
    assert names_on(client.get(LIST, {"sort": "recent"})) == ["Ana Ruiz", "Cy Dorn", "Bo Chen"]


# --- paging and htmx -----------------------------------------------------------------------


def test_the_pager_keeps_the_search_filters_and_sort(client, alice):
    for i in range(55):
        make_person(alice, f"Friend {i:02d}", circle="friend")
    make_person(alice, "Friend of a client", circle="client")
    client.force_login(alice)
    first = client.get(LIST, {"q": "friend", "circle": "friend", "sort": "name"})
    body = first.content.decode()
    assert "1–50 of 55 people matching" in body
    assert 'href="?q=friend&amp;circle=friend&amp;sort=name&amp;page=2"' in body
    second = client.get(LIST, {"q": "friend", "circle": "friend", "sort": "name", "page": 2})
    assert names_on(second) == [f"Friend {i}" for i in range(50, 55)]


def test_htmx_gets_only_the_results_and_a_plain_get_the_whole_page(client, alice):
    make_person(alice, "Ana Ruiz", circle="friend")
    make_person(alice, "Bo Chen", circle="client")
    client.force_login(alice)
    partial = client.get(LIST, {"circle": "friend"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="people-results"')
    assert "<html" not in body and "Ana Ruiz" in body and "Bo Chen" not in body
    page = client.get(LIST, {"circle": "friend"})
    assert "<html" in page.content.decode() and "<search" in page.content.decode()
    assert "HX-Request" in partial["Vary"] and "HX-Request" in page["Vary"]


def test_the_filter_form_shows_the_state_of_the_url(client, alice):
    make_person(alice, "Ana Ruiz", circle="friend")
    client.force_login(alice)
    body = client.get(LIST, {"q": "ana", "circle": "friend", "overdue": "1", "sort": "recent"}).content.decode()
    assert 'value="ana"' in body
    assert '<option value="friend" selected>' in body
    assert '<option value="recent" selected>' in body
    assert 'name="overdue" value="1" checked' in body
    assert '<details class="more-filters" open>' in body


def test_the_check_in_column_says_how_overdue_a_check_in_is(client, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="inner")
    make_touch(alice, ana, "call", NOW - timedelta(days=10))
    client.force_login(alice)
    body = client.get(LIST).content.decode()
    assert 'class="overdue">3 days overdue</time>' in body


def test_the_list_makes_the_same_number_of_queries_for_one_row_and_thirty(client, alice):
    def add(i: int) -> None:
        person = make_person(
            alice, f"Person {i:02d}", organization=f"Org {i}", circle="friend", closeness="inner", interests=["chess"]
        )
        make_touch(alice, person, "call", NOW - timedelta(days=40))  # every check-in is overdue

    add(0)
    client.force_login(alice)
    wanted = {"circle": "friend", "overdue": "1", "interest": "chess", "sort": "losing-touch"}
    with CaptureQueriesContext(connection) as one:
        assert len(names_on(client.get(LIST, wanted))) == 1
    for i in range(1, 30):
        add(i)
    with CaptureQueriesContext(connection) as thirty:
        assert len(names_on(client.get(LIST, wanted))) == 30
    assert len(thirty) == len(one)


# --- empty states --------------------------------------------------------------------------


def test_someone_with_no_people_is_shown_how_to_start(client, alice):
    client.force_login(alice)
    body = client.get(LIST).content.decode()
    assert "No people yet" in body and reverse("people:add") in body and "kithkin demo" in body
    assert "<search" not in body


def test_a_search_that_matches_no_one_offers_to_clear_it(client, alice):
    make_person(alice, "Ana Ruiz")
    client.force_login(alice)
    body = client.get(LIST, {"q": "zed", "circle": "family"}).content.decode()
    assert "No one matches “zed” with these filters." in body and "Clear search and filters" in body


# --- bulk edit -----------------------------------------------------------------------------


def test_a_bulk_edit_changes_the_selected_people_and_returns_to_the_same_list(client, alice):
    ana, bo, _cy = (make_person(alice, name) for name in ("Ana Ruiz", "Bo Chen", "Cy Dorn"))
    client.force_login(alice)
    query = "?q=&sort=recent&page=1"
    response = bulk_post(client, {"ids": [ana.pk, bo.pk], "bulk-closeness": "close", "bulk-circle": "client"}, query)
    assert response.status_code == 302 and response["Location"] == LIST + query
    changed = {p.full_name: (p.closeness, p.circle) for p in Person.objects.for_owner(alice)}
    assert changed == {"Ana Ruiz": ("close", "client"), "Bo Chen": ("close", "client"), "Cy Dorn": ("active", "")}
    page = client.get(response["Location"]).content.decode()
    assert "Updated 2 people: circle client/customer, closeness close" in page


def test_select_all_on_this_page_works_without_javascript(client, alice):
    ana, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen")
    client.force_login(alice)
    bulk_post(client, {"select_page": "1", "page_ids": [ana.pk, bo.pk], "bulk-circle": "friend"})
    assert set(Person.objects.for_owner(alice).values_list("circle", flat=True)) == {"friend"}


def test_a_bulk_edit_can_apply_to_everyone_matching_the_filters_on_every_page(client, alice):
    for i in range(60):
        make_person(alice, f"Client {i:02d}", circle="client")
    make_person(alice, "Ana Ruiz", circle="friend")
    client.force_login(alice)
    page = client.get(LIST, {"circle": "client"}).content.decode()
    assert "All 60 people matching this search and filters, on every page" in page
    response = client.post(f"{LIST}?circle=client", {"bulk-apply_to": "matching", "bulk-closeness": "wider"})
    assert response.status_code == 302
    by_closeness = dict(Person.objects.for_owner(alice).values_list("full_name", "closeness"))
    assert sum(1 for c in by_closeness.values() if c == "wider") == 60
    assert by_closeness["Ana Ruiz"] == "active"


def test_a_person_made_inner_gets_a_check_in_a_week_after_their_last_touch(client, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="active")
    touched_at = NOW - timedelta(days=10)
    make_touch(alice, ana, "call", touched_at)
    assert check_in_of(alice, ana).due_at == touched_at + timedelta(days=90)
    client.force_login(alice)
    bulk_post(client, {"ids": [ana.pk], "bulk-closeness": "inner"})
    assert check_in_of(alice, ana).due_at == touched_at + timedelta(days=7)


def test_a_bad_cadence_changes_nothing_and_is_shown_next_to_its_field(client, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="active")
    client.force_login(alice)
    response = bulk_post(
        client, {"ids": [ana.pk], "bulk-closeness": "inner", "bulk-cadence": "soon", "bulk-add_interests": "chess"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_bulk-cadence_error">Expected a number of days' in body
    assert '<details class="bulk-edit" open>' in body
    assert f'value="{ana.pk}" id="pick-{ana.pk}" checked' in body
    ana.refresh_from_db()
    assert ana.closeness == "active" and not Interest.objects.for_owner(alice).exists()


def test_a_bulk_edit_with_no_change_or_no_one_selected_says_so(client, alice):
    ana = make_person(alice, "Ana Ruiz")
    client.force_login(alice)
    assert "Choose something to change" in bulk_post(client, {"ids": [ana.pk]}).content.decode()
    assert "Select at least one person" in bulk_post(client, {"bulk-circle": "friend"}).content.decode()


def test_bobs_ids_in_alices_bulk_edit_change_nothing_of_bobs(client, alice, bob):
    bos = make_person(bob, "Bo Chen", closeness="wider")
    ana = make_person(alice, "Ana Ruiz")
    client.force_login(alice)
    response = bulk_post(client, {"ids": [bos.pk, ana.pk], "bulk-closeness": "inner"})
    assert response.status_code == 302
    bos.refresh_from_db()
    ana.refresh_from_db()
    assert bos.closeness == "wider" and ana.closeness == "inner"
    assert not FollowUp.objects.for_owner(alice).filter(person=bos).exists()


def test_alices_ids_in_bobs_bulk_edit_change_nothing_of_alices(client, alice, bob):
    ana = make_person(alice, "Ana Ruiz", interests=["golf"])
    make_person(bob, "Bo Chen")
    client.force_login(bob)
    response = bulk_post(client, {"ids": [ana.pk], "bulk-circle": "friend", "bulk-remove_interest": "golf"})
    assert response.status_code == 400 and "Select at least one person" in response.content.decode()
    ana.refresh_from_db()
    assert ana.circle == "" and Interest.objects.for_owner(alice).filter(person=ana).exists()


def test_the_bulk_edit_needs_the_csrf_token(alice):
    ana = make_person(alice, "Ana Ruiz")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = bulk_post(client, {"ids": [ana.pk], "bulk-closeness": "inner"})
    assert response.status_code == 403
    ana.refresh_from_db()
    assert ana.closeness == "active"


# Issue 13, item 21d
def test_losing_touch_first_puts_people_you_want_to_meet_after_everyone_you_have_met(client, alice, three_ties):
    make_person(alice, "Ada Prospect", is_prospect=True, why="Runs the compiler team")
    client.force_login(alice)
    assert names_on(client.get(LIST, {"sort": "losing-touch"})) == ["Bo Chen", "Cy Dorn", "Ana Ruiz", "Ada Prospect"]
