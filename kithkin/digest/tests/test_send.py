"""The digest sent through a real SMTP server on 127.0.0.1 (kithkin.testing.mailbox)."""

from datetime import timedelta

import pytest
from django.conf import settings

from kithkin.accounts.services import update_settings
from kithkin.digest.services import send
from kithkin.followups.models import FollowUp
from kithkin.followups.services import due_list
from kithkin.testing import NOW, make_person, make_touch

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_digest_arrives_as_plain_text_and_html_with_a_one_click_unsubscribe(alice, mailbox):
    update_settings(alice, email="alice@example.com", your_name="Alice", digest=True)
    make_touch(alice, make_person(alice, "Ana Ruiz"), "coffee", NOW - timedelta(days=1))
    reason = due_list(alice, NOW).get(kind=FollowUp.Kind.THANK_YOU).reason

    send(alice, NOW)

    [delivered] = mailbox.delivered
    assert delivered.rcpt_tos == ["alice@example.com"]
    message = delivered.message
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "Kithkin, Sun 22 Nov: 1 promise"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert reason in text and reason in html
    assert text.startswith("Good morning, Alice.")
    off = str(message["List-Unsubscribe"]).strip()  # a long header is folded onto its next line
    assert off.startswith(f"<{settings.BASE_URL}/accounts/digest/off/") and off.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert off[1:-1] in text and off[1:-1] in html
