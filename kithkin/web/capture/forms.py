"""What the forms of Connected accounts share."""

from __future__ import annotations

from typing import Any, ClassVar

from kithkin.web.forms import Form


class ConnectionForm(Form):
    """A form to connect an account. The page shows one per kind, each with a "User name" and a
    "Password": their fields' ids start with the form's ``id_prefix`` so that no two are the same
    and each label names its own field."""

    id_prefix: ClassVar[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
