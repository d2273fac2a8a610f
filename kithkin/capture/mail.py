"""Mail capture: a mailbox connected over IMAP keeps the network's email touches up to date, and
offers as suggestions the people the user writes to and hears back from who are not in it yet.

What is read: the header fields of ``imap.HEADER_FIELDS`` (who, when, which thread), from the
sent folder and the inbox, never a subject or a body. A sync reads only the messages past the
UID where the last one stopped (``Source.state``), a batch at a time, and keeps only what it
adds up (a touch per conversation with someone of the network, a count per correspondent), so
that memory does not grow with the mailbox.

What is ignored, as bulk or automated mail that says nothing about a relationship: any message
with a List-Id or a List-Unsubscribe field (mailing lists, newsletters), a Precedence of bulk,
list or junk, an Auto-Submitted other than "no" (auto-replies, out-of-office answers, robots),
and any message from a no-reply style sender (noreply, no-reply, donotreply, mailer-daemon,
postmaster, notifications, bounces…).

An exchange with someone in the network becomes one touch of kind email per conversation: the
messages of one thread within ``CONVERSATION`` (a week) of its first message, with everyone of
the network who was in them, dated by its last message. A message and its answer the next day are
one touch, a thread of fifty messages over three days is one, and the same thread taken up again a
month later is another. Its ``source_key`` is the thread's (``thread_key``) and the conversation's
start, and a sync looks up the touches of the threads it read, so the same exchange seen again (a
later answer, a second account, a re-read folder) finds its touch instead of logging another; a
later answer moves it. Touches are history: like imported ones, they move last touches, strengths
and check-ins, and never ask for a thank-you.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import HeaderParser
from email.policy import default as default_policy
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import F

from kithkin.accounts.services import get_profile
from kithkin.capture import imap, services
from kithkin.capture.models import Correspondent, Source
from kithkin.capture.secrets import SecretLost, seal, unseal
from kithkin.capture.services import Synced
from kithkin.core import clock
from kithkin.core.errors import BadInput, NotFound
from kithkin.followups.services import sync_check_ins
from kithkin.imports.models import Import
from kithkin.imports.services import recording
from kithkin.interactions.models import Touch, TouchParticipant
from kithkin.interactions.services import refresh_last_touch
from kithkin.lib.hosts import is_loopback
from kithkin.people.models import Email, Person
from kithkin.people.services import PersonChanges, add_person

# Rows written in one statement, well under SQLite's limit of bound parameters.
CHUNK = 500
# How long after its first message a thread's messages are still the same conversation: one touch.
CONVERSATION = timedelta(days=7)
# Threads whose touches one query looks up: a UNION ALL of one range of source_key each, which
# the unique index on (owner, source_key) answers (an OR of ranges it does not), and SQLite takes
# up to 500 SELECTs in one.
THREADS_PER_LOOKUP = 200
# Senders that are robots, by their local part with dots, dashes and underscores taken out.
ROBOT_SENDERS = re.compile(r"noreply|donotreply|mailerdaemon|postmaster|notification|bounce")
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
MESSAGE_IDS = re.compile(r"<([^<>\s]+)>")
SENT = b"\\Sent"


# --- accounts ------------------------------------------------------------------------------------


def add_mail_account(
    owner: User,
    *,
    host: str,
    port: int | None = None,
    username: str,
    password: str,
    security: str = Source.Security.TLS,
    sent_folder: str | None = None,
    inbox_folder: str | None = None,
    me: Sequence[str] = (),
    now: datetime | None = None,
) -> Source:
    """Connect a mailbox: signs in first (a wrong password or an unreachable server is refused
    now, not at the first sync), then keeps the account with its password sealed.

    ``me``: more addresses of the user's own (aliases), besides the account's user name."""
    host, username = host.strip(), username.strip()
    port = _checked(host, port, username, password, security)
    own = _clean_addresses(me, "me")
    taken = Source.objects.for_owner(owner).filter(kind=Source.Kind.MAIL, host__iexact=host, username=username)
    if taken.exists():
        raise BadInput("user", f"{username} on {host} is already connected")
    sent_folder = (sent_folder or "").strip() or None
    inbox_folder = (inbox_folder or "").strip() or None
    try:
        with imap.connect(host, port, security, username, password) as client:
            for name, value in (("sent", sent_folder), ("inbox", inbox_folder)):
                if value:
                    try:
                        imap.open_folder(client, value)
                    except imap.MailError as exc:
                        raise BadInput(name, str(exc)) from None
    except imap.MailError as exc:
        raise BadInput("password" if str(exc).startswith("wrong password") else "host", str(exc)) from None
    options: dict[str, Any] = {}
    if sent_folder:
        options["sent"] = sent_folder
    if inbox_folder:
        options["inbox"] = inbox_folder
    if own:
        options["me"] = own
    return Source.objects.create(
        owner=owner,
        kind=Source.Kind.MAIL,
        name=f"{username} on {host}"[:300],
        host=host,
        port=port,
        security=security,
        username=username,
        secret=seal(password),
        options=options,
        created_at=now or clock.now(),
    )


def _checked(host: str, port: int | None, username: str, password: str, security: str) -> int:
    """What a new account's fields must be; its port (the security's usual one when not given)."""
    if not host:
        raise BadInput("host", "give the IMAP server's name, e.g. imap.example.com")
    if security not in Source.Security.values:
        raise BadInput("security", f"is one of {', '.join(Source.Security.values)}")
    if security == Source.Security.PLAIN and not is_loopback(host):
        raise BadInput(
            "host",
            f"plain IMAP (no TLS) is only for this machine (127.0.0.1, ::1, localhost), as a local "
            f"bridge serves it; connect to {host} with TLS or STARTTLS",
        )
    port = port or imap.DEFAULT_PORTS[security]
    if not 0 < port < 65536:
        raise BadInput("port", f"{port} is not a port number")
    if not username:
        raise BadInput("user", "give the user name you sign in with (often your address)")
    if not password:
        raise BadInput("password", "give the account's password (an app password, where the provider has them)")
    return port


def _clean_addresses(addresses: Iterable[str], name: str) -> list[str]:
    cleaned: list[str] = []
    for raw in addresses:
        address = raw.strip().lower()
        if "@" not in address.strip("@"):
            raise BadInput(name, f"{raw!r} is not an email address")
        if address not in cleaned:
            cleaned.append(address)
    return cleaned


def own_addresses(owner: User) -> set[str]:
    """The user's own addresses: their account's, each connected mailbox's user name when it is
    an address, and the addresses named as theirs on any mailbox (``options["me"]``)."""
    own = {owner.email.lower()} if owner.email else set()
    for username, options in (
        Source.objects.for_owner(owner).filter(kind=Source.Kind.MAIL).values_list("username", "options")
    ):
        if "@" in username:
            own.add(username.lower())
        own.update(a.lower() for a in (options or {}).get("me", []))
    return own


# --- reading headers -----------------------------------------------------------------------------

_parser = HeaderParser(policy=default_policy)


@dataclass
class _Count:
    """What the sync saw of one correspondent."""

    name: str = ""
    sent: int = 0
    received: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None

    def saw(self, name: str, at: datetime) -> None:
        if name:
            self.name = name
        self.first_at = at if self.first_at is None else min(self.first_at, at)
        self.last_at = at if self.last_at is None else max(self.last_at, at)


@dataclass
class _Exchange:
    """One thread on one day with people of the network: part of the conversation (the touch)
    it is in. ``at`` and ``from_me``: its first message, and whether the user sent it; ``last``:
    its last message."""

    at: datetime
    from_me: bool
    last: datetime
    people: set[int] = field(default_factory=set)


@dataclass
class _Tally:
    """What a sync adds up from the messages it reads, message by message: touches to be, and
    correspondents' counts. Nothing of a message is kept once read."""

    me: set[str]
    network: dict[str, int]  # address -> person id
    tz: tzinfo
    now: datetime
    exchanges: dict[tuple[str, date], _Exchange] = field(default_factory=dict)
    counts: dict[str, _Count] = field(default_factory=dict)
    read: int = 0
    ignored: int = 0

    def add(self, role: str, headers: imap.Headers, *, count: bool) -> None:
        """One message of the sent folder (``role`` "sent") or the inbox; ``count``: it was not
        counted before (see ``_Window``)."""
        self.read += 1
        try:
            # Header fields may hold raw UTF-8 (RFC 6532) besides RFC 2047 words; anything else
            # that is not ASCII is no name worth keeping.
            message = cast(EmailMessage, _parser.parsestr(headers.raw.decode("utf-8", "replace")))
            fields = {name.lower(): str(value) for name, value in message.raw_items()}
            sender = _addresses(message, "from")
            recipients = _addresses(message, "to") + _addresses(message, "cc")
            when = _date(message) or headers.received_at
        except Exception:
            # A message whose header fields cannot be read at all is skipped: one odd message in
            # fifty thousand must not stop the sync.
            self.ignored += 1
            return
        if not sender or is_bulk(fields, sender[0].addr_spec):
            self.ignored += 1
            return
        # A date without a zone is taken as UTC; one in the future (a wrong clock) as now.
        when = min(when if when.tzinfo else when.replace(tzinfo=UTC), self.now)
        from_address = sender[0].addr_spec.lower()
        from_me = from_address in self.me
        others = {a.addr_spec.lower(): a.display_name for a in recipients}
        if not from_me:
            others[from_address] = sender[0].display_name
        for address in self.me:
            others.pop(address, None)
        if count:
            self._count_message(role, from_me, from_address, sender[0].display_name, others, when)
        people = {self.network[a] for a in others if a in self.network}
        if not people:
            return
        thread = _thread(fields, headers)
        day = when.astimezone(self.tz).date()
        exchange = self.exchanges.get((thread, day))
        if exchange is None:
            exchange = self.exchanges[(thread, day)] = _Exchange(when, from_me, when)
        elif when < exchange.at:
            exchange.at, exchange.from_me = when, from_me
        exchange.last = max(exchange.last, when)
        exchange.people |= people

    def _count_message(
        self, role: str, from_me: bool, sender: str, name: str, others: dict[str, str], when: datetime
    ) -> None:
        """The user's messages count as sent to each recipient in the sent folder; others' as
        received from their sender in the inbox (a copy of one's own mail in the inbox, or a
        message in the sent folder from someone else, is not counted twice)."""
        if role == "sent" and from_me:
            for address, their_name in others.items():
                self._count(address, their_name, when).sent += 1
        elif role == "inbox" and not from_me:
            self._count(sender, name, when).received += 1

    def _count(self, address: str, name: str, when: datetime) -> _Count:
        found = self.counts.get(address)
        if found is None:
            found = self.counts[address] = _Count()
        found.saw(name, when)
        return found


