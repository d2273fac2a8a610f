"""What every response says to the browser: a strict Content-Security-Policy, a Permissions-Policy,
no caching of anything private; and the deploy checks with the production variables set."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from kithkin.testing import make_person

pytestmark = pytest.mark.usefixtures("frozen")

TEMPLATES = Path(django_settings.BASE_DIR) / "web" / "templates"
# What a strict policy refuses: inline <script>, style="", on...= handlers, htmx's hx-on (run
# with eval) and hx-trigger filters ([...], also eval), js: values.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|hx-on|hx-trigger=\"[^\"]*\[|[\"']js:|<style", re.IGNORECASE
)


# Issue 13, item 10
def test_every_page_carries_a_strict_content_security_policy_and_a_permissions_policy(client, signed_in):
    for response in (Client().get(reverse("accounts:login")), signed_in.get(reverse("followups:today"))):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


# Issue 13, item 10
def test_no_template_has_code_a_strict_content_security_policy_would_refuse():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group()!r}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE_CODE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# Issue 13, item 10
def test_signed_in_pages_and_downloads_are_never_stored(signed_in, alice):
    make_person(alice, "Ana Ruiz")
    for name in ("followups:today", "people:list", "exports:csv", "exports:vcard", "exports:json"):
        response = signed_in.get(reverse(name))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], name


def test_static_files_are_still_cached(client):
    response = client.get("/static/kithkin/kithkin.css")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")


def deploy_check(tmp_path, **variables):
    env = {**os.environ, "KITHKIN_DATA_DIR": str(tmp_path), **variables}
    # Set for the browser journeys (browser/conftest.py); a production server has neither.
    for name in ("KITHKIN_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    manage = Path(django_settings.BASE_DIR).parent / "manage.py"
    return subprocess.run(
        [sys.executable, str(manage), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Issue 13, item 10
def test_the_deploy_checks_are_clean_with_the_documented_production_variables(tmp_path):
    done = deploy_check(
        tmp_path, KITHKIN_HTTPS="1", KITHKIN_TRUSTED_PROXY="1", KITHKIN_ALLOWED_HOSTS="kithkin.example.org"
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_without_https_the_deploy_checks_say_what_is_missing(tmp_path):
    done = deploy_check(tmp_path)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr
