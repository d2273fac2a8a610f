"""The settings page's form. The password forms are Django's own (see views)."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.http import QueryDict

from kithkin.accounts.models import Profile, RoutineBlock
from kithkin.accounts.services import MAX_WEEKLY_TARGET, parse_block
from kithkin.core import clock
from kithkin.core.choices import Circle, Closeness
from kithkin.core.errors import BadInput

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
        max_value=MAX_CADENCE_DAYS,
        help_text=CADENCE_HELP[level],
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric", "placeholder": "none"}),
    )


class SettingsForm(forms.Form):
    """Time zone, phone region and check-in cadences, for ``update_settings``.

    The rules (a real time zone, a known region, positive cadences) live in the service; its
    ``BadInput`` comes back as an error on the field it names.
    """

    your_name = forms.CharField(
        label="Your name",
        required=False,
        max_length=150,
        help_text="Signs the messages Kithkin drafts for you: introductions, links you share.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # A text field shown as a select: the service, not the form, decides what is a time zone.
    time_zone = forms.CharField(label="Time zone", widget=forms.Select)
    phone_region = forms.CharField(
        label="Phone region",
        required=False,
        max_length=2,
        help_text="Two letters, like ES or US, for numbers written without a country code.",
        widget=forms.TextInput(
            # No placeholder: a grey "ES" in an empty box reads as a value already set.
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    cadence_inner_days = _cadence_field(Closeness.INNER)
    cadence_close_days = _cadence_field(Closeness.CLOSE)
    cadence_active_days = _cadence_field(Closeness.ACTIVE)
    cadence_wider_days = _cadence_field(Closeness.WIDER)
    cadence_acquaintance_days = _cadence_field(Closeness.ACQUAINTANCE)

    def __init__(self, data: QueryDict | None = None, *, profile: Profile) -> None:
        initial = {
            "your_name": profile.owner.get_full_name(),
            "time_zone": profile.time_zone,
            "phone_region": profile.phone_region,
            **{f"cadence_{level.value}_days": getattr(profile, f"cadence_{level.value}_days") for level in Closeness},
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

    def changes(self) -> dict[str, Any]:
        """The keyword arguments of ``update_settings``."""
        data = self.cleaned_data
        return {
            "your_name": data["your_name"],
            "time_zone": data["time_zone"],
            "phone_region": data["phone_region"],
            "cadences": {level.value: data[f"cadence_{level.value}_days"] for level in Closeness},
        }


ROUTINE_FIELDS = ("weekly_touch_goal", "weekly_new_people_goal", "weekly_gives_goal")


def _target_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_WEEKLY_TARGET,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_WEEKLY_TARGET, "inputmode": "numeric"}),
    )


class RoutineForm(forms.Form):
    """The weekly routine's three targets (``update_settings``): Today shows the week's progress
    against them and the streak of weeks met. Zero turns one off."""

    weekly_touch_goal = _target_field("Touches", "Conversations, calls, emails logged.")
    weekly_new_people_goal = _target_field("New people", "People you meet for the first time.")
    weekly_gives_goal = _target_field("Gives", "Introductions, leads, resources, favors.")

    def __init__(self, data: QueryDict | None = None, *, profile: Profile) -> None:
        super().__init__(data, initial={name: getattr(profile, name) for name in ROUTINE_FIELDS})


class ImportDefaultsForm(forms.Form):
    """What people brought in by an import start as (``update_settings``). Most LinkedIn
    connections are acquaintances: they get no check-ins until the user moves them closer."""

    import_circle = forms.ChoiceField(
        label="Circle", required=False, choices=[("", "No circle"), *Circle.choices], help_text="How you know them."
    )
    import_closeness = forms.ChoiceField(
        label="Closeness",
        choices=Closeness.choices,
        help_text="Sets their check-ins (acquaintances: none, by default).",
    )

    def __init__(self, data: QueryDict | None = None, *, profile: Profile) -> None:
        initial = {"import_circle": profile.import_circle, "import_closeness": profile.import_closeness}
        super().__init__(data, initial=initial)


WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_BLOCKS = 50


def block_line(block: RoutineBlock) -> str:
    """A block as the user would type it: "Tue 08:30-09:00 Networking time"."""
    return f"{WEEKDAY_ABBREVIATIONS[block.weekday]} {block.starts_at:%H:%M}-{block.ends_at:%H:%M} {block.title}"


class RoutineBlocksForm(forms.Form):
    """The weekly networking blocks, one a line. Each line is checked here so that the error
    names the line; ``set_routine_blocks`` saves them."""

    blocks = forms.CharField(
        label="Weekly blocks",
        required=False,
        max_length=5000,
        strip=False,
        help_text="One a line: a day, the times and a name, like “Tue 08:30-09:00 Networking time”. "
        "They go into your calendar feed (on the Export page). Leave empty for none.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def __init__(self, data: QueryDict | None = None, *, blocks: list[RoutineBlock]) -> None:
        super().__init__(data, initial={"blocks": "\n".join(block_line(b) for b in blocks)})

    def clean_blocks(self) -> list[str]:
        lines: list[str] = []
        errors: list[str] = []
        for number, line in enumerate(self.cleaned_data["blocks"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                parse_block(line.strip(), "blocks")
            except BadInput as exc:
                errors.append(f"Line {number}: {exc.message}")
            lines.append(line.strip())
        if len(lines) > MAX_BLOCKS:
            errors.append(f"At most {MAX_BLOCKS} blocks, please.")
        if errors:
            raise forms.ValidationError(errors)
        return lines
