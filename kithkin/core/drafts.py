"""Messages drafted from templates the user can edit: the machinery every kind of draft shares.

A template is plain text with placeholders in braces (``{first}``); its first line may be
``Subject: ...``. Each app that drafts messages keeps its own placeholders (what each one becomes)
and its own default wording, and passes them in. Rendering never fails: an unknown placeholder
(only possible in a template saved before the list changed) is left as written, and a lone brace
is just a brace. Saving a template with an unknown placeholder is refused, so a typo shows up in
the settings and not in a message already sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kithkin.core.errors import BadInput
from kithkin.lib.mailto import mailto

MAX_TEMPLATE = 5000
PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


@dataclass(frozen=True)
class Draft:
    """A message ready to copy or open in a mail program."""

    kind: str
    subject: str
    body: str
    # The addresses it goes to, and the people it is for whose address Kithkin does not know.
    to: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Subject and body as one block, for copying."""
        return f"Subject: {self.subject}\n\n{self.body}"

    @property
    def mailto(self) -> str:
        """A ``mailto:`` link with the subject and body filled in."""
        return mailto(self.to, self.subject, self.body)


def normalize(text: str) -> str:
    """A template as stored: Unix line breaks, no blank lines or spaces around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def unknown_placeholders(template: str, placeholders: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys(name for name in PLACEHOLDER.findall(template) if name not in placeholders))


def check_template(template: str, field_name: str, placeholders: Mapping[str, str]) -> str:
    """The template as it will be stored, or BadInput on ``field_name`` naming the unknown
    placeholders and listing the known ones."""
    text = normalize(template)
    if len(text) > MAX_TEMPLATE:
        raise BadInput(field_name, f"must be at most {MAX_TEMPLATE} characters")
    unknown = unknown_placeholders(text, placeholders)
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in placeholders)
        names = ", ".join(f"{{{name}}}" for name in unknown)
        word = "placeholder" if len(unknown) == 1 else "placeholders"
        raise BadInput(field_name, f"unknown {word} {names}; you can use {known}")
    return text


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each known ``{placeholder}``; anything else is left as written."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def split_subject(text: str) -> tuple[str, str]:
    """("the subject", "the body") of a filled template: its first line when it starts with
    "Subject:", else no subject."""
    lines = normalize(text).split("\n")
    if lines and lines[0].lower().startswith("subject:"):
        return lines[0][len("subject:") :].strip(), "\n".join(lines[1:]).strip()
    return "", "\n".join(lines).strip()


def sentence(text: str) -> str:
    """Text as it sits in a message: one sentence that ends with a stop."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…)\"'”" else f"{text}."


def who(name: str, title: str, organization: str) -> str:
    """ "Ana Ruiz (Product Lead at Acme)", "Ana Ruiz (Acme)" or just "Ana Ruiz"."""
    role = " at ".join(part for part in (title, organization) if part)
    return f"{name} ({role})" if role else name


def render(
    kind: str,
    template: str,
    values: Mapping[str, str],
    *,
    defaults: Mapping[str, str],
    to: list[str],
    missing: list[str],
) -> Draft:
    """The draft of one message from the user's template (empty: the default wording of ``kind``
    in ``defaults``). A template without a subject line takes the default's subject."""
    subject, body = split_subject(fill(normalize(template) or defaults[kind], values))
    if not subject:
        subject = fill(split_subject(defaults[kind])[0], values)
    return Draft(kind=kind, subject=subject, body=body, to=to, missing=missing)