def is_bulk(fields: dict[str, str], sender: str) -> bool:
    """Mail from a list, a newsletter, a robot or an auto-reply (see the module's comment).
    ``fields``: the message's header fields by lower-case name."""
    if "list-id" in fields or "list-unsubscribe" in fields:
        return True
    if fields.get("precedence", "").strip().lower() in BULK_PRECEDENCE:
        return True
    submitted = fields.get("auto-submitted", "").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return True
    local = sender.rsplit("@", 1)[0].lower()
    return bool(ROBOT_SENDERS.search(re.sub(r"[-._]", "", local)))


def _addresses(message: EmailMessage, name: str) -> list[Address]:
    """The addresses of a header field (names decoded from RFC 2047), real ones only."""
    found: list[Address] = []
    for header in message.get_all(name) or []:
        for address in getattr(header, "addresses", ()):
            if address.addr_spec and "@" in address.addr_spec:
                found.append(address)
    return found


def _date(message: EmailMessage) -> datetime | None:
    header = message.get("date")
    moment = getattr(header, "datetime", None) if header is not None else None
    return moment if isinstance(moment, datetime) else None


def _thread(fields: dict[str, str], headers: imap.Headers) -> str:
    """Which conversation a message is in: the first message it refers to, else the one it
    answers, else its own id (a message without any is a thread of its own)."""
    for name in ("references", "in-reply-to", "message-id"):
        found = MESSAGE_IDS.search(fields.get(name, ""))
        if found:
            return found.group(1).lower()
        if fields.get(name, "").strip():
            return fields[name].strip().lower()
    return f"uid:{headers.uid}:{headers.received_at.isoformat()}"


