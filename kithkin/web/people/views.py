from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kithkin.core import clock
from kithkin.core.errors import BadInput, NotFound
from kithkin.core.refs import parse_ids
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.followups.models import FollowUp
from kithkin.followups.services import add_reminder, next_check_ins, reminder_time, with_overdue_check_in
from kithkin.interactions.services import count_touches, count_touches_of, timeline
from kithkin.network.services import assess_people, ensure_strengths, filter_by_band, order_by_strength
from kithkin.people.duplicates import Candidate, PastePreview, likely_duplicates, preview_paste
from kithkin.people.merge import (
    DuplicatePair,
    load_pairs,
    mark_distinct,
    merge_people,
    preview_merge,
    scan_duplicate_pairs,
    tell_apart,
)
from kithkin.people.models import Email, HistoryEntry, Person
from kithkin.people.services import (
    SUGGESTIONS,
    PersonChanges,
    add_people,
    add_person,
    bulk_edit_people,
    edit_person,
    effective_cadence,
    filter_people,
    filter_suggestions,
    order_people,
    set_prospect_status,
    suggest_people,
    want_to_meet,
)
from kithkin.web.forms import add_bad_input, plain
from kithkin.web.http import AuthedRequest, is_partial, render_page, safe_next
from kithkin.web.people.forms import (
    ADD_FIELDS,
    LIST_SORTS,
    MAX_PASTE,
    BulkEditForm,
    PasteConfirmForm,
    PasteForm,
    PeopleFilterForm,
    PersonAddForm,
    ProspectForm,
)
from kithkin.web.people.page import person_panels
from kithkin.web.people.sections import SECTIONS, ReminderForm

PAGE_SIZE = 50


# --- the people list ------------------------------------------------------------------------

PROSPECT_FILTERS = {"only": True, "exclude": False}
# The filters folded under "Filters" (search and sort are always in view).
MORE_FILTERS = ("circle", "closeness", "interest", "org", "city", "country", "prospects", "overdue", "strength")
# Service fields named in BadInput, and the bulk-edit form field that shows them.
BULK_FIELDS = {"interest": "add_interests", "remove-interest": "remove_interest"}


def _matching(user: User, filters: dict[str, Any], now: datetime) -> QuerySet[Person]:
    people: QuerySet[Person] = filter_people(
        user,
        search=filters["q"] or "",
        circle=filters["circle"],
        closeness=filters["closeness"],
        interest=filters["interest"],
        organization=filters["org"],
        prospects=PROSPECT_FILTERS.get(filters["prospects"] or ""),
        city=filters["city"],
        country=filters["country"],
    )
    # The follow-ups and network apps narrow the people queryset: people never import them.
    if filters["strength"]:
        people = filter_by_band(people, now, filters["strength"])
    return with_overdue_check_in(user, people) if filters["overdue"] else people


def _ordered(user: User, people: QuerySet[Person], sort: str, now: datetime) -> QuerySet[Person]:
    if sort == "strength":
        return order_by_strength(people, now)
    return order_people(people, sort)


def _ticked(request: AuthedRequest) -> list[int]:
    return parse_ids(request.POST.getlist("ids"))


def _bulk_edit(request: AuthedRequest, matching: QuerySet[Person]) -> tuple[BulkEditForm, HttpResponse | None]:
    """Apply the bulk-edit form: a redirect back to the same list on success (PRG), else the
    form with the service's complaint next to its field."""
    form = BulkEditForm(request.POST, prefix="bulk")
    if not form.is_valid():
        return form, None
    people: QuerySet[Person] | list[int] = matching
    if form.cleaned_data["apply_to"] != "matching":
        people = _ticked(request)
        if request.POST.get("select_page"):
            # Without JavaScript, "select all on this page" ticks no boxes: it stands for the rows shown.
            people += parse_ids(request.POST.getlist("page_ids"))
    try:
        result = bulk_edit_people(request.user, people, **form.changes())
    except BadInput as exc:
        add_bad_input(form, exc, BULK_FIELDS)
        return form, None
    messages.success(request, result.describe())
    return form, redirect(request.get_full_path())


