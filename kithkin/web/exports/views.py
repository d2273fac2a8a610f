"""The export page (every download is a plain GET that returns a file) and the calendar feed.

The feed is the one page without a sign-in: calendar programs fetch it by its secret URL.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST, require_safe

from kithkin.accounts.services import routine_blocks
from kithkin.accounts.when import user_today
from kithkin.core.errors import BadInput
from kithkin.core.scopes import owner_scope
from kithkin.exports.backup import backup_database, export_file
from kithkin.exports.models import CalendarFeed
from kithkin.exports.services import (
    cached_feed,
    choose_people,
    export_csv,
    export_vcard,
    feed_token,
    owner_of_feed,
    revoke_feed,
)
from kithkin.people.models import Person
from kithkin.people.services import filter_suggestions, people_per
from kithkin.web.exports.forms import ExportPeopleForm
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest, is_partial, render_page

# Calendar programs poll; five minutes keeps a busy one from asking for the same feed again and again.
FEED_CACHE = "private, max-age=300"


def _attachment(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exported_file(write: Callable[[Path], object]) -> BinaryIO:
    """The file ``write`` writes, open for reading, its name already gone: nothing is left
    behind once the response has sent it."""
    folder = Path(tempfile.mkdtemp(prefix="kithkin-export-"))
    try:
        write(folder / "export")
        return (folder / "export").open("rb")
    finally:
        # The open handle keeps the file readable while it streams; the name goes now.
        shutil.rmtree(folder, ignore_errors=True)


def _backup_is_database(user: User) -> bool:
    """The SQLite snapshot is the whole database, everyone's data: only for the only account
    (the usual local install). On a shared server everyone, administrators included, gets their
    own JSON document: no page shows one user another's data (the operator has `kithkin backup`)."""
    if connection.vendor != "sqlite":
        return False
    return not User.objects.exclude(pk=user.pk).exists()


def _export_page(
    request: AuthedRequest, form: ExportPeopleForm, chosen: QuerySet[Person] | None, *, status: int = 200
) -> HttpResponse:
    """The page, or (for htmx, as the chips change) only the sentence of how many are chosen."""
    user = request.user
    context: dict[str, Any] = {
        "nav": "export",
        "form": form,
        "people_count": Person.objects.for_owner(user).count(),
        "chosen_count": chosen.count() if chosen is not None else None,
    }
    if not is_partial(request):
        feed = CalendarFeed.objects.for_owner(user).first()
        is_database = _backup_is_database(user)
        suggestions = filter_suggestions(user)
        context |= {
            "feed_url": request.build_absolute_uri(reverse("exports:feed", args=[feed_token(user)])) if feed else "",
            "blocks": routine_blocks(user),
            "backup_is_database": is_database,
            "backup_name": f"kithkin-backup-{user_today(user)}.{'sqlite3' if is_database else 'json'}",
            "circle_counts": people_per(user, "circle"),
            "closeness_counts": people_per(user, "closeness"),
            "interest_suggestions": suggestions.interests,
            "org_suggestions": suggestions.organizations,
        }
    return render_page(request, "exports/export_page.html", context, partial="chosen", status=status)


def _read_choice(request: AuthedRequest) -> tuple[ExportPeopleForm, QuerySet[Person] | None]:
    """The form of the query, and the people it chooses (None: an old text filter that cannot be
    read, its error on the form)."""
    form = ExportPeopleForm(request.GET)
    try:
        return form, choose_people(request.user, form.choice())
    except BadInput as exc:
        add_bad_input(form, exc)
        return form, None


def _chosen_people(request: AuthedRequest) -> tuple[QuerySet[Person], HttpResponse | None]:
    """The people a download takes, or the page saying why there are none to take."""
    form, people = _read_choice(request)
    if people is None or not people.exists():
        return Person.objects.none(), _export_page(request, form, people, status=400)
    return people, None


@login_required
@require_GET
def export_page(request: AuthedRequest) -> HttpResponse:
    """The downloads, the people they take, and the calendar feed's URL."""
    form, chosen = _read_choice(request)
    return _export_page(request, form, chosen)


@login_required
@require_GET
def download_vcard(request: AuthedRequest) -> HttpResponse:
    """vCard 4.0, or 3.0 for older address books (``?version=3.0``)."""
    people, refused = _chosen_people(request)
    if refused is not None:
        return refused
    version = "3.0" if request.GET.get("version") == "3.0" else "4.0"
    text = export_vcard(request.user, people, version=version)
    suffix = "-vcard3" if version == "3.0" else ""
    return _attachment(text, f"kithkin-{user_today(request.user)}{suffix}.vcf", "text/vcard; charset=utf-8")


@login_required
@require_GET
def download_csv(request: AuthedRequest) -> HttpResponse:
    """Google Contacts' CSV layout, which Google, Outlook and spreadsheets read."""
    people, refused = _chosen_people(request)
    if refused is not None:
        return refused
    text = export_csv(request.user, people)
    return _attachment(text, f"kithkin-{user_today(request.user)}.csv", "text/csv; charset=utf-8")


@login_required
@require_GET
def download_json(request: AuthedRequest) -> FileResponse:
    """Everything of the user's, as one JSON document (``kithkin restore`` reads it), written
    as it is read to a file that is then sent: the network never sits in memory, and the
    export's transaction ends before the download starts, however slow the connection."""
    handle = _exported_file(lambda target: export_file(request.user, target))
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"kithkin-{user_today(request.user)}.json",
        content_type="application/json; charset=utf-8",
    )


@login_required
@require_GET
def download_backup(request: AuthedRequest) -> FileResponse:
    """A snapshot safe to take while the server runs: the SQLite database file, or (on PostgreSQL,
    or for one of several accounts) the user's JSON document."""
    kind = "sqlite" if _backup_is_database(request.user) else "json"
    if kind == "sqlite":
        handle = _exported_file(lambda target: backup_database(target, request.user))
    else:
        handle = _exported_file(lambda target: export_file(request.user, target))
    suffix, content_type = (
        (".sqlite3", "application/vnd.sqlite3") if kind == "sqlite" else (".json", "application/json")
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"kithkin-backup-{user_today(request.user)}{suffix}",
        content_type=content_type,
    )
    return response


# --- the calendar feed --------------------------------------------------------------------------


@login_required
@require_POST
def feed_make(request: AuthedRequest) -> HttpResponse:
    feed_token(request.user)
    messages.success(request, "Your calendar URL is ready: copy it into your calendar program.")
    return redirect(reverse("exports:list") + "#calendar")


@login_required
@require_POST
def feed_revoke(request: AuthedRequest) -> HttpResponse:
    if revoke_feed(request.user):
        messages.success(request, "The calendar URL no longer works: calendars subscribed to it stop updating.")
    return redirect(reverse("exports:list") + "#calendar")


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The follow-ups and networking blocks as an iCalendar feed, for whoever holds the secret URL."""
    owner = owner_of_feed(token)
    if owner is None:
        raise Http404("No such calendar feed.")
    # The token signs the calendar program in as the feed's owner: this view is its own edge.
    with owner_scope(owner):
        body = cached_feed(owner, base_url=f"{request.scheme}://{request.get_host()}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = FEED_CACHE
    response["Content-Disposition"] = 'inline; filename="kithkin.ics"'
    return response
