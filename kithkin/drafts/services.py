"""The message each follow-up drafts, filled from the person's data and signed with the user's name.

``draft_follow_up`` answers for any follow-up: a thank-you names the touch, its day and the advice
(or the help received), a check-in the last touch and an interest or a need of theirs, closing the
loop the advice tried, a congratulation the milestone (or the birthday), the introducer's
report-back whom they introduced and when you met; an introduction's step is the introductions
app's own draft; a reminder set by hand has its reason as the body. ``draft_rekindle`` fills the
rekindle template around an opener another module writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, tzinfo

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from kithkin.accounts.models import Profile
from kithkin.accounts.services import get_profile
from kithkin.core import clock
from kithkin.core import drafts as core
from kithkin.core.drafts import Draft
from kithkin.core.errors import BadInput
from kithkin.core.shortcuts import require_owned
from kithkin.drafts.wording import DEFAULTS, EDITABLE, PLACEHOLDERS, PROFILE_FIELDS, Kind
from kithkin.exchanges.models import Exchange
from kithkin.exchanges.models import Kind as HelpKind
from kithkin.followups.causes import is_birthday_wish
from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.introductions import drafts as intro_drafts
from kithkin.introductions.models import Introduction
from kithkin.introductions.services import draft_message
from kithkin.people.models import Interest, Milestone, Need, Person

# A touch as a message to the person names it.
_NOUNS = {
    Touch.Kind.COFFEE: "coffee",
    Touch.Kind.MEAL: "meal",
    Touch.Kind.MEETING: "meeting",
    Touch.Kind.CALL: "call",
    Touch.Kind.VIDEO: "video call",
    Touch.Kind.EMAIL: "email",
    Touch.Kind.MESSAGE: "message",
    Touch.Kind.EVENT: "chat at the event",
    Touch.Kind.INFORMATIONAL_INTERVIEW: "informational interview",
    Touch.Kind.SOCIAL: "time together",
    Touch.Kind.HELP: "help",
    Touch.Kind.OTHER: "chat",
}
# What a first conversation was, told to whoever made it happen.
_MET = {
    Touch.Kind.COFFEE: "we met for coffee",
    Touch.Kind.MEAL: "we met for a meal",
    Touch.Kind.MEETING: "we met",
    Touch.Kind.CALL: "we had a call",
    Touch.Kind.VIDEO: "we had a video call",
    Touch.Kind.EMAIL: "we exchanged emails",
    Touch.Kind.MESSAGE: "we exchanged messages",
    Touch.Kind.EVENT: "we met at an event",
    Touch.Kind.INFORMATIONAL_INTERVIEW: "we had an informational interview",
    Touch.Kind.SOCIAL: "we got together",
    Touch.Kind.OTHER: "we talked",
}
_OCCASIONS = {
    Milestone.Kind.NEW_JOB: "your new job",
    Milestone.Kind.PROMOTION: "your promotion",
    Milestone.Kind.AWARD: "your award",
    Milestone.Kind.LAUNCH: "the launch",
    Milestone.Kind.GRADUATION: "your graduation",
    Milestone.Kind.ANNIVERSARY: "the anniversary",
}
# An introduction's follow-up key and the message that goes with it.
_INTRO_STEPS = {"ask-a": intro_drafts.Kind.ASK_A, "ask-b": intro_drafts.Kind.ASK_B}
_BLANK_LINES = re.compile(r"\n{3,}")


def _day(moment: datetime, tz: tzinfo, now: datetime) -> str:
    """ "Tuesday 17 November", with the year only when it is not this year's."""
    local = moment.astimezone(tz)
    year = "" if local.year == now.astimezone(tz).year else f" {local.year}"
    return f"{local:%A} {local.day} {local:%B}{year}"


def _first_email(person: Person) -> str:
    emails = sorted(person.emails.all(), key=lambda e: e.pk)
    return emails[0].address if emails else ""


def _first_text(items: QuerySet[Interest] | QuerySet[Need]) -> str:
    first = items.order_by("id").first()
    return first.text if first is not None else ""


class _Drafting:
    """One draft in the making: the owner's settings, the moment, and the values every kind shares."""

    def __init__(self, owner: User, person: Person, now: datetime) -> None:
        self.owner, self.person, self.now = owner, person, now
        self.profile = get_profile(owner)
        self.tz = self.profile.tz
        self.values: dict[str, str] = {
            "first": person.short_name,
            "name": person.full_name,
            "me": owner.get_full_name(),
        }

    def day(self, moment: datetime) -> str:
        return _day(moment, self.tz, self.now)

    def render(self, kind: str, **values: str) -> Draft:
        template = getattr(self.profile, PROFILE_FIELDS[kind]) if kind in PROFILE_FIELDS else ""
        email = _first_email(self.person)
        draft = core.render(
            kind,
            template,
            self.values | values,
            defaults=DEFAULTS,
            to=[email] if email else [],
            missing=[] if email else [self.person.full_name],
        )
        # A line left empty (no advice, no interest known) leaves no gap in the message.
        body = _BLANK_LINES.sub("\n\n", draft.body)
        return Draft(kind=draft.kind, subject=draft.subject, body=body, to=draft.to, missing=draft.missing)


def _advice_line(advice: str) -> str:
    return f"I especially appreciated your advice: {core.sentence(advice)}" if advice.strip() else ""


def _thank_you(d: _Drafting, follow_up: FollowUp, cause: object) -> Draft:
    if isinstance(cause, Exchange):
        if cause.kind == HelpKind.INTRO and cause.to_person is not None:
            what = f"the introduction to {cause.to_person.full_name}"
        else:
            what = f"your help ({cause.what})"
        day = d.day(datetime.combine(cause.happened_on, time(12, 0), tzinfo=d.tz))
        return d.render(Kind.THANK_YOU, what=what, day=day, advice="", advice_line="")
    touch = follow_up.touch or (cause if isinstance(cause, Touch) else None)
    if touch is None:
        return d.render(Kind.THANK_YOU, what="your time", day=d.day(follow_up.created_at), advice="", advice_line="")
    noun = _NOUNS[Touch.Kind(touch.kind)]
    what = "your help" if touch.kind == Touch.Kind.HELP else f"the {noun}"
    return d.render(
        Kind.THANK_YOU,
        what=what,
        day=d.day(touch.happened_at),
        advice=touch.advice,
        advice_line=_advice_line(touch.advice),
    )


def _check_in(d: _Drafting) -> Draft:
    last = (
        TouchParticipant.objects.for_owner(d.owner)
        .filter(person=d.person)
        .select_related("touch")
        .order_by("-happened_at", "-touch_id")
        .first()
    )
    if last is None:
        last_touch = last_day = ""
        last_line = "It's been a while since we were last in touch."
    else:
        kind = Touch.Kind(last.touch.kind)
        last_touch = "our last exchange" if kind == Touch.Kind.HELP else f"our {_NOUNS[kind]}"
        last_day = d.day(last.happened_at)
        last_line = f"It's been a while since {last_touch} on {last_day}."
    interest = _first_text(Interest.objects.for_owner(d.owner).filter(person=d.person))
    need = _first_text(Need.objects.for_owner(d.owner).filter(person=d.person))
    if need:
        topic_line = f"Are you still looking for {need}? If I can help, just say."
    elif interest:
        topic_line = f"Anything new with {interest}? I'd love to hear what you're working on."
    else:
        topic_line = "I'd love to hear what you're working on these days."
    return d.render(
        Kind.CHECK_IN,
        last_touch=last_touch,
        last_day=last_day,
        last_line=last_line,
        interest=interest,
        need=need,
        topic_line=topic_line,
    )


def _close_loop(d: _Drafting, follow_up: FollowUp, cause: object) -> Draft:
    if isinstance(cause, Exchange):
        return _report_back(d, cause)
    touch = follow_up.touch or (cause if isinstance(cause, Touch) else None)
    if touch is None:
        return d.render(Kind.CLOSE_LOOP, what="our last talk", day="", advice="", advice_line=follow_up.reason)
    what = f"the {_NOUNS[Touch.Kind(touch.kind)]}"
    day = d.day(touch.happened_at)
    if touch.advice.strip():
        line = f"I tried your advice from {what} on {day}: {core.sentence(touch.advice)}"
    else:
        line = f"I wanted to tell you how things went since {what} on {day}."
    return d.render(Kind.CLOSE_LOOP, what=what, day=day, advice=touch.advice, advice_line=line)


def _report_back(d: _Drafting, exchange: Exchange) -> Draft:
    """The introducer hears how the first conversation with the person they introduced went."""
    new_person = exchange.to_person
    if new_person is None:
        return d.render(Kind.REPORT_BACK, introduced="them", introduced_first="them", met_line="we've been in touch.")
    since = datetime.combine(exchange.happened_on, time(0, 0), tzinfo=d.tz)
    first = (
        TouchParticipant.objects.for_owner(d.owner)
        .filter(person=new_person, happened_at__gte=since)
        .exclude(touch__kind=Touch.Kind.HELP)
        .select_related("touch")
        .order_by("happened_at", "touch_id")
        .first()
    )
    if first is None:
        met_line = "we've been in touch."
    else:
        met_line = f"{_MET[Touch.Kind(first.touch.kind)]} on {d.day(first.happened_at)}."
    return d.render(
        Kind.REPORT_BACK,
        introduced=new_person.full_name,
        introduced_first=new_person.short_name,
        met_line=met_line,
    )


def _occasion(milestone: Milestone) -> str:
    kind = Milestone.Kind(milestone.kind)
    if kind == Milestone.Kind.NEW_JOB and milestone.new_organization:
        return f"your new job at {milestone.new_organization}"
    if kind == Milestone.Kind.PROMOTION and milestone.new_title:
        return f"your promotion to {milestone.new_title}"
    noun = _OCCASIONS.get(kind)
    return f"{noun}: {milestone.text}" if noun else milestone.text


