"""What the settings page posts, for the tests of the pages whose settings it holds."""

from __future__ import annotations

from django.contrib.auth.models import User

from kithkin.accounts.models import Profile
from kithkin.accounts.services import routine_blocks
from kithkin.web.accounts.forms import SettingsForm


def settings_post(owner: User, **changes: str) -> dict[str, str]:
    """Every field of the settings form as it stands for ``owner`` (its one Save posts them all),
    with ``changes`` made."""
    form = SettingsForm(profile=Profile.objects.get(owner=owner), blocks=routine_blocks(owner))
    data = {name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields}
    data.update(changes)
    return data
