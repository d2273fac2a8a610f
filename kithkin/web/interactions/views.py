from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kithkin.accounts.when import parse_user_when
from kithkin.core.errors import BadInput
from kithkin.core.refs import parse_ids
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.exchanges.services import follow_ups_after_touch
from kithkin.interactions.models import Touch
from kithkin.interactions.services import capture_touch, resolve_participants
from kithkin.lib.names import clean_name
from kithkin.people.models import Person
from kithkin.web.forms import add_bad_input, focus_first_error
from kithkin.web.http import AuthedRequest, is_partial, render_page
from kithkin.web.interactions.forms import WHEN_SUGGESTIONS, CaptureForm

# Service fields named in BadInput, and the capture form field that shows them.
FIELDS = {"person": "names", "name": "names", "at": "when", "met-on": "when"}


@login_required
def capture(request: AuthedRequest) -> HttpResponse:
    """Quick capture: who, what kind, when, notes and advice. Names new to the network are
    added only after the user confirms them (they come back as ``new``)."""
    user = request.user
    chosen: list[Person] = []
    new_names = list(dict.fromkeys(n for n in (clean_name(v)[:200] for v in request.POST.getlist("new")) if n))
    confirm_new: list[str] = []
    if request.method == "POST":
        form = CaptureForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                chosen, unknown = resolve_participants(user, request.POST.getlist("person"), data["names"])
                happened_at = parse_user_when(user, data["when"], field="when")
                if unknown:
                    # Ask before creating anyone: the names come back as chips marked new.
                    confirm_new = unknown
                    new_names = list(dict.fromkeys([*new_names, *unknown]))
                    form = CaptureForm({**request.POST.dict(), "names": ""})
                    form.is_valid()
                elif not chosen and not new_names:
                    raise BadInput("names", "say who this touch was with")
                else:
                    touch = capture_touch(
                        user, chosen, new_names, data["kind"], happened_at, notes=data["notes"], advice=data["advice"]
                    )
                    return _logged(request, touch, added=len(new_names))
            except BadInput as exc:
                add_bad_input(form, exc, FIELDS)
    else:
        form = CaptureForm()
        wanted = parse_ids(request.GET.getlist("with"))
        chosen = list(Person.objects.for_owner(user).filter(pk__in=wanted)) if wanted else []
    focus_first_error(form)
    context = {
        "nav": "capture",
        "form": form,
        "chosen": chosen,
        "new_names": new_names,
        "confirm_new": confirm_new,
        "when_suggestions": WHEN_SUGGESTIONS,
    }
    return render_page(request, "interactions/capture.html", context, partial="panel")


def _result_context(request: AuthedRequest, touch: Touch, added: int = 0) -> dict[str, Any]:
    # What a touch set is one answer, the exchanges service's, which the CLI shows too.
    people = [part.person for part in touch.participants.select_related("person").order_by("person__full_name")]
    return {
        "nav": "capture",
        "touch": touch,
        "people": people,
        "follow_ups": follow_ups_after_touch(request.user, touch).soonest_first,
        "added": range(added),
    }


def _logged(request: AuthedRequest, touch: Touch, added: int) -> HttpResponse:
    if is_partial(request):
        response = render(request, "interactions/capture.html#result", _result_context(request, touch, added))
        response["HX-Trigger"] = "kithkin:touch-logged"
        return response
    messages.success(request, "Touch logged.")
    return redirect("interactions:detail", pk=touch.pk)


@login_required
@require_GET
def touch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A logged touch and the follow-ups it set (where a plain-HTML capture lands)."""
    touch = get_owned_or_404(Touch, request.user, pk=pk)
    return render(request, "interactions/capture.html", _result_context(request, touch))
