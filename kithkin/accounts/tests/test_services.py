"""The local owner and settings changed together with the weekly networking blocks."""

import pytest

from kithkin.accounts.models import Profile, RoutineBlock
from kithkin.accounts.services import get_or_create_local_owner, update_settings_and_blocks
from kithkin.core.errors import BadInput


def test_the_local_owner_is_the_user_the_settings_name(db, settings):
    settings.LOCAL_OWNER_USERNAME = "ana"
    assert get_or_create_local_owner().username == "ana"
    assert get_or_create_local_owner("bo").username == "bo"


def test_settings_and_blocks_change_together_or_not_at_all(alice):
    profile = update_settings_and_blocks(alice, blocks=["Tue 08:30-09:00"], time_zone="Europe/Madrid")
    assert profile.time_zone == "Europe/Madrid"
    assert RoutineBlock.objects.for_owner(alice).count() == 1

    with pytest.raises(BadInput) as refused:
        update_settings_and_blocks(alice, blocks=["someday 9-10"], time_zone="Asia/Tokyo")
    assert refused.value.field == "block"
    assert Profile.objects.get(owner=alice).time_zone == "Europe/Madrid"
    assert RoutineBlock.objects.for_owner(alice).count() == 1


def test_blocks_left_as_they_are_when_none_are_given(alice):
    update_settings_and_blocks(alice, blocks=["Tue 08:30-09:00"])
    update_settings_and_blocks(alice, blocks=None, weekly_touch_goal=3)
    assert RoutineBlock.objects.for_owner(alice).count() == 1
    update_settings_and_blocks(alice, blocks=[])
    assert not RoutineBlock.objects.for_owner(alice).exists()


def test_your_own_address_is_checked_and_never_shared_by_two_accounts(alice, bob):
    update_settings_and_blocks(alice, blocks=None, email=" Alice@Example.com ")
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    with pytest.raises(BadInput) as taken:
        update_settings_and_blocks(bob, blocks=None, email="ALICE@example.com", time_zone="Asia/Tokyo")
    assert taken.value.field == "email"
    assert Profile.objects.get(owner=bob).time_zone != "Asia/Tokyo"
    with pytest.raises(BadInput):
        update_settings_and_blocks(alice, blocks=None, email="not an address")
    update_settings_and_blocks(alice, blocks=None, email="")
    alice.refresh_from_db()
    assert alice.email == ""
