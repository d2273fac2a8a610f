import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from kithkin.accounts.models import Profile, RoutineBlock
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
    """Every field of the settings form, as the page posts them all with its one Save."""
    data = {
        "your_name": "",
        "time_zone": "Europe/Madrid",
        "phone_region": "ES",
        "cadence_inner_days": "7",
        "cadence_close_days": "30",
        "cadence_active_days": "90",
        "cadence_wider_days": "180",
        "cadence_acquaintance_days": "",
        "weekly_touch_goal": "5",
        "weekly_new_people_goal": "2",
        "weekly_gives_goal": "2",
        "blocks": "",
        "import_circle": "",
        "import_closeness": "acquaintance",
        "appearance": "system",
        "email": "",
        "digest_at": "07:30",
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
    assert '<small class="field-error" id="id_time_zone_error">Unknown time zone' in body
    assert "Nothing was saved. Fix what is marked below, then save again." in body
    profile = profile_of(alice)
    assert profile.time_zone == "UTC" and profile.cadence_close_days == 30
    assert check_in_of(alice, ana).due_at == NOW + timedelta(days=30)


def test_a_cadence_of_zero_days_is_refused_next_to_its_field(client, alice):
    client.force_login(alice)
    body = client.post(SETTINGS, settings_data(cadence_inner_days="0")).content.decode()
    assert 'id="id_cadence_inner_days_error">Use 1 day or more, or leave it empty for no check-ins.' in body
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
    assert "Current password" in after.content.decode() and "Change password</button>" in after.content.decode()


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


# Issue 17: one form, one Save
def test_every_setting_is_in_one_form_with_one_save(client, alice):
    client.force_login(alice)
    page = client.get(SETTINGS).content.decode()
    settings_form = page.split('class="settings-form"', 1)[1].split("</form>", 1)[0]
    for name in settings_data():
        assert f'name="{name}"' in settings_form, name
    assert settings_form.count("<button") == 1 and ">Save settings</button>" in settings_form
    assert page.count('<button type="submit">') == 1  # the password's button is a secondary one
    assert 'name="section"' not in page


def test_one_save_changes_every_section_at_once(client, alice):
    client.force_login(alice)
    response = client.post(
        SETTINGS,
        settings_data(
            your_name="Alice Moreno",
            weekly_touch_goal="8",
            blocks="Tue 08:30-09:00 Networking time",
            import_circle="colleague",
            import_closeness="wider",
            appearance="dark",
        ),
    )
    assert response.status_code == 302 and response["Location"] == SETTINGS
    profile = profile_of(alice)
    assert (profile.time_zone, profile.weekly_touch_goal, profile.import_circle, profile.import_closeness) == (
        "Europe/Madrid",
        8,
        "colleague",
        "wider",
    )
    assert profile.appearance == "dark"
    assert [str(block) for block in RoutineBlock.objects.for_owner(alice)] == ["Networking time, Tuesdays 08:30–09:00"]
    assert User.objects.get(pk=alice.pk).get_full_name() == "Alice Moreno"


def test_a_mistake_in_one_section_saves_nothing_in_the_others(client, alice):
    client.force_login(alice)
    response = client.post(
        SETTINGS, settings_data(weekly_touch_goal="8", appearance="dark", blocks="Funday 10-11", your_name="Al")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_blocks_error">Line 1: &#x27;Funday&#x27; is not a day of the week.</small>' in body
    # What was typed stays in the boxes, to fix and save again.
    assert 'name="weekly_touch_goal" value="8"' in body and "Funday 10-11</textarea>" in body
    profile = profile_of(alice)
    assert (profile.weekly_touch_goal, profile.appearance, profile.time_zone) == (5, "system", "UTC")
    assert not RoutineBlock.objects.for_owner(alice).exists() and User.objects.get(pk=alice.pk).first_name == ""


def test_the_first_field_in_error_gets_the_cursor_and_is_tied_to_its_message(client, alice):
    client.force_login(alice)
    body = client.post(SETTINGS, settings_data(cadence_close_days="0", weekly_gives_goal="lots")).content.decode()
    close = re.search(r"<input [^>]*name=\"cadence_close_days\"[^>]*>", body)[0]
    assert "autofocus" in close and 'aria-invalid="true"' in close
    assert 'aria-describedby="id_cadence_close_days_helptext id_cadence_close_days_error"' in close
    gives = re.search(r"<input [^>]*name=\"weekly_gives_goal\"[^>]*>", body)[0]
    assert "autofocus" not in gives and 'aria-invalid="true"' in gives
    assert 'id="id_weekly_gives_goal_error">Type a whole number, like 30.</small>' in body
    assert body.count("autofocus") == 1


def test_nothing_has_the_cursor_on_a_fresh_page(client, alice):
    client.force_login(alice)
    assert "autofocus" not in client.get(SETTINGS).content.decode()


# Issue 17: appearance
def test_the_appearance_chosen_is_worn_by_every_page(client, alice):
    client.force_login(alice)
    page = client.get(SETTINGS).content.decode()
    assert '<html lang="en" data-theme="system">' in page and '<meta name="color-scheme" content="light dark">' in page
    assert re.search(r'<input type="radio" name="appearance" value="system"[^>]* checked', page)
    assert "Match my system" in page
    client.post(SETTINGS, settings_data(appearance="dark"))
    today = client.get(reverse("followups:today")).content.decode()
    assert '<html lang="en" data-theme="dark">' in today and '<meta name="color-scheme" content="dark">' in today
    client.post(SETTINGS, settings_data(appearance="light"))
    people = client.get(reverse("people:list")).content.decode()
    assert '<html lang="en" data-theme="light">' in people and '<meta name="color-scheme" content="light">' in people


def test_a_signed_out_page_follows_the_system(client, alice):
    update_settings(alice, appearance="dark")
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en" data-theme="system">' in page and 'content="light dark"' in page


def test_an_unknown_appearance_is_refused_in_words(client, alice):
    client.force_login(alice)
    body = client.post(SETTINGS, settings_data(appearance="sepia")).content.decode()
    assert "Pick one of the options." in body and profile_of(alice).appearance == "system"


# Issue 17: the password in plain words
DJANGO_WORDING = (
    "This field is required",
    "didn’t match",
    "entered incorrectly",
    "Password confirmation",
    "Old password",
    "Your password can’t",
    "too similar",
    "too common",
    "This password is",
    "<ul",
)


def password_section(page):
    return page.split('id="password"', 1)[1].split("</section>", 1)[0]


def test_the_password_form_speaks_plainly(client, alice):
    client.force_login(alice)
    section = password_section(client.get(SETTINGS).content.decode())
    for label in ("Current password", "New password", "New password again"):
        assert f">{label}</label>" in section
    assert "At least 8 characters, not only numbers, not a common password, and not too like your name." in section
    assert not any(words in section for words in DJANGO_WORDING)


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"old_password": "not it"}, "old_password", "Your current password isn&#x27;t right."),
        ({"new_password2": "something else 42"}, "new_password2", "The two passwords don&#x27;t match."),
        ({"new_password1": "short", "new_password2": "short"}, "new_password1", "That&#x27;s too short"),
        ({"new_password1": "password", "new_password2": "password"}, "new_password1", "a common password"),
        ({"new_password1": "48213977564", "new_password2": "48213977564"}, "new_password1", "not only numbers"),
        ({"new_password1": "alice123", "new_password2": "alice123"}, "new_password1", "too like your name"),
        ({"old_password": ""}, "old_password", "Please fill this in."),
    ],
)
def test_a_refused_password_says_why_in_plain_words(client, alice, post, field, message):
    client.force_login(alice)
    data = {"old_password": OLD_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, **post}
    response = client.post(PASSWORD, data)
    assert response.status_code == 400
    section = password_section(response.content.decode())
    error = re.search(rf'id="id_{field}_error">([^<]*)</small>', section)
    assert error and message in error[1]
    assert not any(words in section for words in DJANGO_WORDING)
    assert re.search(rf'<input [^>]*name="{field}"[^>]*autofocus', section)
    assert User.objects.get(pk=alice.pk).check_password(OLD_PASSWORD)


def test_the_daily_digest_is_turned_on_with_your_address_and_a_time(client, alice):
    client.force_login(alice)
    page = client.get(SETTINGS).content.decode()
    assert 'id="digest"' in page and 'name="email"' in page and 'value="07:30"' in page
    response = client.post(SETTINGS, settings_data(email="alice@example.com", digest="on", digest_at="06:45"))
    assert response.status_code == 302
    saved = client.get(SETTINGS).content.decode()
    assert "The daily digest goes to alice@example.com each morning at 06:45." in saved
    profile = profile_of(alice)
    alice.refresh_from_db()
    assert profile.is_digest_on and f"{profile.digest_time:%H:%M}" == "06:45" and alice.email == "alice@example.com"


def test_the_daily_digest_is_refused_without_an_address_and_nothing_is_saved(client, alice):
    client.force_login(alice)
    response = client.post(SETTINGS, settings_data(digest="on", weekly_touch_goal="9"))
    assert response.status_code == 400
    assert "your address" in response.content.decode()
    assert not profile_of(alice).is_digest_on and profile_of(alice).weekly_touch_goal == 5
