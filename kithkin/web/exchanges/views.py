"""The ledger's pages: give and take (/ledger/) and resources to share (/ledger/resources/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kithkin.accounts.when import parse_user_day
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.refs import parse_ids
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.exchanges.balances import ask_warning, balance_rows, balance_table, network_balance, owed_people
from kithkin.exchanges.matching import candidates_for
from kithkin.exchanges.models import Ask, Exchange, Kind, Resource, Share
from kithkin.exchanges.services import (
    close_ask,
    list_resources,
    record_ask,
    record_exchange,
    record_received,
    save_resource,
    share_resource,
)
from kithkin.lib.mailto import mailto
from kithkin.people.models import Email, Person
from kithkin.people.services import find_person
from kithkin.web.exchanges.forms import RECORD_FIELDS, RESOURCE_FIELDS, RecordForm, ResourceForm, SendForm, SettleForm
from kithkin.web.forms import add_bad_input, plain
from kithkin.web.http import AuthedRequest, render_page, safe_next

BALANCE_PAGE = 50
RECENT_SHOWN = 20
OPEN_ASKS_SHOWN = 50
OWED_SHOWN = 50
CANDIDATES_SHOWN = 25


def _back(request: AuthedRequest, default: str) -> HttpResponse:
    """Back where the form was (Today, a person's page), or to ``default``."""
    return redirect(safe_next(request, request.POST.get("next", ""), default))


def _ledger_context(request: AuthedRequest, form: RecordForm) -> dict[str, Any]:
    user, now = request.user, clock.now()
    owed, owed_count = owed_people(user, now, limit=OWED_SHOWN)
    page = Paginator(balance_table(user), BALANCE_PAGE).get_page(request.GET.get("page"))
    open_asks = Ask.objects.for_owner(user).open().select_related("person")
    return {
        "nav": "ledger",
        "now": now,
        "form": form,
        "balance": network_balance(user),
        "owed": owed,
        "owed_count": owed_count,
        "open_asks": list(open_asks.order_by("-asked_on", "-id")[:OPEN_ASKS_SHOWN]),
        "open_ask_count": open_asks.count(),
        "recent": list(
            Exchange.objects.for_owner(user)
            .select_related("person", "to_person")
            .order_by("-happened_on", "-id")[:RECENT_SHOWN]
        ),
        "page": page,
        "rows": balance_rows(user, list(page.object_list)),
        "kinds": Kind.choices,
    }


@login_required
@require_GET
def ledger(request: AuthedRequest) -> HttpResponse:
    """Give and take: record an entry, whom you owe one, open asks, recent entries, balances."""
    return render_page(request, "exchanges/ledger.html", _ledger_context(request, RecordForm()))


def _record(request: AuthedRequest, form: RecordForm) -> tuple[str, str | None]:
    """Record the entry the form describes; returns what to tell the user, and a warning."""
    user, data = request.user, form.cleaned_data
    person = find_person(user, data["person"])
    on = None
    if data["on"].strip() and data["on"].strip().lower() != "today":
        on = parse_user_day(user, data["on"], field="on")
    if data["direction"] == "asked":
        ask = record_ask(user, person, data["what"], kind=data["kind"], on=on)
        return f"Recorded an ask to {person.full_name}: {ask.what}.", ask_warning(user, person, just_asked=ask)
    if data["direction"] == "got":
        to = data["to"].strip() or None
        exchange, added = record_received(user, person, data["what"], kind=data["kind"], to=to, on=on)
        if exchange.to_person is not None:
            new = f" Added {exchange.to_person.full_name}, met through {person.short_name}." if added else ""
            return f"Recorded: {person.full_name} introduced you to {exchange.to_person.full_name}.{new}", None
        return f"Recorded help from {person.full_name}: {exchange.what}. Say thank you within a day.", None
    exchange = record_exchange(user, person, data["direction"], data["what"], kind=data["kind"], on=on)
    return f"Recorded a give to {person.full_name}: {exchange.what}.", None


@login_required
@require_POST
def record(request: AuthedRequest) -> HttpResponse:
    """A give, something received or an ask, from the ledger page, a person's page or Today."""
    form = RecordForm(request.POST)
    from_elsewhere = bool(request.POST.get("next"))
    if form.is_valid():
        try:
            note, warning = _record(request, form)
        except BadInput as exc:
            if from_elsewhere:
                messages.error(request, f"Not recorded: {plain(exc.message)}")
                return _back(request, reverse("exchanges:ledger"))
            add_bad_input(form, exc, RECORD_FIELDS)
        else:
            messages.success(request, note)
            if warning:
                messages.warning(request, warning)
            return _back(request, reverse("exchanges:ledger"))
    elif from_elsewhere:
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Not recorded: {problems}")
        return _back(request, reverse("exchanges:ledger"))
    return render_page(request, "exchanges/ledger.html", _ledger_context(request, form), status=400)


@login_required
@require_POST
def settle_ask(request: AuthedRequest, pk: int) -> HttpResponse:
    """Help received that answers an ask: recorded as received, the ask settled."""
    ask = get_owned_or_404(Ask.objects.select_related("person"), request.user, pk=pk)
    form = SettleForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        record_exchange(
            request.user,
            ask.person,
            Exchange.Direction.GOT,
            data.get("what") or ask.what,
            kind=data.get("kind") or ask.kind,
            settles=ask,
        )
    except BadInput as exc:
        messages.error(request, f"Not settled: {plain(exc.message)}")
    else:
        messages.success(
            request, f"Settled: {ask.person.full_name} helped with {ask.what}. Say thank you within a day."
        )
    return _back(request, reverse("exchanges:ledger") + "#asks")


@login_required
@require_POST
def close_ask_view(request: AuthedRequest, pk: int) -> HttpResponse:
    ask = get_owned_or_404(Ask.objects.select_related("person"), request.user, pk=pk)
    try:
        close_ask(request.user, ask)
    except BadInput as exc:
        messages.error(request, plain(exc.message))
    else:
        messages.success(request, f"Closed without an answer: {ask.what} ({ask.person.full_name}).")
    return _back(request, reverse("exchanges:ledger") + "#asks")


# --- resources ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: AuthedRequest) -> HttpResponse:
    """The saved links and who got each; save a new one (then see whom it could help)."""
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource, created = save_resource(request.user, data["url"], title=data["title"], topics=[data["topics"]])
        except BadInput as exc:
            add_bad_input(form, exc, RESOURCE_FIELDS)
        else:
            messages.success(request, f"{'Saved' if created else 'Updated'} {resource}. Here is whom it could help.")
            return redirect("exchanges:resource", pk=resource.pk)
    context = {"nav": "ledger", "form": form, "resources": list(list_resources(request.user)[:200])}
    return render_page(request, "exchanges/resources.html", context, status=400 if form.errors else 200)


def _resource_context(request: AuthedRequest, resource: Resource, form: SendForm) -> dict[str, Any]:
    user = request.user
    shares = list(
        Share.objects.for_owner(user)
        .filter(resource=resource)
        .select_related("person")
        .prefetch_related(Prefetch("person__emails", Email.objects.order_by("id")))
        .order_by("-shared_at", "-id")
    )
    sent = [
        {
            "share": s,
            "mailto": mailto([emails[0].address], resource.title or "A link for you", s.message)
            if (emails := list(s.person.emails.all()))
            else "",
        }
        for s in shares
    ]
    return {
        "nav": "ledger",
        "resource": resource,
        "form": form,
        "sent": sent,
        "candidates": candidates_for(
            user, resource.topics, clock.now(), exclude=[s.person_id for s in shares], limit=CANDIDATES_SHOWN
        ),
        "ticked": set(parse_ids(request.POST.getlist("person"))),
        "others": request.POST.get("others", ""),
    }


@login_required
@require_GET
def resource_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One link: the people it could help, to tick and send to; whom it was sent to, with the
    message drafted for each to copy or open in an email."""
    resource = get_owned_or_404(Resource, request.user, pk=pk)
    return render_page(request, "exchanges/resource_detail.html", _resource_context(request, resource, SendForm()))


@login_required
@require_POST
def send_resource(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send the link to the people ticked (and any named): each a share and a give."""
    user = request.user
    resource = get_owned_or_404(Resource, user, pk=pk)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            ids = parse_ids(request.POST.getlist("person"))
            people = list(Person.objects.for_owner(user).filter(pk__in=ids))
            if len(people) != len(set(ids)):
                raise BadInput("to", "someone ticked is not in your network")
            people += [
                find_person(user, ref, "others") for ref in request.POST.get("others", "").split(",") if ref.strip()
            ]
            shares = share_resource(user, resource, people, message=form.cleaned_data["message"])
        except BadInput as exc:
            add_bad_input(form, exc)  # "to" and "others" are no field of the form: shown above it
        else:
            names = ", ".join(s.person.full_name for s in shares)
            messages.success(
                request, f"Sent to {names}, each logged as a give. Copy each message below, or open it in your email."
            )
            if request.POST.get("next"):
                return _back(request, reverse("exchanges:resource", args=[pk]))
            return redirect(reverse("exchanges:resource", args=[pk]) + "#sent")
    if request.POST.get("next"):
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Not sent: {problems}")
        return _back(request, reverse("exchanges:resource", args=[pk]))
    return render_page(
        request, "exchanges/resource_detail.html", _resource_context(request, resource, form), status=400
    )
