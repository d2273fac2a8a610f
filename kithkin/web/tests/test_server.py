"""The production server `kithkin serve` runs: waitress on 127.0.0.1, stopped by the test."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connections

import kithkin.server
from kithkin.accounts.services import create_login_token, get_or_create_local_owner
from kithkin.server import make_server, stop_server


@pytest.fixture
def server(transactional_db):
    # Worker threads close their connections after each request, so the test database
    # can be dropped afterwards (PostgreSQL refuses while sessions are open).
    database = connections.settings["default"]
    kept_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    running = make_server("127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{running.effective_port}"
    stop_server(running, thread)
    assert not thread.is_alive()
    database["CONN_MAX_AGE"] = kept_age


def test_the_one_time_link_signs_in_through_the_real_server(server):
    token = create_login_token(get_or_create_local_owner())
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    # Opening the link asks first; its button posts the form with the page's CSRF token.
    with browser.open(f"{server}/accounts/link/{token}/") as response:
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    assert csrf is not None
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf.group(1)}).encode()
    with browser.open(f"{server}/accounts/link/{token}/", data=form) as response:
        assert response.status == 200 and response.url == f"{server}/"
        assert "Today" in response.read().decode()
    with browser.open(f"{server}/static/vendor/htmx/htmx.min.js") as response:
        assert response.status == 200
    stranger = urllib.request.build_opener()
    with pytest.raises(urllib.error.HTTPError) as used:
        stranger.open(f"{server}/accounts/link/{token}/")
    assert used.value.code == 410


# Issue 13, item 21b
def test_serve_records_the_port_it_listens_on_while_it_runs(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    seen = []

    class Listening:
        effective_port = 4321

        def run(self):
            seen.append(kithkin.server.served_address())

        def close(self):
            pass

    monkeypatch.setattr(kithkin.server, "make_server", lambda host, port, threads: Listening())
    kithkin.server.serve("0.0.0.0", 0)
    assert seen == [("127.0.0.1", 4321)]
    assert kithkin.server.served_address() is None and not (tmp_path / "server.json").exists()
