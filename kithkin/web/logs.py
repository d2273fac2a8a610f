"""Secrets in URLs stay out of the logs: Django logs the path of every 404 and error ("Not Found:
/feed/<secret>.ics"), and a calendar feed's or a login link's path is its secret."""

from __future__ import annotations

import logging
import re

SECRET_PATHS = re.compile(r"(/feed/)[^/\s]+(\.ics)|(/accounts/link/)[^/\s]+")


def redact(text: str) -> str:
    """``text`` with the secret of every feed or login-link path replaced by "[redacted]"."""
    return SECRET_PATHS.sub(lambda m: f"{m[1] or m[3]}[redacted]{m[2] or ''}", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
