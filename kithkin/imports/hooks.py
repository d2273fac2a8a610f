"""Where the apps above imports act on a file imported (see ``kithkin.core.hooks``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from kithkin.core.hooks import Hook


@dataclass(frozen=True)
class PeopleImported:
    """A contacts file added or changed these people: what is worked out from their organizations
    and roles (who worked with whom) is out of date. A calendar's touches run
    ``interactions.touches_changed`` instead."""

    owner: User
    person_ids: tuple[int, ...]


# Run by import_file once every chunk is written, outside their transactions.
people_imported: Hook[PeopleImported] = Hook("imports.people_imported")