# --- syncing -------------------------------------------------------------------------------------


@dataclass
class _Window:
    """The span of received times (INTERNALDATE) of a folder's messages already counted.

    Why: a changed UIDVALIDITY numbers a folder afresh, so every message must be read again, and
    a message counted once must not be counted twice. A server keeps a message's received time
    when it renumbers it, so a message is counted only when its received time is outside the span
    already read; touches need no such care, as each exchange's ``source_key`` finds the touch
    made the first time. The same holds for ``--since``, which reads a folder again from a day.
    The price: a message that came in between the last sync and the renumbering with a received
    time inside the span (copied in with an old date) goes uncounted; a count may fall short by
    such a message, never be doubled."""

    low: datetime | None = None
    high: datetime | None = None

    @classmethod
    def of(cls, kept: dict[str, Any]) -> _Window:
        span = kept.get("counted") or [None, None]
        return cls(*(datetime.fromisoformat(x) if x else None for x in span))

    def counts(self, at: datetime) -> bool:
        return self.low is None or self.high is None or not self.low <= at <= self.high

    def widen(self, at: datetime) -> None:
        self.low = at if self.low is None else min(self.low, at)
        self.high = at if self.high is None else max(self.high, at)

    def to_json(self) -> list[str | None]:
        return [self.low.isoformat() if self.low else None, self.high.isoformat() if self.high else None]


