"""`kithkin serve`'s schedule thread (kithkin.server.start_schedule): here rather than beside the
schedule, as the domain's tests import no face."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kithkin.accounts.services import update_settings
from kithkin.server import start_schedule
from kithkin.testing import make_user

MADRID = ZoneInfo("Europe/Madrid")


def at_madrid(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=MADRID)


@pytest.mark.django_db(transaction=True)
def test_kithkin_serve_sends_them_from_a_thread_of_its_own_while_it_runs(mailbox):
    user = make_user("ana", time_zone="Europe/Madrid")
    update_settings(user, email="ana@example.com", digest=True)
    stop = threading.Event()
    with time_machine.travel(at_madrid(7, 8, 0), tick=False):
        thread = start_schedule(stop)
        try:
            assert mailbox.arrived.wait(timeout=30)
        finally:
            stop.set()
            thread.join(timeout=30)
    assert not thread.is_alive()
    assert [d.rcpt_tos for d in mailbox.delivered] == [["ana@example.com"]]
