"""The messages a double opt-in introduction asks the user to send, from templates they can edit.

Three messages: asking A whether they want the introduction (and why it could help them), then
asking B, then the introduction email to both. The placeholders and Kithkin's wording are here;
filling, checking and rendering a template is ``kithkin.core.drafts``, shared with the drafts of
every other follow-up.
"""

from __future__ import annotations

from kithkin.core import drafts as core

# Re-exported: the faces and the services read them from here, beside the placeholders.
from kithkin.core.drafts import MAX_TEMPLATE as MAX_TEMPLATE
from kithkin.core.drafts import Draft as Draft
from kithkin.core.drafts import sentence as sentence
from kithkin.core.drafts import who as who

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


def unknown_placeholders(template: str) -> list[str]:
    return core.unknown_placeholders(template, PLACEHOLDERS)


def check_template(template: str, field_name: str) -> str:
    """The template as it will be stored, or BadInput naming the first unknown placeholder."""
    return core.check_template(template, field_name, PLACEHOLDERS)


def render(kind: str, template: str, values: dict[str, str], *, to: list[str], missing: list[str]) -> Draft:
    """The draft of one message from the user's template (empty: Kithkin's wording)."""
    return core.render(kind, template, values, defaults=DEFAULTS, to=to, missing=missing)