@login_required
@require_http_methods(["GET", "POST"])
def person_list(request: AuthedRequest) -> HttpResponse:
    """Everyone, searched, filtered, sorted and paged; the bulk edit posts back here."""
    user, now = request.user, clock.now()
    filter_form = PeopleFilterForm(request.GET)
    filters = filter_form.filters()
    # A database made before strengths were kept works them all out once, here.
    ensure_strengths(user, now=now)
    matching = _matching(user, filters, now)
    bulk_form = BulkEditForm(prefix="bulk")
    if request.method == "POST":
        bulk_form, done = _bulk_edit(request, matching)
        if done is not None:
            return done
    ordered = _ordered(user, matching.select_related("organization"), filters["sort"], now)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    check_ins = next_check_ins(user, [p.pk for p in people])
    ties = assess_people(user, people, now=now)
    is_filtered = any(filters[name] for name in filter_form.fields if name != "sort")
    context = {
        "nav": "people",
        "now": now,
        "form": filter_form,
        "filters": filters,
        "sort_label": dict(LIST_SORTS)[filters["sort"]],
        "is_filtered": is_filtered,
        "more_filters_on": sum(1 for name in MORE_FILTERS if filters[name]),
        "page": page,
        "rows": [(p, check_ins.get(p.pk), ties[p.pk]) for p in people],
        "has_people": bool(people) or Person.objects.for_owner(user).exists(),
        "bulk_form": bulk_form,
        # A form sent back with an error keeps the boxes the user ticked.
        "ticked": set(_ticked(request)) if bulk_form.errors else set(),
        "ticked_page": bool(bulk_form.errors and request.POST.get("select_page")),
    }
    if not is_partial(request):
        suggestions = filter_suggestions(user)
        context["interest_suggestions"] = suggestions.interests
        context["org_suggestions"] = suggestions.organizations
        context["city_suggestions"] = list(
            Person.objects.for_owner(user)
            .exclude(city="")
            .order_by("city")
            .values_list("city", flat=True)
            .distinct()[:SUGGESTIONS]
        )
    status = 400 if bulk_form.errors else 200
    return render_page(request, "people/person_list.html", context, partial="results", status=status)


TIMELINE_FIRST = 20
TIMELINE_MORE = 50


# History entries shown at most on a person's page (an import run weekly adds one a week).
HISTORY_SHOWN = 100


def _with_history(user: User, person: Person, touches: list[Any], touch_count: int) -> list[tuple[str, Any]]:
    """The touches shown and the person's history entries (imported, merged), newest first, as
    ("touch" or "history", object). While older touches are hidden, so are the history entries
    older than the oldest touch shown: "Show older touches" brings them in, in their place."""
    history = HistoryEntry.objects.for_owner(user).filter(person=person)
    if touches and touch_count > len(touches):
        history = history.filter(happened_at__gte=touches[-1].happened_at)
    dated = [(t.happened_at, "touch", t) for t in touches]
    dated += [(h.happened_at, "history", h) for h in history[:HISTORY_SHOWN]]
    dated.sort(key=lambda item: item[0], reverse=True)
    return [(kind, item) for _at, kind, item in dated]


def _person_context(user: User, person: Person, touches: int = TIMELINE_FIRST) -> dict[str, Any]:
    """Everything the person page shows, in a fixed number of queries."""
    follow_ups = list(
        FollowUp.objects.for_owner(user).pending().filter(person=person).select_related("person", "touch")
    )
    shown = timeline(user, person, limit=touches)
    for touch in shown:
        touch.others = [part.person for part in touch.participants.all() if part.person_id != person.pk]  # type: ignore[attr-defined]
    touch_count = count_touches(user, person)
    return {
        "nav": "people",
        "now": clock.now(),
        "person": person,
        "emails": list(person.emails.all()),
        "phones": list(person.phones.all()),
        "links": list(person.links.all()),
        "interests": list(person.interests.all()),
        "needs": list(person.needs.all()),
        "offers": list(person.offers.all()),
        "positions": [p for p in person.positions.select_related("organization") if p.ended_on],
        "touches": shown,
        "touch_count": touch_count,
        # The sections edited in place ask for no timeline (touches=0): no history either.
        "timeline": _with_history(user, person, shown, touch_count) if touches else [],
        "more_touches": touches + TIMELINE_MORE,
        "follow_ups": follow_ups,
        "check_in": next((f for f in follow_ups if f.kind == FollowUp.Kind.CHECK_IN), None),
        "cadence": effective_cadence(person, user),
        "sections": SECTIONS,
    }


