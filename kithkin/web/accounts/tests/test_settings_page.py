from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_or_create_local_owner, get_profile, update_settings
from kithkin.core.errors import BadInput
from kithkin.followups.models import FollowUp
from kithkin.testing import NOW, make_person

pytestmark = pytest.mark.usefixtures("frozen")
SETTINGS = reverse("accounts:settings")
PASSWORD = reverse("accounts:password")
OLD_PASSWORD = "a long enough password 1"  # what kithkin.testing.make_user sets
NEW_PASSWORD = "quiet harbour lantern 42"


def settings_data(**changes):
    data = {
        "time_zone": "Europe/Madrid",
        "phone_region": "ES",
        "cadence_inner_days": "7",
        "cadence_close_days": "30",
        "cadence_active_days": "90",
        "cadence_wider_days": "180",
        "cadence_acquaintance_days": "",
    }
    data.update(changes)
    return data


def profile_of(user):
    return Profile.objects.get(owner=user)


def check_in_of(owner, person):
    return FollowUp.objects.for_owner(owner).pending().get(person=person, kind=FollowUp.Kind.CHECK_IN)


def test_the_page_shows_the_current_values(client, alice):
    Profile.objects.filter(owner=alice).update(
        time_zone="America/Chicago", phone_region="US", weekly_touch_goal=12, cadence_close_days=21
    )
    client.force_login(alice)
    page = client.get(SETTINGS).content.decode()
    assert '<option value="America/Chicago" selected>Chicago</option>' in page
    assert 'name="phone_region" value="US"' in page
    assert 'name="weekly_touch_goal" value="12"' in page
    assert 'name="cadence_close_days" value="21"' in page
    assert "It is 04:00 on Sunday in America/Chicago." in page


def test_saving_time_zone_and_cadences_moves_check_ins(client, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=30)
    client.force_login(alice)
    response = client.post(SETTINGS, settings_data(cadence_close_days="14", cadence_wider_days=""))
    assert response.status_code == 302 and response["Location"] == SETTINGS
    profile = profile_of(alice)
    assert profile.time_zone == "Europe/Madrid" and profile.phone_region == "ES"
    assert profile.cadence_close_days == 14 and profile.cadence_wider_days is None
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=14)
    page = client.get(SETTINGS).content.decode()
    assert "Settings saved. Check-ins moved to the new cadence" in page
    assert "close: every 14 days (was every 30 days); wider: no check-ins (was every 180 days)." in page


def test_a_bad_time_zone_shows_its_error_and_changes_nothing(client, alice):
    ana = make_person(alice, "Ana Ruiz", closeness="close")
    client.force_login(alice)
    response = client.post(SETTINGS, settings_data(time_zone="Mars/Olympus_Mons", cadence_close_days="14"))
    body = response.content.decode()
    assert response.status_code == 400
    assert '<small class="field-error" id="id_time_zone_error">' in body and "unknown time zone" in body
    profile = profile_of(alice)
    assert profile.time_zone == "UTC" and profile.cadence_close_days == 30
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=30)


def test_a_cadence_of_zero_days_is_refused_next_to_its_field(client, alice):
    client.force_login(alice)
    body = client.post(SETTINGS, settings_data(cadence_inner_days="0")).content.decode()
    assert 'id="id_cadence_inner_days_error"' in body and "positive number of days" in body
    assert profile_of(alice).time_zone == "UTC"


def test_a_user_without_a_password_sets_a_first_one_and_stays_signed_in(client, db):
    owner = get_or_create_local_owner()
    client.force_login(owner)
    page = client.get(SETTINGS).content.decode()
    assert "Set a password" in page and "old_password" not in page
    response = client.post(PASSWORD, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == f"{SETTINGS}#main"
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    after = client.get(SETTINGS)
    assert after.status_code == 200 and "Password set." in after.content.decode()
    assert "Change your password" in after.content.decode()


def test_changing_a_password_needs_the_old_one(client, alice):
    client.force_login(alice)
    wrong = client.post(
        PASSWORD, {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert wrong.status_code == 400 and 'id="id_old_password_error"' in wrong.content.decode()
    assert User.objects.get(pk=alice.pk).check_password(OLD_PASSWORD)
    right = client.post(
        PASSWORD, {"old_password": OLD_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert right.status_code == 302
    assert User.objects.get(pk=alice.pk).check_password(NEW_PASSWORD)
    # Still signed in: the session hash was updated along with the password.
    assert client.get(SETTINGS).status_code == 200


def test_the_password_address_only_takes_posts(client, alice):
    client.force_login(alice)
    assert client.get(PASSWORD)["Location"] == SETTINGS


def test_both_forms_need_the_csrf_token(alice):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(SETTINGS, settings_data()).status_code == 403
    assert (
        strict.post(
            PASSWORD, {"old_password": OLD_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        ).status_code
        == 403
    )
    assert profile_of(alice).time_zone == "UTC"
    assert User.objects.get(pk=alice.pk).check_password(OLD_PASSWORD)


def test_an_old_time_zone_name_stays_selected(client, alice):
    Profile.objects.filter(owner=alice).update(time_zone="US/Pacific")
    client.force_login(alice)
    page = client.get(SETTINGS).content.decode()
    assert '<option value="US/Pacific" selected>US/Pacific</option>' in page


def test_a_refused_setting_leaves_every_setting_as_it_was_even_in_memory(alice):
    with pytest.raises(BadInput):
        # Valid values first, the bad one last: none of them may stick.
        update_settings(
            alice, time_zone="Europe/Madrid", weekly_touch_goal=9, cadences={"close": 14}, phone_region="XX"
        )
    profile = get_profile(alice)  # the copy cached on the user, not a fresh read
    assert (profile.time_zone, profile.weekly_touch_goal, profile.cadence_close_days) == ("UTC", 5, 30)
    assert Profile.objects.get(owner=alice).time_zone == "UTC"


def test_your_name_saved_in_settings_signs_the_drafted_messages(client, alice):
    from kithkin.introductions.services import propose_introduction

    client.force_login(alice)
    assert 'name="your_name"' in client.get(SETTINGS).content.decode()

    response = client.post(SETTINGS, settings_data(your_name="  Alice   Moreno "))

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.get_full_name() == "Alice Moreno"
    intro = propose_introduction(alice, make_person(alice, "Ana Ruiz"), make_person(alice, "Bo Chen"), "both row")
    assert "Alice Moreno" in client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()


def test_a_name_too_long_is_refused_and_changes_nothing(alice):
    with pytest.raises(BadInput) as refused:
        update_settings(alice, your_name="x" * 151, time_zone="Asia/Tokyo")

    assert refused.value.field == "your_name"
    assert profile_of(alice).time_zone != "Asia/Tokyo"
