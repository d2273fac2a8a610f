"""Automatic capture: the user's own mail (IMAP headers), calendars (an iCal address or CalDAV)
and address books (CardDAV) keep the network up to date without typing.

Each connected account is a ``Source``. Syncing one is an import (``imports.services.recording``):
listed on the imports page with its counts, and undoable. See docs/capture.md.
"""
