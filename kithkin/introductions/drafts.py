"""The messages a double opt-in introduction asks the user to send, from templates they can edit.

Three messages: asking A whether they want the introduction (and why it could help them), then
asking B, then the introduction email to both. A template is plain text with placeholders in
braces (``{a_first}``); its first line may be ``Subject: ...``. Rendering never fails: an
unknown placeholder (only possible in a template saved before the list changed) is left as
written, and a lone brace is just a brace. Saving a template with an unknown placeholder is
refused, so a typo shows up in the settings and not in a message already sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kithkin.core.errors import BadInput
from kithkin.lib.mailto import mailto

MAX_TEMPLATE = 5000
PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")

# Every placeholder and what it becomes, in the order the settings page lists them.
PLACEHOLDERS: dict[str, str] = {
    "a": "A's full name (the person asked first)",
    "a_first": "what you call A: a nickname or their first name",
    "a_title": "A's job title",
    "a_org": "A's organization",
    "a_who": "A's name with their role: “Ana Ruiz (Product Lead at Acme)”",
    "a_email": "A's first email address",
    "b": "B's full name (the person asked second)",
    "b_first": "what you call B",
    "b_title": "B's job title",
    "b_org": "B's organization",
    "b_who": "B's name with their role",
    "b_email": "B's first email address",
    "why": "why they should meet, as you wrote it when proposing",
    "me": "your name, from your account (empty if it has none)",
}


class Kind:
    """Which of the three messages: also the names of the templates."""

    ASK_A = "ask_a"
    ASK_B = "ask_b"
    INTRODUCE = "introduce"


KINDS = (Kind.ASK_A, Kind.ASK_B, Kind.INTRODUCE)
# Where each template is kept on the user's Profile.
PROFILE_FIELDS = {
    Kind.ASK_A: "intro_ask_a_template",
    Kind.ASK_B: "intro_ask_b_template",
    Kind.INTRODUCE: "intro_email_template",
}

DEFAULTS = {
    Kind.ASK_A: """Subject: Would you like to meet {b}?

Hi {a_first},

I'd like to introduce you to {b_who}. {why}

Would that be useful to you? If so, I'll check that {b_first} is happy to connect too, then introduce you both by email. No pressure at all: if the timing isn't right, just say so.

Best,
{me}""",
    Kind.ASK_B: """Subject: Would you like to meet {a}?

Hi {b_first},

I'd like to introduce you to {a_who}, who would be glad to meet you. {why}

Would you be happy for me to introduce you by email? If the timing isn't right, no problem at all.

Best,
{me}""",
    Kind.INTRODUCE: """Subject: Introduction: {a_first} and {b_first}

Hi {a_first} and {b_first},

As promised, an introduction: {a_first}, meet {b_who}. {b_first}, meet {a_who}.

{why}

I'll let you two take it from here.

Best,
{me}""",
}


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


def unknown_placeholders(template: str) -> list[str]:
    return list(dict.fromkeys(name for name in PLACEHOLDER.findall(template) if name not in PLACEHOLDERS))


def check_template(template: str, field_name: str) -> str:
    """The template as it will be stored, or BadInput naming the first unknown placeholder."""
    text = normalize(template)
    if len(text) > MAX_TEMPLATE:
        raise BadInput(field_name, f"must be at most {MAX_TEMPLATE} characters")
    unknown = unknown_placeholders(text)
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        names = ", ".join(f"{{{name}}}" for name in unknown)
        word = "placeholder" if len(unknown) == 1 else "placeholders"
        raise BadInput(field_name, f"unknown {word} {names}; you can use {known}")
    return text


def fill(template: str, values: dict[str, str]) -> str:
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
    """``why`` as it sits in a message: one sentence that ends with a stop."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…)\"'”" else f"{text}."


def who(name: str, title: str, organization: str) -> str:
    """ "Ana Ruiz (Product Lead at Acme)", "Ana Ruiz (Acme)" or just "Ana Ruiz"."""
    role = " at ".join(part for part in (title, organization) if part)
    return f"{name} ({role})" if role else name


def render(kind: str, template: str, values: dict[str, str], *, to: list[str], missing: list[str]) -> Draft:
    """The draft of one message from the user's template (empty: Kithkin's wording)."""
    subject, body = split_subject(fill(normalize(template) or DEFAULTS[kind], values))
    if not subject:
        subject = fill(split_subject(DEFAULTS[kind])[0], values)
    return Draft(kind=kind, subject=subject, body=body, to=to, missing=missing)
