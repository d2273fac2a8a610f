"""Milestones ask for a congratulation within 2 days; birthdays for a wish on the day, each year."""

from datetime import timedelta

import pytest
from django.urls import reverse

from kithkin.followups.milestones import record_milestone
from kithkin.followups.models import FollowUp
from kithkin.people.models import Milestone
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")


def congratulations(owner, person):
    return list(FollowUp.objects.for_owner(owner).pending().filter(person=person, kind=FollowUp.Kind.CONGRATULATE))


def test_the_person_page_has_the_milestone_form_and_recording_one_asks_for_a_congratulation(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    page = signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    assert "Record a milestone" in page and reverse("followups:milestone_add", args=[ana.pk]) in page
    response = signed_in.post(
        reverse("followups:milestone_add", args=[ana.pk]),
        {"kind": "new_job", "text": "Product Lead at Initech", "organization": "Initech", "title": "Product Lead"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/people/{ana.pk}/#milestones")
    (wish,) = congratulations(alice, ana)
    assert wish.due_at == NOW + timedelta(days=2)
    page = signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    assert "Make Product Lead at Initech their role" in page
    assert "New job: Product Lead at Initech" in page  # in the timeline
    milestone = Milestone.objects.for_owner(alice).get()
    response = signed_in.post(reverse("followups:milestone_apply", args=[milestone.pk]))
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.organization.name == "Initech"
    assert (
        "Make Product Lead at Initech their role"
        not in signed_in.get(reverse("people:detail", args=[ana.pk])).content.decode()
    )


def test_a_bad_milestone_from_the_page_says_why_and_records_nothing(signed_in, alice):
    ana = make_person(alice, "Ana Ruiz")
    response = signed_in.post(
        reverse("followups:milestone_add", args=[ana.pk]),
        {"kind": "award", "text": "X", "on": "2027-01-01"},
        follow=True,
    )
    assert "Fri 1 Jan 2027 is in the future. Record a milestone once it has happened." in response.content.decode()
    assert not Milestone.objects.for_owner(alice).exists()


def test_another_users_person_and_milestone_are_404(signed_in, bob):
    bobs = make_person(bob, "Bo Chen")
    milestone = record_milestone(bob, bobs, "Initech", kind="new_job", organization="Initech").milestone
    assert (
        signed_in.post(reverse("followups:milestone_add", args=[bobs.pk]), {"kind": "award", "text": "X"}).status_code
        == 404
    )
    assert signed_in.post(reverse("followups:milestone_apply", args=[milestone.pk])).status_code == 404
    assert not Milestone.objects.for_owner(bob).filter(is_position_applied=True).exists()
    assert Milestone.objects.for_owner(bob).count() == 1
