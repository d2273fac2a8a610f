"""Today: what is due, worded for today; birthdays; the week's progress; recent touches; first run."""

import html
import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.accounts.services import update_settings
from kithkin.followups.models import FollowUp
from kithkin.network.ranking import rank_check_ins
from kithkin.people.models import Person
from kithkin.people.services import upcoming_birthdays
from kithkin.testing import NOW, UTC, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def today_page(client):
    return html.unescape(client.get(reverse("followups:today")).content.decode())


def test_birthdays_in_the_next_two_weeks_show_soonest_first_with_their_age(signed_in, alice):
    make_person(alice, "Ana Ruiz", birthday=date(1990, 11, 30))
    make_person(alice, "Bo Chen", birthday=date(1985, 11, 22))
    make_person(alice, "Cy Twombly", birthday=date(2000, 12, 6))
    make_person(alice, "Di Later", birthday=date(1980, 12, 7))
    make_person(alice, "Ed Before", birthday=date(1980, 11, 21))
    page = today_page(signed_in)
    section = page[page.index("Birthdays, next two weeks") : page.index("Recently logged")]
    assert section.index("Bo Chen") < section.index("Ana Ruiz") < section.index("Cy Twombly")
    assert "today" in section and "turns 41" in section
    assert "Mon 30 Nov, turns 36" in section
    assert "Di Later" not in section and "Ed Before" not in section


def test_today_shows_the_soonest_birthdays_and_counts_the_rest(signed_in, alice):
    for day in range(23, 30):
        for n in range(2):
            make_person(alice, f"Born {day}-{n}", birthday=date(1990, 11, day))
    shown, total = upcoming_birthdays(alice, date(2026, 11, 22), limit=8)
    assert total == 14
    assert [b.person.full_name for b in shown][:3] == ["Born 23-0", "Born 23-1", "Born 24-0"]
    assert [b.on.day for b in shown] == [23, 23, 24, 24, 25, 25, 26, 26]
    assert "and 6 more in the next two weeks" in today_page(signed_in)


def test_the_week_progress_counts_touches_since_monday_against_the_goal(signed_in, alice):
    update_settings(alice, weekly_touch_goal=4)
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "call", datetime(2026, 11, 16, 0, 30, tzinfo=UTC))  # Monday, just after midnight
    make_touch(alice, ana, "email", NOW - timedelta(hours=1))
    make_touch(alice, ana, "email", datetime(2026, 11, 15, 23, 0, tzinfo=UTC))  # last week
    page = today_page(signed_in)
    # The goals app's routine panel shows it, beside new people and gives.
    assert '<label for="routine-1"><span>Touches</span> <strong>2 of 4</strong></label>' in page
    assert '<progress id="routine-1" value="2" max="4">' in page


def test_recently_logged_touches_show_newest_first_with_their_people(signed_in, alice):
    ana, bo = make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen")
    make_touch(alice, ana, "call", NOW - timedelta(days=3))
    make_touch(alice, [ana, bo], "meal", NOW - timedelta(hours=3))
    page = today_page(signed_in)
    recent = page[page.index("Recently logged") : page.index("Find someone")]
    assert recent.index("Meal") < recent.index("Call")
    assert "Bo Chen" in recent and "3 hours ago" in recent


def test_a_new_user_can_load_the_demo_network_in_one_click(signed_in, alice):
    response = signed_in.post(reverse("followups:load_demo"), follow=True)
    page = html.unescape(response.content.decode())
    assert Person.objects.for_owner(alice).count() == 300
    assert "Loaded a demo network: 300 people" in page
    assert "Welcome to Kithkin" not in page
    assert FollowUp.objects.for_owner(alice).due_by(NOW).exists()
    again = signed_in.post(reverse("followups:load_demo"), follow=True)
    assert "You already have 300 people" in html.unescape(again.content.decode())
    assert Person.objects.for_owner(alice).count() == 300


