"""The settings page's forms: every setting in one form with one Save; the password apart (it
asks for the current one); signing in. All of them in plain words, Django's wording nowhere."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict

from kithkin.accounts.models import Profile, RoutineBlock
from kithkin.accounts.services import MAX_WEEKLY_TARGET, parse_block
from kithkin.accounts.users import username_for_sign_in
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness
from kithkin.core.errors import BadInput
from kithkin.web.forms import Form, PlainWords, plain

if TYPE_CHECKING:
    from django.db.models.fields import _ErrorMessagesDict

# The areas of the time zone database where people live. The names outside them are old
# aliases ("US/Pacific", "Japan", "Etc/GMT+5") that would double a list already 400 long.
AREAS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
# A guard for the web form: the database column is an integer, and ten years is plenty.
MAX_CADENCE_DAYS = 3650
CADENCE_HELP = {
    Closeness.INNER: "Family, best friends",
    Closeness.CLOSE: "Good friends, mentors",
    Closeness.ACTIVE: "People you work with",
    Closeness.WIDER: "Your wider network",
    Closeness.ACQUAINTANCE: "Met once or twice",
}

ZoneChoices = list[tuple[str, str] | tuple[str, list[tuple[str, str]]]]


@cache
def _zone_names() -> tuple[str, ...]:
    # available_timezones() reads the whole zone directory; the answer does not change while running.
    return tuple(sorted(zoneinfo.available_timezones()))


def time_zone_choices(current: str) -> ZoneChoices:
    """UTC, then each area's cities ("Madrid" under "Europe"), so a phone shows short groups
    and typing a city's first letters on a keyboard jumps to it."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in _zone_names():
        area, _, city = name.partition("/")
        if area in AREAS and city:
            groups.setdefault(area, []).append((name, city.replace("_", " ")))
    choices: ZoneChoices = [("UTC", "UTC")]
    # An alias chosen elsewhere (the CLI, the machine's own setting) stays selectable.
    if current and current != "UTC" and current.partition("/")[0] not in AREAS:
        choices.append((current, current))
    choices.extend(groups.items())
    return choices


def _cadence_field(level: Closeness) -> forms.IntegerField:
    return forms.IntegerField(
        label=str(level.label).capitalize(),
        required=False,
        min_value=1,
        max_value=MAX_CADENCE_DAYS,
        help_text=CADENCE_HELP[level],
        error_messages={
            "min_value": "Use 1 day or more, or leave it empty for no check-ins.",
            "max_value": f"Use {MAX_CADENCE_DAYS} days or fewer (ten years), or leave it empty for no check-ins.",
        },
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric", "placeholder": "none"}),
    )


def _target_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_WEEKLY_TARGET,
        help_text=help_text,
        error_messages={
            "min_value": "Use 0 or more: 0 turns this target off.",
            "max_value": f"Use {MAX_WEEKLY_TARGET} or fewer a week.",
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_WEEKLY_TARGET, "inputmode": "numeric"}),
    )


WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_BLOCKS = 50
ROUTINE_FIELDS = ("weekly_touch_goal", "weekly_new_people_goal", "weekly_gives_goal")
# The fields the services name in BadInput that the form calls otherwise.
SERVICE_FIELDS = {"block": "blocks"}


def block_line(block: RoutineBlock) -> str:
    """A block as the user would type it: "Tue 08:30-09:00 Networking time"."""
    return f"{WEEKDAY_ABBREVIATIONS[block.weekday]} {block.starts_at:%H:%M}-{block.ends_at:%H:%M} {block.title}"


