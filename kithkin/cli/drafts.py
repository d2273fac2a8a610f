"""`kithkin draft ID`: the message a follow-up asks you to send; `kithkin draft-templates`: its wording."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kithkin.accounts.services import get_profile
from kithkin.cli.common import JsonOpt, emit_json, out, owner
from kithkin.drafts.serialize import draft_data
from kithkin.drafts.services import draft_follow_up, set_draft_templates, template_text
from kithkin.drafts.wording import EDITABLE, PLACEHOLDERS, PROFILE_FIELDS, TITLES
from kithkin.followups.services import find_follow_up

app = typer.Typer()

# Each template's option, as `kithkin settings` names the introduction templates'.
OPTIONS = {kind: f"--{kind.replace('_', '-')}" for kind in EDITABLE}


@app.command()
def draft(
    id: Annotated[str, typer.Argument(metavar="ID", help="The follow-up's id, as `kithkin due` lists it.")],
    as_json: JsonOpt = False,
) -> None:
    """The message that does a follow-up: to copy, or to open as an email with the link."""
    user = owner()
    follow_up = find_follow_up(user, id, "ID")
    drafted = draft_follow_up(user, follow_up)
    if as_json:
        emit_json(draft_data(follow_up.pk, drafted))
        return
    if drafted.to:
        out.print(f"To: {', '.join(drafted.to)}", markup=False)
    if drafted.missing:
        out.print(f"No email address for {', '.join(drafted.missing)}: add one, or fill it in.", markup=False)
    out.print(f"Subject: {drafted.subject}\n\n{drafted.body}\n", markup=False)
    out.print(drafted.mailto, markup=False)


def _option(kind: str) -> Any:
    return typer.Option(OPTIONS[kind], help=f"Your wording of the {TITLES[kind].lower()} ('' for Kithkin's).")


@app.command("draft-templates")
def draft_templates(
    thank_you: Annotated[str | None, _option("thank_you")] = None,
    check_in: Annotated[str | None, _option("check_in")] = None,
    close_loop: Annotated[str | None, _option("close_loop")] = None,
    congratulate: Annotated[str | None, _option("congratulate")] = None,
    report_back: Annotated[str | None, _option("report_back")] = None,
    rekindle: Annotated[str | None, _option("rekindle")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show (or change) the wording of the messages follow-ups draft, and the placeholders each can use."""
    user = owner()
    changes = {
        "thank_you": thank_you,
        "check_in": check_in,
        "close_loop": close_loop,
        "congratulate": congratulate,
        "report_back": report_back,
        "rekindle": rekindle,
    }
    profile = set_draft_templates(user, changes) if any(v is not None for v in changes.values()) else get_profile(user)
    if as_json:
        emit_json(
            {
                kind: {
                    "text": template_text(profile, kind),
                    "is_default": not getattr(profile, PROFILE_FIELDS[kind]),
                    "placeholders": PLACEHOLDERS[kind],
                }
                for kind in EDITABLE
            }
        )
        return
    for kind in EDITABLE:
        own = "yours" if getattr(profile, PROFILE_FIELDS[kind]) else "Kithkin's wording"
        out.print(f"[bold]{TITLES[kind]} ({OPTIONS[kind]})[/], {own}:")
        out.print(template_text(profile, kind) + "\n", markup=False)
        out.print("Placeholders: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS[kind]) + "\n", markup=False)