def test_the_demo_needs_a_post(signed_in, alice):
    assert signed_in.get(reverse("followups:load_demo")).status_code == 405
    assert not Person.objects.for_owner(alice).exists()


def test_today_shows_a_few_of_each_kind_and_the_due_list_pages_through_the_rest(signed_in, alice):
    for i in range(20):
        person = make_person(alice, f"Person {i:02d}", closeness="close")
        make_touch(alice, person, "call", NOW - timedelta(days=40 + i))
    for i in range(18):
        helper = make_person(alice, f"Helper {i:02d}", closeness="acquaintance")
        make_touch(alice, helper, "coffee", NOW - timedelta(days=3, minutes=i))
    page = today_page(signed_in)
    assert page.count('<p class="what">Thank Helper') == 15
    assert f"{reverse('followups:due')}?kind=thank_you" in page and "See all 18" in page
    # Check-ins are ranked: the best five, and how many more.
    assert page.count('<p class="what">Check in with Person') <= 5
    assert f"{reverse('followups:due')}?kind=check_in" in page
    listed = html.unescape(signed_in.get(reverse("followups:due"), {"kind": "check_in"}).content.decode())
    assert listed.count('<p class="what">Check in with Person') == 20
    assert signed_in.get(reverse("followups:due"), {"kind": "bogus"}).status_code == 404


def checked_in_names(page):
    section = page[page.index('id="due-check_in"') :]
    section = section[: section.index("</ul>")]
    return re.findall(r'<span class="chip-name">([^<]+)</span>', section)


def test_today_shows_the_five_most_worthwhile_check_ins_and_says_how_many_more(signed_in, alice):
    for i in range(32):
        person = make_person(alice, f"Person {i:02d}", closeness="close")
        make_touch(alice, person, "call", NOW - timedelta(days=40 + i))
    # A strong tie gone quiet: many coffees, then nothing; it comes first though far less overdue
    # than the others.
    strong = make_person(alice, "Strong Tie", closeness="close")
    for week in range(30):
        make_touch(alice, strong, "coffee", NOW - timedelta(days=36 + 7 * week))
    page = today_page(signed_in)
    names = checked_in_names(page)
    assert len(names) == 5 and names[0] == "Strong Tie"
    assert "28 more check-ins, best first" in page
    assert '<span class="count">33</span>' in page
    assert '<p class="why">strong tie' in page


def test_the_check_ins_list_pages_through_in_the_same_ranked_order_fifty_to_a_page(signed_in, alice):
    for i in range(55):
        person = make_person(alice, f"Person {i:02d}", closeness="close")
        make_touch(alice, person, "call", NOW - timedelta(days=31 + i))
    first = html.unescape(signed_in.get(reverse("followups:due"), {"kind": "check_in"}).content.decode())
    second = html.unescape(signed_in.get(reverse("followups:due"), {"kind": "check_in", "page": 2}).content.decode())
    shown = re.findall(r'<span class="chip-name">(Person \d\d)</span>', first + second)
    ranked = [r.follow_up.person.full_name for r in rank_check_ins(alice, NOW).rows]
    assert first.count('<p class="what">Check in with Person') == 50
    assert shown == ranked and len(shown) == 55
    assert "55 due now, most worthwhile first" in first


def test_today_makes_the_same_number_of_queries_with_more_due_check_ins(signed_in, alice):
    def add(i):
        person = make_person(alice, f"Person {i}", closeness="close")
        make_touch(alice, person, "call", NOW - timedelta(days=40 + i))

    for i in range(6):
        add(i)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("followups:today"))
    for i in range(6, 60):
        add(i)
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("followups:today"))
    assert len(many) == len(few)