class SettingsForm(Form):
    """Every setting of the page, saved together by ``update_settings_and_blocks``: you (name,
    time zone, country), the check-in rhythm, the weekly routine and its blocks, imports, and the
    appearance. One Save; a refused value leaves every setting as it was.

    The rules (a real time zone, a known region) live in the service; its ``BadInput`` comes back
    as an error on the field it names (``SERVICE_FIELDS``).
    """

    # You
    your_name = forms.CharField(
        label="Your name",
        required=False,
        max_length=150,
        help_text="Signs the messages Kithkin drafts for you: introductions, links you share.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Checked by the service (a real address, no other account's): the digest goes to it.
    email = forms.CharField(
        label="Your address",
        required=False,
        max_length=254,
        help_text="Your own email address: the daily digest and password resets go to it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    # A text field shown as a select: the service, not the form, decides what is a time zone.
    time_zone = forms.CharField(label="Time zone", widget=forms.Select)
    phone_region = forms.CharField(
        label="Your country",
        required=False,
        max_length=2,
        help_text="Two letters, like ES or US. A phone number written without a country code is read as one from here.",
        error_messages={"max_length": "Use the country's two letters, like ES or US."},
        widget=forms.TextInput(
            # No placeholder: a grey "ES" in an empty box reads as a value already set.
            attrs={"autocapitalize": "characters", "autocomplete": "country", "spellcheck": "false"}
        ),
    )
    # Check-in rhythm
    cadence_inner_days = _cadence_field(Closeness.INNER)
    cadence_close_days = _cadence_field(Closeness.CLOSE)
    cadence_active_days = _cadence_field(Closeness.ACTIVE)
    cadence_wider_days = _cadence_field(Closeness.WIDER)
    cadence_acquaintance_days = _cadence_field(Closeness.ACQUAINTANCE)
    # Weekly routine: Today shows the week's progress against the targets and the streak of weeks met.
    weekly_touch_goal = _target_field("Touches", "Conversations, calls, emails logged.")
    weekly_new_people_goal = _target_field("New people", "People you meet for the first time.")
    weekly_gives_goal = _target_field("Gives", "Introductions, leads, resources, favors.")
    blocks = forms.CharField(
        label="Networking time",
        required=False,
        max_length=5000,
        strip=False,
        help_text="One a line: a day, the times and a name, like “Tue 08:30-09:00 Networking time”. "
        "Leave it empty for none.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    # Imports: most LinkedIn connections are acquaintances, with no check-ins until moved closer.
    import_circle = forms.ChoiceField(
        label="Circle", required=False, choices=[("", "No circle"), *Circle.choices], help_text="How you know them."
    )
    import_closeness = forms.ChoiceField(
        label="Closeness",
        choices=Closeness.choices,
        help_text="Sets their check-ins (acquaintances: none, by default).",
    )
    # Daily digest
    digest = forms.BooleanField(
        label="Email me a daily digest",
        required=False,
        help_text="Each morning: what is due, who to rekindle, introductions waiting on you, the week so far. "
        "It goes to your address.",
    )
    digest_at = forms.TimeField(
        label="At",
        input_formats=["%H:%M", "%H:%M:%S"],
        help_text="In your time zone.",
        error_messages={"invalid": "Use a time of day like 07:30."},
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    # Appearance
    appearance = forms.ChoiceField(
        label="Light or dark",
        choices=Profile.Appearance.choices,
        help_text="“Match my system” follows the setting of your computer or phone.",
        widget=forms.RadioSelect,
    )

    def __init__(self, data: QueryDict | None = None, *, profile: Profile, blocks: list[RoutineBlock]) -> None:
        initial = {
            "your_name": profile.owner.get_full_name(),
            "email": profile.owner.email,
            "time_zone": profile.time_zone,
            "phone_region": profile.phone_region,
            **{f"cadence_{level.value}_days": getattr(profile, f"cadence_{level.value}_days") for level in Closeness},
            **{name: getattr(profile, name) for name in ROUTINE_FIELDS},
            "blocks": "\n".join(block_line(b) for b in blocks),
            "import_circle": profile.import_circle,
            "import_closeness": profile.import_closeness,
            "appearance": profile.appearance,
            "digest": profile.is_digest_on,
            "digest_at": profile.digest_time,
        }
        super().__init__(data, initial=initial)
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone.widget, forms.Select)
        time_zone.widget.choices = time_zone_choices(profile.time_zone)
        local = clock.now().astimezone(profile.tz)
        time_zone.help_text = (
            f"It is {local:%H:%M} on {local:%A} in {profile.time_zone}. Dates and reminders follow it."
        )

    @property
    def cadence_fields(self) -> list[forms.BoundField]:
        return [self[f"cadence_{level.value}_days"] for level in Closeness]

    @property
    def target_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ROUTINE_FIELDS]

    def clean_blocks(self) -> list[str]:
        """Each line checked here, so that the error names the line."""
        lines: list[str] = []
        errors: list[str] = []
        for number, line in enumerate(self.cleaned_data["blocks"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                parse_block(line.strip(), "blocks")
            except BadInput as exc:
                errors.append(f"Line {number}: {plain(exc.message)}")
            lines.append(line.strip())
        if len(lines) > MAX_BLOCKS:
            errors.append(f"Keep it to {MAX_BLOCKS} blocks or fewer.")
        if errors:
            raise forms.ValidationError(errors)
        return lines

    def changes(self) -> dict[str, Any]:
        """The keyword arguments of ``update_settings_and_blocks``."""
        data = self.cleaned_data
        return {
            "your_name": data["your_name"],
            "time_zone": data["time_zone"],
            "phone_region": data["phone_region"],
            "cadences": {level.value: data[f"cadence_{level.value}_days"] for level in Closeness},
            **{name: data[name] for name in ROUTINE_FIELDS},
            "blocks": data["blocks"],
            "import_circle": data["import_circle"],
            "import_closeness": data["import_closeness"],
            "appearance": data["appearance"],
            "email": data["email"],
            "digest": data["digest"],
            "digest_time": data["digest_at"],
        }


# --- password -----------------------------------------------------------------------------------

# One sentence for AUTH_PASSWORD_VALIDATORS (settings.py), in place of Django's list of rules.
PASSWORD_RULES = "At least 8 characters, not only numbers, not a common password, and not too like your name."
PASSWORD_MESSAGES: _ErrorMessagesDict = {
    "password_mismatch": "The two passwords don't match.",
    "password_incorrect": "Your current password isn't right.",
}


def _rule_broken(error: ValidationError) -> str:
    """A password validator's refusal in plain words, by its code."""
    params = error.params or {}
    if error.code == "password_too_short":
        return f"That's too short: use at least {params.get('min_length', 8)} characters."
    if error.code == "password_too_similar":
        return "That's too like your name or user name. Pick something else."
    if error.code == "password_too_common":
        return "That's a common password, easy to guess. Pick something less usual."
    if error.code == "password_entirely_numeric":
        return "Use some letters too, not only numbers."
    return "Kithkin can't use that password. Pick another."


class _PlainPasswords(PlainWords):
    """Django's password forms with Kithkin's labels and words. The rules are checked against
    the new password (where the sentence of rules is), not the one typed again."""

    error_messages = PASSWORD_MESSAGES
    user: User

    def _plain_labels(self, *, first: bool) -> None:
        new, again = self.fields["new_password1"], self.fields["new_password2"]
        new.label, again.label = ("Password", "Password again") if first else ("New password", "New password again")
        new.help_text, again.help_text = PASSWORD_RULES, ""

    def clean(self) -> dict[str, Any]:
        password, again = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if password and again and password != again:
            self.add_error(
                "new_password2", ValidationError(PASSWORD_MESSAGES["password_mismatch"], code="password_mismatch")
            )
        if password:
            try:
                password_validation.validate_password(password, self.user)
            except ValidationError as refused:
                self.add_error(
                    "new_password1", [ValidationError(_rule_broken(e), code=e.code) for e in refused.error_list]
                )
        return self.cleaned_data


class SetPasswordForm(_PlainPasswords, auth_forms.SetPasswordForm):
    """A first password, for the local owner who signs in with a link."""

    def __init__(self, user: User, data: QueryDict | None = None) -> None:
        super().__init__(user, data)
        self._plain_labels(first=True)


class PasswordChangeForm(_PlainPasswords, auth_forms.PasswordChangeForm):
    def __init__(self, user: User, data: QueryDict | None = None) -> None:
        super().__init__(user, data)
        self._plain_labels(first=False)
        current = self.fields["old_password"]
        current.label = "Current password"
        # Django focuses it on load; on the settings page the cursor belongs at the top.
        current.widget.attrs.pop("autofocus", None)


class SignInForm(PlainWords, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "That user name and password don't match. Check both: capital letters count.",
        "inactive": "This account is switched off.",
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email or user name"

    def clean_username(self) -> str:
        # An address signs in the account that has it, in any case: accounts made by invitation
        # are named by their address, and the local owner may have one set in Settings.
        return username_for_sign_in(self.cleaned_data["username"])


# --- accounts of a shared server: the Team page, sign-up, a forgotten password --------------------


class InviteForm(Form):
    email = forms.EmailField(label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    name = forms.CharField(label="Name", required=False, max_length=150, help_text="How Kithkin greets them.")
    is_admin = forms.BooleanField(
        label="Admin", required=False, help_text="They may invite people and switch accounts off and on too."
    )


class SignUpForm(Form):
    email = forms.EmailField(label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(
        label="Your name", required=False, max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text=PASSWORD_RULES,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            would_be = User(
                username=data.get("email", ""), email=data.get("email", ""), first_name=data.get("name", "")
            )
            try:
                password_validation.validate_password(password, would_be)
            except ValidationError as refused:
                self.add_error("password", [ValidationError(_rule_broken(e), code=e.code) for e in refused.error_list])
        return data


class ForgotPasswordForm(Form):
    email = forms.EmailField(
        label="Your email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