def _owned_person(request: AuthedRequest, pk: int) -> Person:
    return get_owned_or_404(Person.objects.select_related("organization", "met_through"), request.user, pk=pk)


@login_required
@require_GET
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _owned_person(request, pk)
    try:
        touches = max(TIMELINE_FIRST, min(int(request.GET.get("touches", TIMELINE_FIRST)), 5000))
    except ValueError:
        touches = TIMELINE_FIRST
    # "Show older touches" asks for just the timeline; anything else gets the page.
    part = "timeline" if request.GET.get("part") == "timeline" else None
    context = _person_context(request.user, person, touches)
    if part is None:
        # What the apps above this one add: the give-and-take balance, introductions, milestones.
        panels = person_panels(request.user, person, context["now"])
        context["main_panels"] = [p for p in panels if p.where == "main"]
        context["side_panels"] = [p for p in panels if p.where == "side"]
        # The strength heads the page too: the strength panel has already worked it out.
        context["assessment"] = next((p.context.get("assessment") for p in panels if "assessment" in p.context), None)
    return render_page(request, "people/person_detail.html", context, partial=part)


@login_required
def person_section(request: AuthedRequest, pk: int, section: str) -> HttpResponse:
    """One part of a person's profile, edited in place: htmx swaps the section for its form and
    back; without JavaScript the form is a page of its own that redirects to the person."""
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404("No such section.")
    person = _owned_person(request, pk)
    context = _person_context(request.user, person, 0)
    if request.method == "POST":
        form = spec.form(request.POST)
        if form.is_valid():
            try:
                edit_person(request.user, person, spec.changes(request.user, person, form.cleaned_data, context))
            except BadInput as exc:
                add_bad_input(form, exc, spec.fields)
            else:
                if not is_partial(request):
                    messages.success(request, f"Saved {spec.title.lower()}.")
                    return redirect(reverse("people:detail", args=[pk]) + f"#section-{spec.key}")
                fresh = _person_context(request.user, _owned_person(request, pk), 0)
                return render(request, "people/_person_saved.html", {**fresh, "s": spec, "saved": True})
    elif request.GET.get("show") == "1":
        return render(request, "people/_person_section.html", {**context, "s": spec})
    else:
        form = spec.form(initial=spec.initial(person, context))
        next(iter(form.fields.values())).widget.attrs["autofocus"] = True
    template = "people/person_section.html" if not is_partial(request) else "people/_person_section_form.html"
    return render(request, template, {**context, "s": spec, "form": form})


