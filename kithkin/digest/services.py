"""The daily digest: one email each morning with what Today would show.

``compose`` gathers it from the services Today and the CLI read (``kithkin due``, ``kithkin
rekindle``, the introductions waiting on the user, ``kithkin week``), never a query of its own;
``render`` writes it as a subject, plain text and HTML; ``send`` mails it to the user's own
address. When it goes out by itself is ``schedule.py``'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from kithkin.accounts.services import get_profile, update_settings
from kithkin.core import clock
from kithkin.core.errors import BadInput
from kithkin.core.scopes import owner_scope, unscoped
from kithkin.followups.models import FollowUp
from kithkin.followups.services import due_list
from kithkin.goals.week import Routine, routine
from kithkin.introductions.services import WAITING, YOUR_MOVE, introductions, next_step, state_counts
from kithkin.network.ranking import rank_check_ins
from kithkin.network.rekindle import Candidate, rekindle_list

# How many of each the message lists; the rest are a link away. Check-ins as many as Today shows.
PROMISES_SHOWN = 10
CHECK_INS_SHOWN = 5
REKINDLE_SHOWN = 3
INTRODUCTIONS_SHOWN = 3
# Signs the one-click link that turns the digest off (django.core.signing, with SECRET_KEY).
OFF_SALT = "kithkin.digest.off"


@dataclass(frozen=True)
class Item:
    """One line of the digest: what to do, whose, a note (why, since when), and its page."""

    text: str
    url: str
    person: str = ""
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...]
    url: str  # the page with every one of them
    total: int  # how many there are, shown or not (Rekindle: shown, and one if there are more)
    more: str = ""  # what is left out, in words ("and 12 more")


@dataclass(frozen=True)
class Digest:
    owner: User
    local_date: date
    promises: Section
    check_ins: Section
    rekindle: Section
    introductions: Section
    routine: Routine | None
    links: dict[str, str]  # today, week, settings, off: absolute addresses

    @property
    def sections(self) -> tuple[Section, ...]:
        return (self.promises, self.check_ins, self.rekindle, self.introductions)

    @property
    def is_empty(self) -> bool:
        return not any(s.items for s in self.sections)

    @property
    def is_daily(self) -> bool:
        """Whether the owner has the daily digest on (one sent by hand may go to someone without)."""
        return bool(get_profile(self.owner).is_digest_on)


def link(name: str, *args: object) -> str:
    """The absolute address of a page of the web app (``KITHKIN_BASE_URL`` and its path)."""
    return settings.BASE_URL + reverse(name, args=args)


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _when_due(follow_up: FollowUp, tz: tzinfo, today: date) -> str:
    due_on = follow_up.due_at.astimezone(tz).date()
    if due_on < today:
        return f"{_days((today - due_on).days)} overdue"
    return "due today" if due_on == today else f"due {due_on:%a %-d %b}"


def _more(total: int, shown: int, words: str = "more") -> str:
    return f"and {total - shown:,} {words}" if total > shown else ""


def _promises(owner: User, now: datetime, tz: tzinfo, today: date) -> Section:
    """What ``kithkin due`` lists first: every due follow-up but the check-ins, most overdue first."""
    pending = due_list(owner, now).exclude(kind=FollowUp.Kind.CHECK_IN).select_related("touch")
    rows = list(pending[: PROMISES_SHOWN + 1])
    total = len(rows) if len(rows) <= PROMISES_SHOWN else pending.count()
    items = tuple(
        Item(f.reason, link("people:detail", f.person_id), f.person.full_name, _when_due(f, tz, today))
        for f in rows[:PROMISES_SHOWN]
    )
    return Section("Promises to keep", items, link("followups:due"), total, _more(total, len(items)))


def _check_ins(owner: User, now: datetime) -> Section:
    """Today's check-ins, in Today's ranking (``network.ranking``), each saying why."""
    ranked = rank_check_ins(owner, now, limit=CHECK_INS_SHOWN)
    items = tuple(
        Item(r.follow_up.reason, link("people:detail", r.follow_up.person_id), r.follow_up.person.full_name, r.why)
        for r in ranked.rows
    )
    url = link("followups:due") + f"?kind={FollowUp.Kind.CHECK_IN.value}"
    return Section("Check in", items, url, ranked.total, _more(ranked.total, len(items)))


def _rekindle(owner: User, now: datetime) -> Section:
    """The best few of Rekindle (one more asked for, to tell whether there are others)."""
    found = rekindle_list(owner, now=now, limit=REKINDLE_SHOWN + 1)
    items = tuple(_rekindle_item(c) for c in found[:REKINDLE_SHOWN])
    more = "and more on Rekindle" if len(found) > REKINDLE_SHOWN else ""
    return Section("Rekindle", items, link("network:rekindle"), len(found), more)


def _rekindle_item(candidate: Candidate) -> Item:
    """What to do and why, as Rekindle says it (its reasons say how long it has been quiet)."""
    quiet = "never in touch" if candidate.assessment.silence_days is None else f"quiet for {candidate.silence_words}"
    return Item(
        candidate.suggestion_words,
        link("people:detail", candidate.person.pk),
        candidate.person.full_name,
        "; ".join(candidate.reasons) or quiet,
    )


def _introductions(owner: User, tz: tzinfo) -> Section:
    """Introductions whose next step is the user's, the oldest first, as Today's panel shows them."""
    counts = state_counts(owner)
    ready_count = sum(counts.get(state, 0) for state in YOUR_MOVE)
    ready = introductions(owner).filter(state__in=YOUR_MOVE).order_by("updated_at", "id")[:INTRODUCTIONS_SHOWN]
    items = tuple(
        Item(next_step(i), link("introductions:detail", i.pk), note=f"since {i.updated_at.astimezone(tz):%a %-d %b}")
        for i in (ready if ready_count else [])
    )
    more = _more(ready_count, len(items))
    waiting = sum(counts.get(state, 0) for state in WAITING)
    if waiting:
        more = ", ".join(filter(None, [more, f"{waiting} waiting for an answer"]))
    return Section("Introductions waiting on you", items, link("introductions:list"), ready_count, more)


def compose(owner: User, now: datetime | None = None) -> Digest:
    """The owner's digest at ``now``: what is due (promises, then the ranked check-ins), who to
    rekindle, the introductions waiting on them and the week's progress. Runs in the owner's scope."""
    now = now or clock.now()
    tz = get_profile(owner).tz
    today = now.astimezone(tz).date()
    return Digest(
        owner=owner,
        local_date=today,
        promises=_promises(owner, now, tz, today),
        check_ins=_check_ins(owner, now),
        rekindle=_rekindle(owner, now),
        introductions=_introductions(owner, tz),
        routine=routine(owner, now),
        links={
            "today": link("followups:today"),
            "week": link("goals:week"),
            "settings": link("accounts:settings") + "#digest",
            "off": link("accounts:digest_off", off_token(owner)),
        },
    )


def subject_of(digest: Digest) -> str:
    """ "Kithkin, Mon 7 Dec: 2 promises, 14 check-ins, 1 introduction"."""
    counts = [
        (digest.promises.total, "promise", "promises"),
        (digest.check_ins.total, "check-in", "check-ins"),
        (digest.introductions.total, "introduction", "introductions"),
    ]
    said = [f"{n:,} {one if n == 1 else many}" for n, one, many in counts if n]
    return f"Kithkin, {digest.local_date:%a %-d %b}: " + (", ".join(said) if said else "nothing due today")


def render(digest: Digest) -> tuple[str, str, str]:
    """The subject, the plain text and the HTML of the message."""
    context = {"digest": digest, "name": digest.owner.first_name}
    # The template's tags leave blank lines of their own: at most one between paragraphs.
    text = re.sub(r"\n{3,}", "\n\n", render_to_string("digest/digest.txt", context)).strip() + "\n"
    html = render_to_string("digest/digest.html", context)
    return subject_of(digest), text, html


def message(digest: Digest) -> EmailMultiAlternatives:
    """The digest as a multipart/alternative message to the owner's address, with the one-click
    unsubscribe headers of RFC 8058 (a mail program offers its own "Unsubscribe" button)."""
    subject, text, html = render(digest)
    mail = EmailMultiAlternatives(
        subject,
        text,
        to=[digest.owner.email],
        headers={
            "List-Unsubscribe": f"<{digest.links['off']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(html, "text/html")
    return mail


def check_mail_server() -> None:
    """Refuse to send without a mail server (``EMAIL_URL``): Django would drop the message."""
    if not settings.EMAIL_CONFIGURED:
        raise BadInput(
            "EMAIL_URL", "is not set, so Kithkin cannot send mail (e.g. smtp://mail.example.com:587/?tls=True)"
        )


def check_can_send(owner: User) -> None:
    """Refuse, in words, what would keep a digest from going out."""
    check_mail_server()
    if not owner.email:
        raise BadInput("email", "you have no address to send the digest to: set one with `kithkin settings --email`")


def send(owner: User, now: datetime | None = None) -> Digest:
    """Compose the owner's digest and mail it to their address now (whether or not it is on)."""
    check_can_send(owner)
    digest = compose(owner, now)
    message(digest).send()
    return digest


# --- turning it off with one click ----------------------------------------------------------------


def off_token(owner: User) -> str:
    """The signed token of the link that turns ``owner``'s digest off. It does not expire: a
    digest read a month late still turns off; it can do nothing else."""
    return signing.dumps(owner.pk, salt=OFF_SALT)


def token_owner(token: str) -> User | None:
    """Whose digest a token turns off; None if it was not signed here."""
    try:
        pk = signing.loads(token, salt=OFF_SALT)
    except signing.BadSignature:
        return None
    # Unscoped: the signed token is what tells whose it is; the one clicking is not signed in.
    with unscoped():
        return get_user_model().objects.filter(pk=pk, is_active=True).first()


def turn_off(owner: User) -> None:
    """The digest off, as the Settings page would turn it off."""
    with owner_scope(owner):
        update_settings(owner, digest=False)
