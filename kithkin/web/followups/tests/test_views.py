import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.followups.models import FollowUp
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")
HTMX = {"HTTP_HX_REQUEST": "true"}


def thank_you_for(owner, name="Ana Ruiz"):
    person = make_person(owner, name, closeness="close")
    make_touch(owner, person, "coffee", NOW - timedelta(days=2))
    return FollowUp.objects.for_owner(owner).get(person=person, kind="thank_you")


def test_today_needs_a_signed_in_user(client, db):
    response = client.get(reverse("followups:today"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_today_groups_what_is_due_thank_yous_before_check_ins(signed_in, alice):
    thanks = thank_you_for(alice)
    old = make_person(alice, "Bo Chen", closeness="close")
    make_touch(alice, old, "call", NOW - timedelta(days=100))
    page = signed_in.get(reverse("followups:today")).content.decode()
    assert page.index("Thank Ana for Friday&#x27;s coffee") < page.index("Check in with Bo")
    assert "1 day overdue" in page
    assert reverse("followups:done", args=[thanks.pk]) in page
    assert reverse("followups:snooze", args=[thanks.pk]) in page
    assert "Coming up this week" in page


def test_a_new_user_sees_how_to_start(signed_in):
    page = signed_in.get(reverse("followups:today")).content.decode()
    assert "Welcome to Kithkin" in page
    assert reverse("followups:load_demo") in page and reverse("people:add") in page


def test_done_by_htmx_returns_the_row_closed(signed_in, alice):
    thanks = thank_you_for(alice)
    response = signed_in.post(reverse("followups:done", args=[thanks.pk]), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="followup-{thanks.pk}"' in body and "closed" in body and "<html" not in body
    thanks.refresh_from_db()
    assert thanks.status == "done"


def test_done_as_a_plain_form_redirects_to_today(signed_in, alice):
    thanks = thank_you_for(alice)
    response = signed_in.post(reverse("followups:done", args=[thanks.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("followups:today")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"until": "tomorrow"}, NOW.replace(day=23, hour=9)),
        ({"until": "next_week"}, NOW.replace(day=23, hour=9)),  # NOW is a Sunday: next week starts Monday
        ({"until": "date", "on": "2026-12-24"}, NOW.replace(month=12, day=24, hour=9)),
    ],
)
def test_snooze_moves_it_off_today(signed_in, alice, data, expected):
    thanks = thank_you_for(alice)
    response = signed_in.post(reverse("followups:snooze", args=[thanks.pk]), data, **HTMX)
    assert response.status_code == 200 and "Snoozed until" in response.content.decode()
    assert reverse("followups:done", args=[thanks.pk]) not in response.content.decode()
    thanks.refresh_from_db()
    assert (thanks.status, thanks.remind_at) == ("snoozed", expected)
    assert "Thank Ana" not in signed_in.get(reverse("followups:today")).content.decode()  # not even as coming up


def test_snooze_to_a_past_date_is_refused_in_place(signed_in, alice):
    thanks = thank_you_for(alice)
    response = signed_in.post(
        reverse("followups:snooze", args=[thanks.pk]), {"until": "date", "on": "2026-01-01"}, **HTMX
    )
    assert "not in the future" in response.content.decode()
    thanks.refresh_from_db()
    assert thanks.status == "open"


def test_skip_closes_it(signed_in, alice):
    thanks = thank_you_for(alice)
    signed_in.post(reverse("followups:skip", args=[thanks.pk]), **HTMX)
    thanks.refresh_from_db()
    assert thanks.status == "skipped"


def test_actions_need_post_and_a_csrf_token(alice):
    from django.test import Client

    thanks = thank_you_for(alice)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.get(reverse("followups:done", args=[thanks.pk])).status_code == 405
    assert strict.post(reverse("followups:done", args=[thanks.pk])).status_code == 403


@pytest.mark.parametrize("action", ["done", "skip", "snooze"])
def test_another_users_follow_up_is_a_404(client, alice, bob, action):
    thanks = thank_you_for(alice)
    client.force_login(bob)
    response = client.post(reverse(f"followups:{action}", args=[thanks.pk]), {"until": "tomorrow"})
    assert response.status_code == 404
    thanks.refresh_from_db()
    assert thanks.status == "open"


def test_today_shows_only_my_follow_ups(client, alice, bob):
    thank_you_for(alice, "Ana Ruiz")
    thank_you_for(bob, "Bo Chen")
    client.force_login(bob)
    page = client.get(reverse("followups:today")).content.decode()
    assert "Thank Bo" in page and "Ana" not in page


def test_today_makes_the_same_number_of_queries_for_many_rows(signed_in, alice):
    thank_you_for(alice, "Person 0")
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("followups:today"))
    for i in range(1, 25):
        thank_you_for(alice, f"Person {i}")
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("followups:today"))
    assert len(many) == len(few)


# Issue 13, item 18
@pytest.mark.parametrize(
    ("action", "data", "said"),
    [
        ("done", {}, "Done: "),
        ("skip", {}, "Skipped: "),
        ("snooze", {"until": "tomorrow"}, "Snoozed until Mon 23 Nov, 09:00: "),
    ],
)
def test_a_follow_up_acted_on_in_place_says_what_was_done_and_offers_undo(signed_in, alice, action, data, said):
    thanks = thank_you_for(alice)
    response = signed_in.post(reverse(f"followups:{action}", args=[thanks.pk]), data, **HTMX)
    row = response.content.decode()
    assert said in re.sub(r"<[^>]+>", "", row) and "Thank Ana for Friday&#x27;s coffee" in row
    reopen_url = reverse("followups:reopen", args=[thanks.pk])
    assert f'hx-post="{reopen_url}"' in row and ">Undo</button>" in row
    assert "hx-on" not in row and "onclick" not in row and "<script" not in row
    undone = signed_in.post(reopen_url, **HTMX).content.decode()
    assert reverse("followups:done", args=[thanks.pk]) in undone and "Reopened." in undone
    thanks.refresh_from_db()
    assert (thanks.status, thanks.remind_at, thanks.completed_at) == ("open", thanks.due_at, None)


# Issue 13, item 18
def test_undo_as_a_plain_form_reopens_and_goes_back(signed_in, alice):
    thanks = thank_you_for(alice)
    signed_in.post(reverse("followups:done", args=[thanks.pk]))
    response = signed_in.post(reverse("followups:reopen", args=[thanks.pk]), follow=True)
    assert "Reopened: Thank Ana for the coffee on Friday 20 November (Ana Ruiz)" in response.content.decode()
    thanks.refresh_from_db()
    assert thanks.status == "open"


# Issue 13, item 18
def test_someone_elses_follow_up_cannot_be_reopened(client, alice, bob):
    thanks = thank_you_for(alice)
    client.force_login(bob)
    assert client.post(reverse("followups:reopen", args=[thanks.pk])).status_code == 404
