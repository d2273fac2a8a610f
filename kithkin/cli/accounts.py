"""Your settings: settings."""

from __future__ import annotations

from typing import Annotated

import typer
from django.contrib.auth.models import User

from kithkin.accounts.models import Profile
from kithkin.accounts.services import routine_blocks, update_settings_and_blocks
from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.core.choices import Closeness, parse_choice
from kithkin.core.errors import BadInput

app = typer.Typer()


def _cadences(items: list[str]) -> dict[str, int | None]:
    """``close=21`` and ``close=never`` options, by closeness level."""
    cadences: dict[str, int | None] = {}
    for item in items:
        level, _, days = item.partition("=")
        level = parse_choice(Closeness, level, "cadence")
        if days.strip().lower() in {"never", "none", ""}:
            cadences[level] = None
        elif days.strip().isdigit():
            cadences[level] = int(days)
        else:
            raise BadInput("cadence", f"expected LEVEL=DAYS or LEVEL=never, got {item!r}")
    return cadences


def _on_off(value: str) -> bool:
    word = value.strip().lower()
    if word not in {"on", "off"}:
        raise BadInput("digest", f"expected on or off, got {value!r}")
    return word == "on"


@app.command(name="settings")
def settings_command(
    time_zone: Annotated[str | None, typer.Option("--time-zone", help="e.g. Europe/Madrid.")] = None,
    cadence: Annotated[
        list[str] | None, typer.Option("--cadence", help="LEVEL=DAYS or LEVEL=never, e.g. close=21 (repeatable).")
    ] = None,
    weekly_goal: Annotated[int | None, typer.Option("--weekly-goal", min=0, help="Touches a week.")] = None,
    weekly_new_people: Annotated[
        int | None, typer.Option("--weekly-new-people", min=0, help="New people to meet a week.")
    ] = None,
    weekly_gives: Annotated[int | None, typer.Option("--weekly-gives", min=0, help="Gives to make a week.")] = None,
    phone_region: Annotated[
        str | None, typer.Option("--phone-region", help="Country code for numbers without one, e.g. ES.")
    ] = None,
    import_circle: Annotated[
        str | None, typer.Option("--import-circle", help="Circle of imported people ('' for none).")
    ] = None,
    import_closeness: Annotated[
        str | None, typer.Option("--import-closeness", help="Closeness of imported people (default acquaintance).")
    ] = None,
    block: Annotated[
        list[str] | None,
        typer.Option(
            "--block",
            help="A weekly networking block, 'Tue 08:30-09:00 Networking time' (repeatable; replaces them all).",
        ),
    ] = None,
    no_blocks: Annotated[bool, typer.Option("--no-blocks", help="Remove every networking block.")] = False,
    name: Annotated[
        str | None, typer.Option("--name", help="Your name: it signs the messages Kithkin drafts ('' for none).")
    ] = None,
    appearance: Annotated[
        str | None, typer.Option("--appearance", help="The web pages: system (match it), light or dark.")
    ] = None,
    email: Annotated[
        str | None,
        typer.Option("--email", help="Your own address: the daily digest and password resets go to it ('' for none)."),
    ] = None,
    digest: Annotated[
        str | None, typer.Option("--digest", help="The daily digest by email: on or off (it needs --email).")
    ] = None,
    digest_at: Annotated[
        str | None, typer.Option("--digest-at", help="When the digest goes out, HH:MM in your time zone (07:30).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show or change your settings: your name and address, time zone, cadences, weekly targets, import defaults,
    networking blocks, appearance, the daily digest."""
    user = owner()
    cadences = _cadences(cadence or [])
    if block and no_blocks:
        raise BadInput("no-blocks", "give --block or --no-blocks, not both")
    profile = update_settings_and_blocks(
        user,
        blocks=list(block or []) if block or no_blocks else None,
        time_zone=time_zone,
        cadences=cadences,
        weekly_touch_goal=weekly_goal,
        weekly_new_people_goal=weekly_new_people,
        weekly_gives_goal=weekly_gives,
        phone_region=phone_region,
        import_circle=import_circle,
        import_closeness=import_closeness,
        your_name=name,
        appearance=appearance,
        email=email,
        digest=None if digest is None else _on_off(digest),
        digest_time=digest_at,
    )
    if as_json:
        emit_json(_settings_data(user, profile))
    else:
        _print_settings(user, profile)


def _settings_data(user: User, profile: Profile) -> dict[str, object]:
    return {
        "name": user.get_full_name() or None,
        "email": user.email or None,
        "time_zone": profile.time_zone,
        "phone_region": profile.phone_region or None,
        "weekly_touch_goal": profile.weekly_touch_goal,
        "weekly_new_people_goal": profile.weekly_new_people_goal,
        "weekly_gives_goal": profile.weekly_gives_goal,
        "cadence_days": {level: profile.cadence_for(level) for level in Closeness.values},
        "import_circle": profile.import_circle or None,
        "import_closeness": profile.import_closeness,
        "blocks": [str(b) for b in routine_blocks(user)],
        "appearance": profile.appearance,
        "digest": {"on": profile.is_digest_on, "at": f"{profile.digest_time:%H:%M}"},
    }


def _print_settings(user: User, profile: Profile) -> None:
    blocks = [str(b) for b in routine_blocks(user)]
    out.print(f"your name      {user.get_full_name() or '(none: drafts are signed with nothing)'}")
    out.print(f"your address   {user.email or '(none: no digest or password reset by email)'}")
    out.print(f"time zone      {profile.time_zone}")
    out.print(f"phone region   {profile.phone_region or '(none)'}")
    out.print(
        f"weekly goal    {profile.weekly_touch_goal} touches, {profile.weekly_new_people_goal} new people, "
        f"{profile.weekly_gives_goal} gives"
    )
    for level in Closeness.values:
        every = profile.cadence_for(level)
        out.print(f"{level:<14} {'every ' + str(every) + ' days' if every else 'no check-ins'}")
    out.print(
        f"imports        {profile.import_closeness}{', ' + profile.import_circle if profile.import_circle else ''}"
    )
    out.print(f"blocks         {'; '.join(blocks) if blocks else '(none)'}")
    out.print(f"appearance     {profile.appearance}")
    at = f"{profile.digest_time:%H:%M}"
    out.print(f"daily digest   {f'on, at {at}' if profile.is_digest_on else f'off (at {at} when on)'}")