def test_a_row_has_one_main_action_and_the_rest_in_a_menu(signed_in, alice):
    person = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, person, "call", NOW - timedelta(days=40))
    page = today_page(signed_in)
    row = page[page.index('id="followup-') :]
    row = row[: row.index("</li>")]
    menu = row[row.index('<details class="row-menu">') :]
    assert row.count("<button") - menu.count("<button") == 1 and ">Done</button>" in row
    assert "Snooze until tomorrow" in menu and "Snooze until next week" in menu and ">Skip</button>" in menu


def test_the_week_sits_before_what_is_due_in_the_page_so_a_phone_shows_it_first(signed_in, alice):
    update_settings(alice, weekly_touch_goal=4)
    person = make_person(alice, "Ana Ruiz", closeness="close")
    make_touch(alice, person, "call", NOW - timedelta(days=40))
    page = today_page(signed_in)
    assert page.index('id="routine-heading"') < page.index('id="due-heading"')


def test_a_plain_form_goes_back_where_it_came_from_but_never_off_site(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    make_touch(alice, ana, "coffee", NOW - timedelta(days=2))
    make_touch(alice, ana, "meal", NOW - timedelta(days=1))
    first, second = FollowUp.objects.filter(kind="thank_you").order_by("id")
    person_page = reverse("people:detail", args=[ana.pk])
    back = signed_in.post(reverse("followups:done", args=[first.pk]), {"next": person_page})
    assert back["Location"] == person_page
    away = signed_in.post(reverse("followups:done", args=[second.pk]), {"next": "https://evil.example/"})
    assert away["Location"] == reverse("followups:today")


def test_today_makes_the_same_number_of_queries_with_more_birthdays_and_touches(signed_in, alice):
    def add(i):
        person = make_person(alice, f"Person {i}", closeness="close", birthday=date(1990, 11, 25))
        make_touch(alice, person, "coffee", NOW - timedelta(days=2))
        make_touch(alice, person, "call", NOW - timedelta(days=60))

    add(0)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("followups:today"))
    for i in range(1, 20):
        add(i)
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("followups:today"))
    assert len(many) == len(few)


def test_the_due_list_makes_the_same_number_of_queries_for_more_rows(signed_in, alice):
    def add(i):
        person = make_person(alice, f"Person {i}", closeness="close")
        make_touch(alice, person, "call", NOW - timedelta(days=60 + i))

    add(0)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("followups:due"), {"kind": "check_in"})
    for i in range(1, 30):
        add(i)
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("followups:due"), {"kind": "check_in"})
    assert len(many) == len(few)


# Issue 13, item 20
def test_the_follow_ups_page_lists_everything_open_soonest_first_fifty_to_a_page(signed_in, alice, bob):
    for i in range(55):
        person = make_person(alice, f"Person {i:02d}", closeness="close")
        make_touch(alice, person, "call", NOW - timedelta(days=i))  # most fall due in the weeks ahead
    make_touch(bob, make_person(bob, "Bob's Friend", closeness="close"), "call", NOW)
    today = today_page(signed_in)
    assert f'href="{reverse("followups:due")}"' in today
    first = html.unescape(signed_in.get(reverse("followups:due")).content.decode())
    assert "All open follow-ups" in first and "55 open" in first
    checks = re.findall(r'class="chip-name">Person (\d\d)<', first)
    assert len(checks) == 50 and checks[0] == "54" and checks == sorted(checks, reverse=True)
    assert "Bob&#x27;s Friend" not in first and "Bob's Friend" not in first
    second = html.unescape(signed_in.get(reverse("followups:due"), {"page": 2}).content.decode())
    assert re.findall(r'class="chip-name">Person (\d\d)<', second) == ["04", "03", "02", "01", "00"]


# Issue 13, item 20
def test_the_follow_ups_page_makes_the_same_number_of_queries_for_more_rows(signed_in, alice):
    def add(i):
        person = make_person(alice, f"Person {i}", closeness="close")
        make_touch(alice, person, "coffee", NOW - timedelta(days=i))

    add(0)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("followups:due"))
    for i in range(1, 30):
        add(i)
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("followups:due"))
    assert len(many) == len(few)
