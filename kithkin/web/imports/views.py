"""The import pages: upload a file, see what it would change, import it, undo it.

An upload is kept (``stash_upload``) until the user confirms its preview; the preview is planned
once per set of options (in its URL) and kept (``preview_upload``), one plan per user at a time,
and never renders more than a few hundred rows, whatever the size of the file. Importing plans again, so what goes in is what the
network looks like at that moment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kithkin.accounts.services import get_profile
from kithkin.core.choices import Circle, Closeness
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.imports.models import Import, ImportedObject
from kithkin.imports.plan import ImportOptions, Plan, guess_format, normalize_format
from kithkin.imports.services import (
    Preview,
    PreviewBusy,
    check_upload,
    discard_upload,
    import_upload,
    list_imports,
    load_upload,
    parse_add_attendees,
    preview_upload,
    stash_upload,
    undo_import,
)
from kithkin.people.models import Person
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest
from kithkin.web.imports.forms import OPTION_FIELDS, OptionsForm, UploadForm, format_name

# Each section of a preview shows this many rows and counts the rest: a 30,000-row file must
# render as fast as a 30-row one.
SHOWN = 100
SKIPPED_SHOWN = 200
STRANGERS_SHOWN = 200
PAST_IMPORTS_SHOWN = 100
LONG_PREVIEW = 12


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


# --- the import page: upload form and past imports ---------------------------------------------


def _list_page(request: AuthedRequest, form: UploadForm, *, status: int = 200) -> HttpResponse:
    imports = list_imports(request.user)
    shown = imports[:PAST_IMPORTS_SHOWN]
    for run in shown:
        run.format_name = format_name(run.format)  # type: ignore[attr-defined]
    context = {
        "nav": "import",
        "form": form,
        "imports": shown,
        "more_imports": max(0, len(imports) - PAST_IMPORTS_SHOWN),
        "max_mb": form.max_mb,
    }
    return render(request, "imports/import_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: AuthedRequest) -> HttpResponse:
    """The upload form and the imports so far, each with Undo."""
    profile = get_profile(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, profile=profile, max_mb=settings.MAX_UPLOAD_MB)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = Path(upload.name or "upload").name[:255] or "upload"
        data = upload.read()
        try:
            fmt = normalize_format(form.cleaned_data["format"]) if form.cleaned_data["format"] else ""
            fmt = fmt or guess_format(data, filename)
            check_upload(request.user, fmt, data, filename)
        except BadInput as exc:
            add_bad_input(form, exc, OPTION_FIELDS)
        else:
            token = stash_upload(request.user, data, filename, fmt)
            query = urlencode(form.query(form.options()))
            return redirect(f"{reverse('imports:preview', args=[token])}?{query}")
    return _list_page(request, form, status=400 if form.is_bound else 200)


# --- the preview --------------------------------------------------------------------------------


def _missing_upload(request: AuthedRequest) -> HttpResponse:
    return render(request, "imports/upload_missing.html", {"nav": "import"}, status=404)


def _preview_context(token: str, preview: Preview, form: OptionsForm, options: ImportOptions) -> dict[str, Any]:
    plan, totals = preview.plan, preview.totals
    new, updates, duplicates = plan.rows("new"), plan.rows("update"), plan.rows("duplicate")
    adding = totals["new"] + (0 if options.skip_duplicates else totals["duplicates"])
    meetings = plan.meetings
    strangers = list(plan.strangers.items())
    ticked = options.add_attendees if isinstance(options.add_attendees, frozenset) else frozenset()
    return {
        "nav": "import",
        "token": token,
        "filename": preview.filename,
        "plan": plan,
        "format_name": format_name(plan.format),
        "is_calendar": plan.format == "ics",
        # LinkedIn and calendars have no labels to turn into anything.
        "has_labels": plan.format not in {"linkedin", "ics"},
        "counts": preview.counts,
        "form": form,
        "options": options,
        "new": new[:SHOWN],
        "more_new": max(0, totals["new"] - SHOWN),
        "updates": updates[:SHOWN],
        "more_updates": max(0, totals["updates"] - SHOWN),
        "duplicates": duplicates[:SHOWN],
        "more_duplicates": max(0, totals["duplicates"] - SHOWN),
        "meetings": [(m, list(zip(m.person_ids, m.names, strict=False))) for m in meetings[:SHOWN]],
        "more_meetings": max(0, totals["meetings"] - SHOWN),
        "strangers": [(email, name, count, email in ticked) for email, (name, count) in strangers[:STRANGERS_SHOWN]],
        "more_strangers": max(0, totals["strangers"] - STRANGERS_SHOWN),
        "skipped": plan.skipped[:SKIPPED_SHOWN],
        "more_skipped": max(0, totals["skipped"] - SKIPPED_SHOWN),
        # A second Import button at the end, when the first has scrolled out of sight.
        "is_long": sum(totals.values()) > LONG_PREVIEW,
        "button": _import_button(plan, adding + totals["updates"]),
        # The people the import adds: the new, the likely duplicates unless left out, and on a
        # calendar the attendees ticked.
        "adding": sum(1 for email in ticked if email in plan.strangers) if plan.format == "ics" else adding,
    }


# What a new person of each closeness is called, one and many: "start as acquaintances".
CLOSENESS_NOUNS = {
    Closeness.INNER: ("an inner contact", "inner contacts"),
    Closeness.CLOSE: ("a close contact", "close contacts"),
    Closeness.ACTIVE: ("an active contact", "active contacts"),
    Closeness.WIDER: ("a wider contact", "wider contacts"),
    Closeness.ACQUAINTANCE: ("an acquaintance", "acquaintances"),
}


def _start_as(request: AuthedRequest, options: ImportOptions, adding: int, *, is_calendar: bool) -> str:
    """How the people an import adds start out, in a sentence: "The 25 people this import adds
    start as acquaintances, with no circle: no check-ins." The options, or the settings where
    they are silent, say the closeness and circle; the closeness, the check-ins."""
    profile = get_profile(request.user)
    closeness = Closeness(options.closeness or profile.import_closeness)
    circle = f"in the {Circle(options.circle).label} circle" if options.circle else "with no circle"
    days = profile.cadence_for(closeness)
    check_ins = f"a check-in every {days:,} days" if days else "no check-ins"
    one, many = CLOSENESS_NOUNS[closeness]
    if is_calendar and not adding:
        return f"People you tick below start as {many}, {circle}: {check_ins}."
    if not adding:
        return "This import adds no one new."
    if adding == 1:
        who = "The person you add starts" if is_calendar else "The person this import adds starts"
        return f"{who} as {one}, {circle}: {check_ins}."
    who = f"The {adding:,} people you add" if is_calendar else f"The {adding:,} people this import adds"
    return f"{who} start as {many}, {circle}: {check_ins}."


def _import_button(plan: Plan, people: int) -> str:
    if plan.format == "ics":
        return "Log the meetings"
    return f"Import {_plural(people, 'person', 'people')}"


def _preview_busy(request: AuthedRequest, token: str) -> HttpResponse:
    """The answer while another preview of the user's is being planned: try again shortly."""
    again = request.get_full_path() if request.method == "GET" else reverse("imports:preview", args=[token])
    response = render(request, "imports/preview_busy.html", {"nav": "import", "again": again}, status=429)
    response["Retry-After"] = str(settings.BUSY_RETRY_AFTER)
    return response