@login_required
@require_POST
def person_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    """A reminder set by hand from the person's page ("Send Ana the pricing article")."""
    person = _owned_person(request, pk)
    form = ReminderForm(request.POST)
    if form.is_valid():
        try:
            due_at = reminder_time(request.user, form.cleaned_data["when"], field="when")
        except BadInput as exc:
            form.add_error("when", plain(exc.message))
        else:
            add_reminder(request.user, person, form.cleaned_data["reason"], due_at)
            messages.success(request, "Reminder set.")
            return redirect(reverse("people:detail", args=[pk]) + "#follow-ups")
    context = {**_person_context(request.user, person), "reminder_form": form}
    return render(request, "people/person_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: AuthedRequest) -> HttpResponse:
    """Add one person. Likely duplicates are shown first, and added only if the user says so."""
    form = PersonAddForm(request.POST or None, owner=request.user)
    candidates: list[Candidate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        emails = [data["email"]] if data["email"] else []
        candidates = likely_duplicates(
            request.user, name=data["name"], emails=emails, organization=data["organization"]
        )
        taken = next((c for c in candidates if c.is_same_email), None)
        if taken is not None:
            form.add_error("email", f"This address already belongs to {taken.person.full_name}.")
        elif not candidates or data["confirm"] == _confirm_token(candidates):
            try:
                person = add_person(request.user, data["name"], form.changes())
            except BadInput as exc:
                add_bad_input(form, exc, ADD_FIELDS)
            else:
                messages.success(request, f"Added {person.full_name}.")
                return redirect("people:detail", pk=person.pk)
    form.focus_first_error()
    context = {
        "nav": "add",
        "form": form,
        "paste_form": PasteForm(),
        "candidates": candidates,
        "can_add_anyway": bool(candidates) and not any(c.is_same_email for c in candidates),
        "confirm": _confirm_token(candidates),
    }
    return render(request, "people/person_add.html", context, status=400 if form.errors else 200)


def _confirm_token(candidates: list[Candidate]) -> str:
    """What "Add anyway" sends back: the people the user was warned about. A changed name that
    finds other people asks again."""
    return ",".join(str(c.person.pk) for c in sorted(candidates, key=lambda c: c.person.pk))


@login_required
def prospect_list(request: AuthedRequest) -> HttpResponse:
    """The people the user wants to meet, and why; the form that adds one posts here."""
    form = ProspectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = PersonChanges(
            organization=data["organization"] or None,
            title=data["title"] or None,
            links=[data["link"]] if data["link"] else [],
        )
        try:
            person = want_to_meet(request.user, data["name"], data["why"], changes)
        except BadInput as exc:
            add_bad_input(form, exc, {"org": "organization"})
        else:
            messages.success(request, f"{person.full_name} is on your list of people to meet.")
            return redirect(f"{reverse('people:prospects')}#prospect-{person.pk}")
    # Only a refused POST gets here: a 400 says so, as the other forms of the app do.
    status = 400 if request.method == "POST" else 200
    return render(request, "people/prospect_list.html", _prospect_page(request, form), status=status)


@login_required
@require_GET
def suggest(request: AuthedRequest) -> HttpResponse:
    """Autocomplete options for choosing people (quick capture, met through)."""
    query = request.GET.get("q", "").strip()[:100]
    exclude = parse_ids(request.GET.getlist("exclude"))
    people = suggest_people(request.user, query, exclude=exclude)
    return render(
        request, "people/_suggestions.html", {"people": people, "q": query, "new": request.GET.get("new") == "1"}
    )


# --- people to meet -------------------------------------------------------------------------

RECENTLY_MET = 6
# The statuses of someone still on the list ("met" takes them off it).
LIST_STATUSES = (Person.ProspectStatus.FIND_A_WAY_IN, Person.ProspectStatus.ASKED_FOR_INTRO)


def _recently_met(owner: User) -> list[Person]:
    met = Person.objects.for_owner(owner).in_network().filter(prospect_status=Person.ProspectStatus.MET)
    newest = met.select_related("organization").order_by(F("met_on").desc(nulls_last=True), "-updated_at", "-id")
    return list(newest[:RECENTLY_MET])


def _prospect_page(request: AuthedRequest, form: ProspectForm) -> dict[str, object]:
    status = request.GET.get("status", "")
    status = status if status in LIST_STATUSES else ""
    prospects = Person.objects.for_owner(request.user).prospects()
    counts = dict(
        prospects.order_by().values_list("prospect_status").annotate(n=Count("id")).values_list("prospect_status", "n")
    )
    shown = prospects.filter(prospect_status=status) if status else prospects
    newest = shown.select_related("organization").order_by("-created_at", "-id")
    page = Paginator(newest, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "nav": "prospects",
        "form": form,
        "status": status,
        "status_label": Person.ProspectStatus(status).label if status else "",
        "total": sum(counts.values()),
        "tabs": [
            (value, label, counts.get(value, 0))
            for value, label in Person.ProspectStatus.choices
            if value in LIST_STATUSES
        ],
        "page": page,
        "prospects": list(page.object_list),
        "recently_met": _recently_met(request.user),
        "back": request.get_full_path(),
    }


def _back_to_list(request: AuthedRequest) -> str:
    """Where a status change returns to: the page of the list it came from, never another site."""
    return safe_next(request, request.POST.get("next", ""), reverse("people:prospects"))


@login_required
@require_POST
def prospect_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move someone along the list; "met" brings them into the network. htmx gets the row back."""
    person = get_owned_or_404(Person, request.user, pk=pk)
    back = _back_to_list(request)
    try:
        person = set_prospect_status(request.user, person, request.POST.get("status", ""))
    except BadInput as exc:
        note, failed = exc.message, True
    else:
        failed = False
        note = f"{person.full_name}: {person.get_prospect_status_display()}."
        if not person.is_prospect:
            note = f"You met {person.full_name}. They are in your network now."
    if request.htmx:
        just_met = not failed and not person.is_prospect
        context = {"p": person, "note": note, "back": back, "oob": just_met}
        if just_met:
            context["recently_met"] = _recently_met(request.user)
        return render_page(request, "people/prospect_list.html", context, partial="row")
    (messages.error if failed else messages.success)(request, note)
    return redirect(back)


# --- adding several people from a pasted list -------------------------------------------------


def _paste_preview_page(
    request: AuthedRequest,
    text: str,
    preview: PastePreview,
    form: PasteConfirmForm | None = None,
    *,
    checked: set[int] | None = None,
    is_stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The preview of a paste; new people are ticked, possible duplicates are left to the user."""
    if form is None:
        form = PasteConfirmForm(initial={"text": text, "fingerprint": preview.fingerprint})
    if checked is None:
        checked = {row.index for row in preview.rows if row.status == "new"}
    context = {
        "nav": "add",
        "preview": preview,
        "form": form,
        "checked": checked,
        "is_stale": is_stale,
        "edit_form": PasteForm(initial={"text": text}),
    }
    return render(request, "people/person_add_paste.html", context, status=status)


@login_required
@require_POST
def person_add_paste(request: AuthedRequest) -> HttpResponse:
    """Preview a pasted list of names and addresses. Nothing is added yet."""
    form = PasteForm(request.POST)
    if not form.is_valid():
        context = {"nav": "add", "form": PersonAddForm(owner=request.user), "paste_form": form, "show_paste": True}
        return render(request, "people/person_add.html", context, status=400)
    text = form.cleaned_data["text"]
    return _paste_preview_page(request, text, preview_paste(request.user, text))


@login_required
@require_POST
def person_add_paste_confirm(request: AuthedRequest) -> HttpResponse:
    """Add the ticked people of a previewed paste, all or none, then show them (PRG).

    The text is read and checked again: if the answer differs from the preview the user saw
    (someone was added meanwhile, or the form was sent twice), they see the new preview.
    """
    text = request.POST.get("text", "")
    if not PasteForm({"text": text}).is_valid():
        return redirect("people:add")
    preview = preview_paste(request.user, text)
    if request.POST.get("fingerprint") != preview.fingerprint:
        shared = {name: request.POST.get(name, "") for name in ("circle", "closeness")}
        form = PasteConfirmForm(initial={"text": text, "fingerprint": preview.fingerprint, **shared})
        return _paste_preview_page(request, text, preview, form, is_stale=True, status=409)
    form = PasteConfirmForm(request.POST, addable=preview.addable)
    if form.is_valid():
        chosen = set(form.cleaned_data["add"])
        try:
            added = add_people(
                request.user,
                [row.entry for row in preview.addable if row.index in chosen],
                circle=form.cleaned_data["circle"],
                closeness=form.cleaned_data["closeness"],
            )
        except BadInput as exc:
            form.add_error(None, exc.message if exc.field == "add" else f"Nothing was added: {exc.message}")
        else:
            noun = added[0].full_name if len(added) == 1 else f"{len(added)} people"
            messages.success(request, f"Added {noun}.")
            return redirect(f"{reverse('people:added')}?ids={','.join(str(p.pk) for p in added)}")
    checked = set(parse_ids(request.POST.getlist("add")))
    return _paste_preview_page(request, text, preview, form, checked=checked, status=400)


@login_required
@require_GET
def person_add_added(request: AuthedRequest) -> HttpResponse:
    """Whom a paste added, each linked (the page a confirmed paste redirects to)."""
    ids = parse_ids(request.GET.get("ids", "").split(","))[:MAX_PASTE]
    emails = Prefetch("emails", queryset=Email.objects.for_owner(request.user))
    people = Person.objects.for_owner(request.user).filter(pk__in=ids).prefetch_related(emails)
    context = {"nav": "add", "people": list(people.order_by("full_name", "id"))}
    return render(request, "people/person_add_added.html", context)


# --- likely duplicates, and merging two people -------------------------------------------------


def _back_to_duplicates(request: AuthedRequest) -> str:
    """Where a merge or "not the same person" returns to: the page of the list it came from."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next", ""), reverse("people:duplicates"))


def _pair_of(request: AuthedRequest, pk: int, other: int) -> tuple[Person, Person]:
    """The two people a merge or "not the same person" is about: both the user's, or a 404."""
    first, second = _owned_person(request, pk), _owned_person(request, other)
    if first.pk == second.pk:
        raise Http404("A person cannot be paired with themselves.")
    return first, second


def _pair_id(a: Person, b: Person) -> str:
    return f"pair-{min(a.pk, b.pk)}-{max(a.pk, b.pk)}"


@dataclass(frozen=True)
class PairSide:
    """One of two people who may be one: their facts, and the name that tells them from the other
    (for the "Keep this one" button's accessible name and the notes after a merge)."""

    person: Person
    other: Person
    label: str
    touches: int


@dataclass(frozen=True)
class PairCard:
    first: PairSide
    second: PairSide
    evidence: list[str]

    @property
    def sides(self) -> tuple[PairSide, PairSide]:
        return self.first, self.second

    @property
    def id(self) -> str:
        return _pair_id(self.first.person, self.second.person)


def _sides(a: Person, b: Person, touches: dict[int, int]) -> tuple[PairSide, PairSide]:
    label_a, label_b = tell_apart(a, b)
    return PairSide(a, b, label_a, touches[a.pk]), PairSide(b, a, label_b, touches[b.pk])


def _cards(user: User, pairs: list[DuplicatePair]) -> list[PairCard]:
    touches = count_touches_of(user, [p for pair in pairs for p in (pair.first, pair.second)])
    return [PairCard(*_sides(pair.first, pair.second, touches), evidence=pair.evidence) for pair in pairs]


@login_required
@require_GET
def duplicates(request: AuthedRequest) -> HttpResponse:
    """People who may be the same person, the strongest evidence first, fifty pairs a page."""
    page = Paginator(scan_duplicate_pairs(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "people",
        "page": page,
        "pairs": _cards(request.user, load_pairs(request.user, page.object_list)),
        "back": request.get_full_path(),
    }
    return render(request, "people/duplicates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    """Merge ``other`` into ``pk``. GET asks first, saying what moves and what goes to the notes
    (htmx puts that in the pair's card); POST merges and shows the kept person (htmx: the card)."""
    keep, drop = _pair_of(request, pk, other)
    if request.method == "POST":
        (kept_label, dropped_label), pair_id = tell_apart(keep, drop), _pair_id(keep, drop)
        try:
            kept = merge_people(request.user, keep, drop)
        except NotFound:
            raise Http404("No such person.") from None
        note = f"Merged {dropped_label} into {kept_label}."
        if is_partial(request):
            context = {"note": note, "person": kept, "pair_id": pair_id, "dropped_id": drop.pk}
            return render_page(request, "people/duplicates.html", context, partial="done")
        messages.success(request, note)
        return redirect("people:detail", pk=kept.pk)
    kept_side, dropped_side = _sides(keep, drop, count_touches_of(request.user, [keep, drop]))
    context = {
        "nav": "people",
        "preview": preview_merge(request.user, keep, drop),
        "keep": kept_side,
        "drop": dropped_side,
        "sides": (kept_side, dropped_side),
        "back": _back_to_duplicates(request),
        "pair_id": _pair_id(keep, drop),
        "in_card": is_partial(request),
    }
    return render_page(request, "people/person_merge.html", context, partial="confirm")


@login_required
@require_POST
def person_distinct(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    """ "Not the same person": the pair leaves the duplicates list for good."""
    first, second = _pair_of(request, pk, other)
    label_first, label_second = tell_apart(first, second)
    mark_distinct(request.user, first, second)
    note = f"{label_first} and {label_second} are different people."
    if is_partial(request):
        context = {"note": note, "pair_id": _pair_id(first, second)}
        return render_page(request, "people/duplicates.html", context, partial="done")
    messages.success(request, note)
    return redirect(_back_to_duplicates(request))
