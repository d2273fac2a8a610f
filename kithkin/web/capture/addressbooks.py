"""Connected accounts: the address books section and its pages. Add an address book, look at its
first sync before anything goes in, import it, sync it now, remove it: the same services as
`kithkin addressbook`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kithkin.capture import addressbooks
from kithkin.capture.addressbooks import Failed
from kithkin.capture.models import Source
from kithkin.capture.services import sync_source
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.web.capture import calendars, mail
from kithkin.web.capture.forms import ConnectionForm
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest

# Each part of a preview shows this many people and counts the rest.
SHOWN = 100


class AddressBookForm(ConnectionForm):
    id_prefix = "book"
    url = forms.CharField(
        label="Address",
        max_length=2000,
        help_text="The address of the address book, of your account, or only of the server "
        "(https://cloud.example.com): Kithkin finds the address book.",
    )
    username = forms.CharField(label="User name", max_length=255)
    password = forms.CharField(
        label="Password",
        max_length=1000,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="An app password, where your service offers them (iCloud and Fastmail do). It is kept encrypted.",
    )


def section(request: AuthedRequest, form: AddressBookForm | None = None) -> dict[str, object]:
    """What the Connected accounts page shows of address books."""
    return {
        "address_books": addressbooks.list_address_books(request.user),
        "addressbook_form": form or AddressBookForm(),
    }


def _book(request: AuthedRequest, pk: int) -> Source:
    return get_owned_or_404(Source, request.user, pk=pk, kind=Source.Kind.CARDDAV)


def _connections(request: AuthedRequest, form: AddressBookForm, *, status: int) -> HttpResponse:
    """The Connected accounts page again, with the add form as it was sent (and its errors)."""
    context: dict[str, object] = {"nav": "settings"}
    for kind in (mail, calendars):
        context.update(kind.section(request))
    context.update(section(request, form))
    return render(request, "capture/connections.html", context, status=status)


@login_required
@require_POST
def addressbook_add(request: AuthedRequest) -> HttpResponse:
    """Sign in and connect the address book, then show what its first sync would bring in."""
    form = AddressBookForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            source = addressbooks.add_address_book(
                request.user, data["url"], username=data["username"], password=data["password"]
            )
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            return redirect("capture:addressbook_preview", pk=source.pk)
    return _connections(request, form, status=400)


@login_required
@require_http_methods(["GET", "HEAD"])
def addressbook_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the first sync would add and update, with the button that imports it."""
    source = _book(request, pk)
    if source.is_confirmed:
        return redirect(f"{reverse('capture:connections')}#address-books")
    try:
        plan = addressbooks.preview_address_book(request.user, source)
    except Failed as exc:
        messages.error(request, f"Could not read {source.name}: {exc.message}")
        return redirect(f"{reverse('capture:connections')}#address-books")
    counts = plan.counts()
    context = {
        "nav": "settings",
        "source": source,
        "plan": plan,
        "counts": counts,
        "new": plan.rows("new")[:SHOWN],
        "more_new": max(0, counts["new"] - SHOWN),
        "updates": plan.rows("update")[:SHOWN],
        "more_updates": max(0, counts["updated"] - SHOWN),
        "duplicates": plan.rows("duplicate")[:SHOWN],
        "more_duplicates": max(0, counts["duplicates"] - SHOWN),
        "skipped": plan.skipped[:SHOWN],
    }
    return render(request, "capture/addressbook_preview.html", context)


@login_required
@require_POST
def addressbook_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Import the first sync; the address book's later syncs go in by themselves."""
    source = _book(request, pk)
    synced = addressbooks.confirm_address_book(request.user, source)
    if synced.error:
        messages.error(request, f"Nothing was imported: {synced.error}")
        return redirect(f"{reverse('capture:connections')}#address-books")
    if synced.import_id is None:
        messages.info(request, f"{source.name} is connected: everyone in it is already in your network.")
        return redirect(f"{reverse('capture:connections')}#address-books")
    messages.success(request, f"Imported {source.name}. From now on, what changes in it comes in by itself.")
    return redirect("imports:detail", pk=synced.import_id)


@login_required
@require_POST
def addressbook_sync(request: AuthedRequest, pk: int) -> HttpResponse:
    """Sync now: what changed since the last sync comes in (a new address book is previewed)."""
    source = _book(request, pk)
    if not source.is_confirmed:
        return redirect("capture:addressbook_preview", pk=source.pk)
    synced = sync_source(request.user, source)
    if synced.error:
        messages.error(request, synced.error)
    elif synced.import_id is None:
        messages.info(request, f"{source.name}: nothing new.")
    else:
        created, updated = synced.counts.get("people_created", 0), synced.counts.get("people_updated", 0)
        messages.success(request, f"{source.name}: {created} added, {updated} updated.")
    return redirect(f"{reverse('capture:connections')}#address-books")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def addressbook_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask first (a plain page), then forget the address book and its password."""
    source = _book(request, pk)
    if request.method == "POST":
        addressbooks.remove_address_book(request.user, source.pk)
        messages.success(request, f"Removed {source.name}. The people it brought in stay in your network.")
        return redirect(f"{reverse('capture:connections')}#address-books")
    return render(request, "capture/addressbook_remove.html", {"nav": "settings", "source": source})