def sync_source(owner: User, source: Source, *, now: datetime, since: date | None = None) -> Synced:
    """Read what is new in the mailbox and bring it in, as an import of its own. ``since``: read
    the messages received from that day on again, whatever was read before (nothing is counted
    or logged twice). A failure is kept on the account and returned, never raised."""
    synced = Synced(source)
    try:
        password = unseal(source.secret)
    except SecretLost:
        return _failed(source, synced, "its password can no longer be read; remove the account and add it again")
    tally = _Tally(own_addresses(owner), _network_addresses(owner), get_profile(owner).tz, now)
    folders: dict[str, Any] = dict(source.state.get("folders", {}))
    try:
        with imap.connect(source.host, source.port or 993, source.security, source.username, password) as client:
            for role, name in _folders(client, source):
                folders[name] = _read_folder(client, role, name, folders.get(name, {}), tally, since)
    except imap.MailError as exc:
        return _failed(source, synced, str(exc))
    state = {**source.state, "folders": folders}
    with recording(owner, Import.Format.MAIL, source.name, now=now) as rec:
        touches = _write_touches(owner, rec, tally, now)
        with rec.chunk():
            _write_correspondents(owner, tally.counts)
            source.state = state
            source.last_synced_at = now
            source.last_error = ""
            source.save(update_fields=["state", "last_synced_at", "last_error"])
        rec.counts.update(
            touches_created=touches,
            messages_read=tally.read,
            messages_ignored=tally.ignored,
            correspondents=len(tally.counts),
        )
        synced.counts = dict(rec.counts)
        run = rec.run
    synced.import_id = run.pk
    return synced


def sync_mail(owner: User, *, since: date | None = None, now: datetime | None = None) -> list[Synced]:
    """Sync each of the owner's mailboxes in turn; one that fails does not stop the others."""
    now = now or clock.now()
    return [
        services.sync_source(owner, source, now=now, since=since)
        for source in Source.objects.for_owner(owner).filter(kind=Source.Kind.MAIL).order_by("name", "id")
    ]


def sync_summary(synced: Synced) -> str:
    """What a sync that went through did, in a line: "ana@… on imap…: 10 new messages read, 1
    email touch logged", or "…: nothing new"."""
    read, logged = synced.counts.get("messages_read", 0), synced.counts.get("touches_created", 0)
    if not read:
        return f"{synced.source.name}: nothing new"
    return (
        f"{synced.source.name}: {read:,} new message{'' if read == 1 else 's'} read, "
        f"{logged:,} email touch{'' if logged == 1 else 'es'} logged"
    )