def _preview_page(
    request: AuthedRequest, token: str, form: OptionsForm, add: frozenset[str], *, status: int = 200
) -> HttpResponse:
    options = form.options(add)
    try:
        preview = preview_upload(request.user, token, options)
    except NotFound:
        return _missing_upload(request)
    except PreviewBusy:
        return _preview_busy(request, token)
    except BadInput as exc:
        # The options are checked by the form and the file was read at upload; should the file
        # fail now all the same, the user starts again, told why.
        discard_upload(request.user, token)
        messages.error(request, f"Nothing was imported: {exc.message}")
        return redirect("imports:list")
    context = _preview_context(token, preview, form, options)
    context["start_as"] = _start_as(request, options, context["adding"], is_calendar=context["is_calendar"])
    return render(request, "imports/import_preview.html", context, status=status)


@login_required
@require_GET
def import_preview(request: AuthedRequest, token: str) -> HttpResponse:
    """What the uploaded file would change, with the options in the query string."""
    profile = get_profile(request.user)
    form = OptionsForm(request.GET if "closeness" in request.GET else None, profile=profile)
    return _preview_page(request, token, form, parse_add_attendees(request.GET.getlist("add")))


@login_required
@require_POST
def import_apply(request: AuthedRequest, token: str) -> HttpResponse:
    """Import the previewed file with the options shown, or (the other button) preview it again
    with changed options."""
    form = OptionsForm(request.POST, profile=get_profile(request.user))
    add = parse_add_attendees(request.POST.getlist("add"))
    if not form.is_valid():
        return _preview_page(request, token, form, add, status=400)
    options = form.options(add)
    if "preview" in request.POST:
        query = urlencode([*form.query(options).items(), *(("add", email) for email in sorted(add))])
        return redirect(f"{reverse('imports:preview', args=[token])}?{query}")
    try:
        result = import_upload(request.user, token, options)
    except NotFound:
        return _missing_upload(request)
    except PreviewBusy:
        return _preview_busy(request, token)
    except BadInput as exc:
        form.add_error(None, f"Nothing was imported: {exc.message}")
        return _preview_page(request, token, form, add, status=400)
    filename = result.plan.filename
    if result.import_id is None:
        messages.info(request, f"Nothing was imported: {filename} adds nothing your network does not already have.")
        return redirect("imports:list")
    messages.success(request, f"Imported {filename}.")
    return redirect("imports:detail", pk=result.import_id)