def _congratulate(d: _Drafting, follow_up: FollowUp, cause: object) -> Draft:
    if is_birthday_wish(follow_up) or not isinstance(cause, Milestone):
        return d.render(
            Kind.CONGRATULATE,
            occasion="your birthday",
            milestone="",
            greeting="Happy birthday",
            wish="I hope it's a wonderful day, and a great year ahead.",
        )
    occasion = _occasion(cause)
    return d.render(
        Kind.CONGRATULATE,
        occasion=occasion,
        milestone=cause.text,
        greeting=f"Congratulations on {occasion}",
        wish="Well deserved, and I hope it brings everything you hoped for.",
    )


def _introduction_step(d: _Drafting, follow_up: FollowUp, cause: object) -> Draft:
    if not isinstance(cause, Introduction):
        return d.render(Kind.REMINDER, reason=follow_up.reason)
    step = _INTRO_STEPS.get(follow_up.cause_key)
    if step is not None:
        return draft_message(d.owner, cause, step, profile=d.profile)
    other = cause.person_b if cause.person_a_id == d.person.pk else cause.person_a
    return d.render(Kind.HOW_IT_WENT, other=other.full_name)


def _cause(owner: User, follow_up: FollowUp) -> object:
    """What caused the follow-up, read as the owner's (None when it is gone)."""
    model = follow_up.cause_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(owner=owner, pk=follow_up.cause_id).first()


def draft_follow_up(owner: User, follow_up: FollowUp, *, now: datetime | None = None) -> Draft:
    """The message that does ``follow_up``, from the user's template for its kind or Kithkin's."""
    require_owned(owner, follow_up, field="id", message="no such follow-up")
    d = _Drafting(owner, follow_up.person, now or clock.now())
    cause = _cause(owner, follow_up)
    kind = follow_up.kind
    if kind == FollowUp.Kind.THANK_YOU:
        return _thank_you(d, follow_up, cause)
    if kind == FollowUp.Kind.CHECK_IN:
        return _check_in(d)
    if kind == FollowUp.Kind.CLOSE_LOOP:
        return _close_loop(d, follow_up, cause)
    if kind == FollowUp.Kind.CONGRATULATE:
        return _congratulate(d, follow_up, cause)
    if kind == FollowUp.Kind.INTRODUCTION:
        return _introduction_step(d, follow_up, cause)
    return d.render(Kind.REMINDER, reason=follow_up.reason)


def draft_rekindle(owner: User, person: Person, opener: str, *, suggestion: str, now: datetime | None = None) -> Draft:
    """The message that revives a quiet tie: ``opener`` (a paragraph the caller builds from what
    Kithkin knows) and ``suggestion`` ("Would you be up for a coffee in the next few weeks?") in
    the user's rekindle template or Kithkin's."""
    require_owned(owner, person, field="person", message="no such person")
    d = _Drafting(owner, person, now or clock.now())
    return d.render(Kind.REKINDLE, opener=opener.strip(), suggestion=core.sentence(suggestion))


def draft_intro_ask(
    owner: User, introducer: Person, *, target: str, why: str, their_tie: str, now: datetime | None = None
) -> Draft:
    """The message asking ``introducer`` for a double opt-in introduction to ``target`` ("Bo
    Lindqvist (Partnerships lead at Stripe)"), with a note about the user they can forward."""
    require_owned(owner, introducer, field="person", message="no such person")
    d = _Drafting(owner, introducer, now or clock.now())
    me = owner.get_full_name() or "A friend of mine"
    blurb = f"{me} is keen to talk with {target}: {why.strip().rstrip('.')}. Happy to fit around their time."
    tie = their_tie.strip().rstrip(".") or "I believe you know them"
    return d.render(
        Kind.ASK_INTRO, target=target, why=why.strip().rstrip("."), their_tie=tie[0].upper() + tie[1:], blurb=blurb
    )


def template_text(profile: Profile, kind: str) -> str:
    """The wording in use for ``kind``: the user's, else Kithkin's."""
    return getattr(profile, PROFILE_FIELDS[kind]) or DEFAULTS[kind]


@transaction.atomic
def set_draft_templates(owner: User, templates: Mapping[str, str | None]) -> Profile:
    """Change the wording of the drafted messages, by kind (``thank_you``...); None leaves one as it
    is. A template equal to Kithkin's wording, or empty, is stored empty: it then follows
    Kithkin's wording as that improves. An unknown placeholder is refused, naming the field."""
    profile = get_profile(owner)
    changes = {}
    for kind, text in templates.items():
        if kind not in PROFILE_FIELDS:
            raise BadInput("kind", f"unknown message {kind!r}; the templates are {', '.join(EDITABLE)}")
        if text is None:
            continue
        name = PROFILE_FIELDS[kind]
        checked = core.check_template(text, name, PLACEHOLDERS[kind])
        changes[name] = "" if checked == DEFAULTS[kind] else checked
    for name, value in changes.items():
        setattr(profile, name, value)
    if changes:
        profile.save(update_fields=list(changes))
    return profile