def _failed(source: Source, synced: Synced, reason: str) -> Synced:
    source.last_error = reason[:500]
    source.save(update_fields=["last_error"])
    synced.error = f"{source.name}: {reason}"
    return synced


def _folders(client: Any, source: Source) -> list[tuple[str, str]]:
    """The sent folder (named in the options, else found by its special use) and the inbox."""
    sent = source.options.get("sent") or imap.find_folder(client, SENT)
    inbox = source.options.get("inbox") or "INBOX"
    return ([("sent", sent)] if sent else []) + [("inbox", inbox)]


def _read_folder(
    client: Any, role: str, name: str, kept: dict[str, Any], tally: _Tally, since: date | None
) -> dict[str, Any]:
    folder = imap.open_folder(client, name)
    # A new UIDVALIDITY: the UIDs kept are another numbering's, so the folder is read again.
    after = kept.get("uid", 0) if kept.get("uidvalidity") == folder.uidvalidity else 0
    window = _Window.of(kept)
    seen = _Window()
    last = after
    for batch in imap.headers_after(client, folder, 0 if since is not None else after, since=since):
        for headers in batch:
            # Past the last UID read, a message is new for certain; before it (read again after
            # a new UIDVALIDITY, or from ``since``), only when it is outside what was read.
            count = headers.uid > after > 0 or window.counts(headers.received_at)
            tally.add(role, headers, count=count)
            seen.widen(headers.received_at)
            last = max(last, headers.uid)
    for moment in (seen.low, seen.high):
        if moment is not None:
            window.widen(moment)
    return {"uidvalidity": folder.uidvalidity, "uid": last, "counted": window.to_json()}


def _network_addresses(owner: User) -> dict[str, int]:
    return {address.lower(): pk for address, pk in Email.objects.for_owner(owner).values_list("address", "person_id")}


def thread_key(thread: str) -> str:
    """The start of the ``source_key`` of every touch of a thread."""
    return "mail:" + hashlib.sha256(thread.encode()).hexdigest()[:40]


_KEY_TIME = "%Y%m%dT%H%M%S"


def conversation_key(thread: str, start: datetime) -> str:
    """A conversation's ``source_key``: its thread's, and when its first message was sent."""
    return f"{thread_key(thread)}:{start.astimezone(UTC).strftime(_KEY_TIME)}"


@dataclass
class _Conversation:
    """A touch to be, or one an earlier sync logged (``pk``): a thread's messages from ``start``
    (its first message; ``from_me`` when the user sent it) to ``at`` (its last, the touch's time)."""

    start: datetime
    at: datetime
    from_me: bool
    pk: int | None = None
    people: set[int] = field(default_factory=set)
    logged_at: datetime | None = None  # the time the touch has now, for one logged before


def _conversations(exchanges: list[_Exchange], logged: list[_Conversation]) -> list[_Conversation]:
    """The thread's conversations once these exchanges are in: each joins the conversation whose
    start is nearest, within ``CONVERSATION``, or starts one of its own. Taken from the earliest,
    so the same messages make the same conversations however the syncs cut them."""
    found = list(logged)
    for exchange in sorted(exchanges, key=lambda e: e.at):
        near = [c for c in found if abs(c.start - exchange.at) < CONVERSATION]
        if near:
            conversation = min(near, key=lambda c: abs(c.start - exchange.at))
            conversation.at = max(conversation.at, exchange.last)
        else:
            conversation = _Conversation(exchange.at, exchange.last, exchange.from_me)
            found.append(conversation)
        conversation.people |= exchange.people
    return found