@login_required
@require_POST
def import_discard(request: AuthedRequest, token: str) -> HttpResponse:
    """Forget an upload without importing it."""
    try:
        _data, filename, _fmt = load_upload(request.user, token)
    except NotFound:
        return _missing_upload(request)
    discard_upload(request.user, token)
    messages.info(request, f"Nothing was imported from {filename}.")
    return redirect("imports:list")


# --- one import: what it did, and undo ---------------------------------------------------------


def _added_people(run: Import) -> list[Person]:
    ids = list((run.created or {}).get("people.person", []))[:SHOWN]
    return list(Person.objects.for_owner(run.owner).filter(pk__in=ids).order_by("full_name", "id"))


def _updated_people(run: Import) -> list[Person]:
    ids = (
        ImportedObject.objects.for_owner(run.owner)
        .filter(run=run, model="people.person")
        .order_by("id")
        .values_list("object_id", flat=True)[:SHOWN]
    )
    return list(Person.objects.for_owner(run.owner).filter(pk__in=list(ids)).order_by("full_name", "id"))


@login_required
@require_GET
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """What an import did: whom it added and updated, which rows it skipped."""
    run = get_owned_or_404(Import, request.user, pk=pk)
    counts = run.counts or {}
    context = {
        "nav": "import",
        "run": run,
        "format_name": format_name(run.format),
        "counts": counts,
        "added": _added_people(run),
        "more_added": max(0, int(counts.get("people_created", 0)) - SHOWN),
        "updated": _updated_people(run),
        "more_updated": max(0, int(counts.get("people_updated", 0)) - SHOWN),
        "skipped": (run.skipped or [])[:SKIPPED_SHOWN],
        "more_skipped": max(0, len(run.skipped or []) - SKIPPED_SHOWN),
    }
    return render(request, "imports/import_detail.html", context)


def _undo_note(what: str, filename: str, removed: int, restored: int, touches: int, kept: list[str]) -> str:
    done = []
    if removed:
        done.append(f"removed {_plural(removed, 'person', 'people')} it added")
    if restored:
        done.append(f"put back the details of {_plural(restored, 'person', 'people')} it changed")
    if touches:
        done.append(f"removed {_plural(touches, 'touch', 'touches')} it logged")
    note = f"Undid {what} of {filename}" + (": " + ", ".join(done) if done else "") + "."
    if kept:
        shown = ", ".join(kept[:5]) + (f" and {len(kept) - 5} more" if len(kept) > 5 else "")
        note += f" Kept {shown}: you have logged touches with them since."
    return note


@login_required
@require_http_methods(["GET", "POST"])
def import_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then put the network back as it was before the import (POST)."""
    run = get_owned_or_404(Import, request.user, pk=pk)
    if request.method == "POST":
        try:
            result = undo_import(request.user, run.pk)
        except NotFound:  # undone a moment ago, in another tab
            messages.info(request, "That import was already undone.")
            return redirect("imports:list")
        note = _undo_note(
            f"the {format_name(run.format).lower()}" if run.is_sync else "the import",
            result.filename,
            result.people_removed,
            result.people_restored,
            result.touches_removed,
            result.people_kept,
        )
        messages.success(request, note)
        return redirect("imports:list")
    context = {"nav": "import", "run": run, "format_name": format_name(run.format), "counts": run.counts or {}}
    return render(request, "imports/import_undo.html", context)
