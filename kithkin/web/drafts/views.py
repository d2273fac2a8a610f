"""A follow-up's drafted message, and the page where the user rewords the templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from kithkin.accounts.services import get_profile
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import get_owned_or_404
from kithkin.drafts.services import draft_follow_up, set_draft_templates
from kithkin.drafts.wording import PLACEHOLDERS, PROFILE_FIELDS, TITLES
from kithkin.followups.models import FollowUp
from kithkin.web.drafts.forms import DraftTemplatesForm
from kithkin.web.forms import add_bad_input
from kithkin.web.http import AuthedRequest, render_page


@login_required
@require_GET
def follow_up_draft(request: AuthedRequest, pk: int) -> HttpResponse:
    """The message that does a follow-up, to copy or open in a mail program (htmx: the draft alone)."""
    user = request.user
    follow_up = get_owned_or_404(FollowUp.objects.select_related("person", "touch"), user, pk=pk)
    context = {"nav": "today", "follow_up": follow_up, "draft": draft_follow_up(user, follow_up)}
    return render_page(request, "drafts/follow_up_draft.html", context, partial="draft")


@login_required
@require_http_methods(["GET", "POST"])
def draft_templates(request: AuthedRequest) -> HttpResponse:
    """The wording of the messages follow-ups draft, each with the placeholders it can use."""
    profile = get_profile(request.user)
    form = DraftTemplatesForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            set_draft_templates(request.user, {kind: form.cleaned_data[name] for kind, name in PROFILE_FIELDS.items()})
        except BadInput as exc:
            add_bad_input(form, exc)
        else:
            messages.success(request, "Message templates saved.")
            return redirect("drafts:templates")
    kinds = [
        {
            "field": form[name],
            "title": TITLES[kind],
            "placeholders": PLACEHOLDERS[kind],
            "is_default": not getattr(profile, name),
        }
        for kind, name in PROFILE_FIELDS.items()
    ]
    context = {"nav": "settings", "form": form, "kinds": kinds}
    return render(request, "drafts/draft_templates.html", context, status=400 if form.errors else 200)