def _logged(owner: User, threads: Sequence[str]) -> dict[str, list[_Conversation]]:
    """The touches earlier syncs logged for these threads, by thread."""
    keys = {thread_key(thread): thread for thread in threads}
    logged: dict[str, list[_Conversation]] = {thread: [] for thread in threads}
    # The index holds only the touches with a key: the query must say so to use it.
    keyed = Touch.objects.for_owner(owner).exclude(source_key="").order_by()
    ordered = list(keys)
    for start in range(0, len(ordered), THREADS_PER_LOOKUP):
        # Every key of a thread: "<thread_key>:<start>", ";" being the character after ":".
        each = [
            keyed.filter(source_key__gt=f"{key}:", source_key__lt=f"{key};").values_list(
                "source_key", "pk", "happened_at", "initiated_by"
            )
            for key in ordered[start : start + THREADS_PER_LOOKUP]
        ]
        for key, pk, happened_at, initiated_by in each[0].union(*each[1:], all=True):
            thread, _, began = key.rpartition(":")
            logged[keys[thread]].append(
                _Conversation(
                    datetime.strptime(began, _KEY_TIME).replace(tzinfo=UTC),
                    happened_at,
                    initiated_by == Touch.InitiatedBy.ME,
                    pk,
                    logged_at=happened_at,
                )
            )
    return logged


def _write_touches(owner: User, rec: Any, tally: _Tally, now: datetime) -> int:
    """A touch for each new conversation, at its last message; one logged before gets the
    people it lacks, and moves to a later answer (recorded, so that undoing the sync moves it
    back)."""
    by_thread: dict[str, list[_Exchange]] = {}
    for (thread, _day), exchange in tally.exchanges.items():
        by_thread.setdefault(thread, []).append(exchange)
    threads = sorted(by_thread)
    affected: set[int] = set()
    created = 0
    for start in range(0, len(threads), CHUNK):
        chunk = threads[start : start + CHUNK]
        with rec.chunk():
            logged = _logged(owner, chunk)
            fresh: list[tuple[str, _Conversation]] = []
            earlier: list[tuple[int, _Conversation]] = []
            for thread in chunk:
                for conversation in _conversations(by_thread[thread], logged[thread]):
                    if conversation.pk is None:
                        fresh.append((conversation_key(thread, conversation.start), conversation))
                    elif conversation.people:
                        earlier.append((conversation.pk, conversation))
            touches = Touch.objects.bulk_create(
                Touch(
                    owner=owner,
                    kind=Touch.Kind.EMAIL,
                    happened_at=conversation.at,
                    initiated_by=Touch.InitiatedBy.ME if conversation.from_me else Touch.InitiatedBy.THEM,
                    created_at=now,
                    source_key=key,
                )
                for key, conversation in fresh
            )
            rec.created(Touch, [t.pk for t in touches])
            created += len(touches)
            for touch_id, conversation in earlier:
                if conversation.logged_at is not None and conversation.at > conversation.logged_at:
                    _move(owner, rec, touch_id, conversation.logged_at, conversation.at)
            rows = [
                TouchParticipant(owner=owner, touch=touch, person_id=pk, happened_at=touch.happened_at)
                for touch, (_, conversation) in zip(touches, fresh, strict=True)
                for pk in sorted(conversation.people)
            ]
            # A conversation logged by an earlier sync may have had others in it since.
            rows += [
                TouchParticipant(owner=owner, touch_id=touch_id, person_id=pk, happened_at=conversation.at)
                for touch_id, conversation in earlier
                for pk in sorted(conversation.people)
            ]
            TouchParticipant.objects.bulk_create(rows, ignore_conflicts=True)
            affected.update(pk for thread in chunk for exchange in by_thread[thread] for pk in exchange.people)
    if affected:
        # As the file import does: last touches and strengths follow (refresh_last_touch), and
        # check-ins move; no thank-you, as for any touch of the past.
        with rec.chunk():
            ids = sorted(affected)
            refresh_last_touch(owner, ids)
            sync_check_ins(owner, ids, now=now)
    return created


def _move(owner: User, rec: Any, touch_id: int, before: datetime, after: datetime) -> None:
    """A conversation logged before has a later answer: its touch (and its people's rows) move
    to it, recorded on the sync's import."""
    Touch.objects.for_owner(owner).filter(pk=touch_id).update(happened_at=after)
    TouchParticipant.objects.for_owner(owner).filter(touch_id=touch_id).update(happened_at=after)
    # As the database gives them back, which undo compares with: in UTC.
    before, after = before.astimezone(UTC), after.astimezone(UTC)
    rec.updated(Touch, touch_id, {"happened_at": before.isoformat()}, {"happened_at": after.isoformat()})


def _write_correspondents(owner: User, counts: dict[str, _Count]) -> None:
    addresses = sorted(counts)
    for start in range(0, len(addresses), CHUNK):
        chunk = addresses[start : start + CHUNK]
        known = {c.address: c for c in Correspondent.objects.for_owner(owner).filter(address__in=chunk)}
        new: list[Correspondent] = []
        for address in chunk:
            seen = counts[address]
            assert seen.first_at is not None and seen.last_at is not None
            row = known.get(address)
            if row is None:
                new.append(
                    Correspondent(
                        owner=owner,
                        address=address[:254],
                        name=seen.name[:200],
                        sent=seen.sent,
                        received=seen.received,
                        first_at=seen.first_at,
                        last_at=seen.last_at,
                    )
                )
                continue
            row.name = seen.name[:200] or row.name
            row.sent += seen.sent
            row.received += seen.received
            row.first_at = min(row.first_at, seen.first_at)
            row.last_at = max(row.last_at, seen.last_at)
        Correspondent.objects.bulk_create(new)
        Correspondent.objects.bulk_update(list(known.values()), ["name", "sent", "received", "first_at", "last_at"])


# --- suggestions ---------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """Someone the user wrote to and heard back from, not in the network."""

    address: str
    name: str
    sent: int
    received: int
    first_at: datetime
    last_at: datetime
    sentence: str

    def to_json(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "name": self.name,
            "sent": self.sent,
            "received": self.received,
            "first_at": self.first_at.isoformat(),
            "last_at": self.last_at.isoformat(),
            "sentence": self.sentence,
        }


def mail_suggestions(owner: User, *, now: datetime | None = None) -> list[Suggestion]:
    """Correspondents not in the network who both got mail from the user and wrote back, not
    dismissed: the most emails exchanged first, then the latest."""
    now = now or clock.now()
    tz = get_profile(owner).tz
    known = set(_network_addresses(owner))
    rows = (
        Correspondent.objects.for_owner(owner)
        .filter(dismissed_at__isnull=True, sent__gt=0, received__gt=0)
        .order_by((F("sent") + F("received")).desc(), "-last_at", "address")
    )
    found: list[Suggestion] = []
    for row in rows:
        if row.address in known:
            continue
        first = row.first_at.astimezone(tz)
        since = f"{first:%B}" if first.year == now.astimezone(tz).year else f"{first:%B %Y}"
        n = row.sent + row.received
        who = row.name or row.address
        sentence = f"You exchanged {n} emails with {who} since {since}. Add them?"
        found.append(Suggestion(row.address, row.name, row.sent, row.received, row.first_at, row.last_at, sentence))
    return found


def _correspondent(owner: User, address: str) -> Correspondent:
    found = Correspondent.objects.for_owner(owner).filter(address=address.strip().lower()).first()
    if found is None:
        raise NotFound("ADDRESS", f"no one you exchanged mail with has the address {address.strip()}")
    return found


def dismiss_suggestion(owner: User, address: str, *, now: datetime | None = None) -> Correspondent:
    """Never suggest this correspondent again."""
    found = _correspondent(owner, address)
    found.dismissed_at = now or clock.now()
    found.save(update_fields=["dismissed_at"])
    return found


def accept_suggestion(owner: User, address: str, *, now: datetime | None = None) -> Person:
    """Add the correspondent to the network, with their name and address."""
    found = _correspondent(owner, address)
    taken = Email.objects.for_owner(owner).filter(address=found.address).select_related("person").first()
    if taken is not None:
        raise BadInput("ADDRESS", f"{found.address} is already {taken.person.full_name}'s")
    name = found.name or " ".join(
        part.capitalize() for part in re.split(r"[._-]+", found.address.split("@")[0]) if part
    )
    return add_person(owner, name or found.address, PersonChanges(emails=[found.address]), now=now)
