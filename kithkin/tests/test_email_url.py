"""EMAIL_URL read into Django's mail settings (kithkin.settings.email_settings)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kithkin.settings import email_settings


def test_smtp_with_starttls_and_a_password_written_percent_encoded():
    found = email_settings("smtp://me%40example.org:p%2Fw@mail.example.org:587/?tls=True")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("me@example.org", "p/w")
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (True, False)


def test_smtps_is_smtp_over_tls_on_port_465_unless_told_otherwise():
    found = email_settings("smtps://me:secret@mail.example.org")
    assert (found["EMAIL_USE_SSL"], found["EMAIL_USE_TLS"], found["EMAIL_PORT"]) == (True, False, 465)
    assert email_settings("smtps://me:secret@mail.example.org:2465")["EMAIL_PORT"] == 2465
    written = email_settings("smtps://me:secret@mail.example.org:587/?tls=True")
    assert (written["EMAIL_USE_SSL"], written["EMAIL_USE_TLS"]) == (False, True)


def test_a_plain_local_relay_needs_no_password_and_no_tls():
    found = email_settings("smtp://127.0.0.1:2525")
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (
        "127.0.0.1",
        2525,
        False,
        False,
    )


def test_an_address_that_is_not_smtp_stops_the_start_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL does not read as an SMTP address"):
        email_settings("carrier-pigeon://loft")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL does not read as an SMTP address"):
        email_settings("smtp://mail.example.org:submission")
