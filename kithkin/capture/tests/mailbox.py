"""A generated mailbox of a few hundred messages for the tests of mail capture: a two-way thread
with someone of the network, a correspondent outside it who wrote back, newsletters, robots,
auto-replies, mailing lists, non-ASCII names (some RFC 2047 encoded) and one-way mail."""

from __future__ import annotations

from datetime import datetime, timedelta

from kithkin.testing import NOW
from kithkin.testing_mail import ImapServer, message

ME = "ana@example.com"
MARTA = "marta@example.org"  # in the network
LENA = "lena.fischer@example.net"  # not in the network; wrote back twice
JORG = "jorg@example.de"  # not in the network; RFC 2047 name; wrote back once
NEWS = "news@shop.example"  # a newsletter
DAY = NOW - timedelta(days=2)  # 2026-11-20, a Friday, 10:00 UTC
EARLY = datetime(2026, 5, 4, 9, 0, tzinfo=NOW.tzinfo)


def at(days: float, base: datetime = DAY) -> datetime:
    return base + timedelta(days=days)


def load(server: ImapServer) -> dict[str, int]:
    """Fill the server's inbox and sent folder; returns how many messages went into each."""
    sent: list[tuple[bytes, datetime]] = []
    inbox: list[tuple[bytes, datetime]] = []

    # A two-way thread with Marta on one day (three messages: one touch), and on the next day.
    sent.append((message(f"Ana <{ME}>", f"Marta Sol <{MARTA}>", at(0), message_id="m1@example.com"), at(0)))
    inbox.append(
        (
            message(f"Marta Sol <{MARTA}>", ME, at(0.1), message_id="m2@example.org", replying_to=["m1@example.com"]),
            at(0.1),
        )
    )
    sent.append(
        (
            message(ME, MARTA, at(0.2), message_id="m3@example.com", replying_to=["m1@example.com", "m2@example.org"]),
            at(0.2),
        )
    )
    # Her out-of-office answer the day after: an auto-reply, ignored.
    inbox.append(
        (
            message(MARTA, ME, at(1), message_id="ooo@example.org", headers={"Auto-Submitted": "auto-replied"}),
            at(1),
        )
    )

    # Lena, not in the network: two emails from Ana since May, two answers.
    for n, when in enumerate((EARLY, at(-10))):
        mid = f"lena-{n}@example.com"
        sent.append((message(ME, f"Lena Fischer <{LENA}>", when, message_id=mid), when))
        inbox.append(
            (
                message(
                    f"Lena Fischer <{LENA}>", ME, when + timedelta(hours=3), message_id=f"re-{mid}", replying_to=[mid]
                ),
                when + timedelta(hours=3),
            )
        )
    # Jörg, with his name RFC 2047 encoded, answered once.
    sent.append((message(ME, JORG, at(-20), message_id="jorg-1@example.com"), at(-20)))
    inbox.append(
        (
            message(
                f"=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <{JORG}>",
                ME,
                at(-19),
                message_id="jorg-2@example.de",
                replying_to=["jorg-1@example.com"],
            ),
            at(-19),
        )
    )

    # Mail that is not a relationship: a newsletter, robots, a list, bulk, one-way strangers.
    for n in range(120):
        when = at(-n * 0.5)
        inbox.append(
            (
                message(
                    f"Shop News <{NEWS}>",
                    ME,
                    when,
                    message_id=f"news-{n}@shop.example",
                    headers={"List-Unsubscribe": "<mailto:unsubscribe@shop.example>"},
                ),
                when,
            )
        )
    for n in range(80):
        when = at(-n * 0.7)
        sender = ["noreply@github.com", "notifications@bank.example", "MAILER-DAEMON@mx.example"][n % 3]
        inbox.append((message(sender, ME, when, message_id=f"robot-{n}@x.example"), when))
    for n in range(60):
        when = at(-n * 0.9)
        headers = {"List-Id": "<dev.lists.example>"} if n % 2 else {"Precedence": "bulk"}
        inbox.append(
            (message(f"Member {n} <member{n}@lists.example>", ME, when, message_id=f"l-{n}@l", headers=headers), when)
        )
    for n in range(60):
        when = at(-n)
        name = "=?iso-8859-1?q?Ma=EFa_Dupr=E9?=" if n % 2 else "Zoë Ångström"
        inbox.append((message(f"{name} <stranger{n}@example.fr>", ME, when, message_id=f"s-{n}@f"), when))
    for n in range(40):
        when = at(-n - 0.5)
        sent.append((message(ME, f"Someone {n} <someone{n}@example.it>", when, message_id=f"o-{n}@example.com"), when))

    for folder, messages in (("Sent", sent), ("INBOX", inbox)):
        # In the order the server received them, as a real mailbox numbers them.
        for raw, when in sorted(messages, key=lambda item: item[1]):
            server.add(folder, raw, at=when)
    return {"Sent": len(sent), "INBOX": len(inbox)}
