"""Kithkin's wording of each drafted message, the placeholders each may use, and where the user's
own wording is kept.

Six kinds are the user's to edit (Settings, ``kithkin draft-templates``); two more are Kithkin's
only: asking how an introduction went, and a reminder set by hand (whose reason is the body).
"""

from __future__ import annotations


class Kind:
    """Which message: also the names of the templates."""

    THANK_YOU = "thank_you"
    CHECK_IN = "check_in"
    CLOSE_LOOP = "close_loop"
    CONGRATULATE = "congratulate"
    REPORT_BACK = "report_back"
    REKINDLE = "rekindle"
    HOW_IT_WENT = "how_it_went"
    REMINDER = "reminder"
    ASK_INTRO = "ask_intro"


# The kinds the user may reword, in the order Settings lists them, and where each is kept on Profile.
PROFILE_FIELDS: dict[str, str] = {
    Kind.THANK_YOU: "draft_thank_you_template",
    Kind.CHECK_IN: "draft_check_in_template",
    Kind.CLOSE_LOOP: "draft_close_loop_template",
    Kind.CONGRATULATE: "draft_congratulate_template",
    Kind.REPORT_BACK: "draft_report_back_template",
    Kind.REKINDLE: "draft_rekindle_template",
}
EDITABLE = tuple(PROFILE_FIELDS)

TITLES: dict[str, str] = {
    Kind.THANK_YOU: "Thank-you",
    Kind.CHECK_IN: "Check-in",
    Kind.CLOSE_LOOP: "Closing the loop on advice",
    Kind.CONGRATULATE: "Congratulations",
    Kind.REPORT_BACK: "Telling an introducer how it went",
    Kind.REKINDLE: "Rekindling a quiet tie",
    Kind.HOW_IT_WENT: "Asking how an introduction went",
    Kind.REMINDER: "A reminder of your own",
    Kind.ASK_INTRO: "Asking for an introduction",
}

_PERSON = {
    "first": "what you call them: a nickname or their first name",
    "name": "their full name",
}
_ME = {"me": "your name, from your account (empty if it has none)"}

PLACEHOLDERS: dict[str, dict[str, str]] = {
    Kind.THANK_YOU: {
        **_PERSON,
        "what": "what you thank them for: “the coffee”, “your help (feedback on my CV)”, “the introduction to Bo Chen”",
        "day": "the day it happened: “Tuesday 17 November”",
        "advice": "the advice they gave, as you logged it (empty if none)",
        "advice_line": "a sentence about their advice, or nothing when there was none",
        **_ME,
    },
    Kind.CHECK_IN: {
        **_PERSON,
        "last_touch": "your last touch: “our coffee” (empty if none)",
        "last_day": "its day: “Tuesday 17 November” (empty if none)",
        "last_line": "“It's been a while since our coffee on Tuesday 17 November.”",
        "interest": "one of their interests (empty if none known)",
        "need": "one of their needs (empty if none known)",
        "topic_line": "a question about a need or an interest of theirs, or nothing",
        **_ME,
    },
    Kind.CLOSE_LOOP: {
        **_PERSON,
        "what": "the touch the advice came from: “the coffee”",
        "day": "its day: “Tuesday 17 November”",
        "advice": "the advice, as you logged it",
        "advice_line": "“I tried your advice from the coffee on Tuesday 17 November: ...”",
        **_ME,
    },
    Kind.CONGRATULATE: {
        **_PERSON,
        "occasion": "“your new job at Initech”, “your award: Designer of the year”, “your birthday”",
        "milestone": "the milestone as you recorded it (empty for a birthday)",
        "greeting": "“Congratulations on your new job at Initech” or “Happy birthday”",
        "wish": "a good wish that fits the occasion",
        **_ME,
    },
    Kind.REPORT_BACK: {
        **_PERSON,
        "introduced": "the full name of the person they introduced you to",
        "introduced_first": "what you call that person",
        "met_line": "“We met for coffee on Tuesday 17 November.” (or that you have been in touch)",
        **_ME,
    },
    Kind.REKINDLE: {
        **_PERSON,
        "opener": "a paragraph from what Kithkin knows of the two of you (the Rekindle page writes it)",
        "suggestion": "what to do next: “Would you be up for a coffee in the next few weeks?”",
        **_ME,
    },
    Kind.HOW_IT_WENT: {**_PERSON, "other": "the full name of the person you introduced them to", **_ME},
    Kind.REMINDER: {**_PERSON, "reason": "the reminder as you wrote it", **_ME},
    Kind.ASK_INTRO: {
        **_PERSON,
        "target": "whom you want to meet: “Bo Lindqvist (Partnerships lead at Stripe)” or “someone at Stripe”",
        "why": "why you want to meet them",
        "their_tie": "how the introducer knows them: “you worked together at Stripe”",
        "blurb": "a short note about you they can forward",
        **_ME,
    },
}

DEFAULTS: dict[str, str] = {
    Kind.THANK_YOU: """Subject: Thank you for {what}

Hi {first},

Thank you for {what} on {day}. It was good to spend that time together.

{advice_line}

Best,
{me}""",
    Kind.CHECK_IN: """Subject: Catching up

Hi {first},

{last_line} How are things with you?

{topic_line}

Best,
{me}""",
    Kind.CLOSE_LOOP: """Subject: Your advice from {what}

Hi {first},

{advice_line}

Here is what came of it: ...

Thank you again,
{me}""",
    Kind.CONGRATULATE: """Subject: {greeting}!

Hi {first},

{greeting}! {wish}

Best,
{me}""",
    Kind.REPORT_BACK: """Subject: How it went with {introduced_first}

Hi {first},

Thank you again for introducing me to {introduced}. A quick update: {met_line}

Here is how it went: ...

Best,
{me}""",
    Kind.REKINDLE: """Subject: It's been a while

Hi {first},

{opener}

{suggestion}

Best,
{me}""",
    Kind.HOW_IT_WENT: """Subject: How did meeting {other} go?

Hi {first},

I hope the introduction to {other} was useful. How did it go? I'd love to hear.

Best,
{me}""",
    Kind.REMINDER: """Subject: {reason}

Hi {first},

{reason}

Best,
{me}""",
    Kind.ASK_INTRO: """Subject: Would you introduce me to {target}?

Hi {first},

I hope you are well. I would love to meet {target}: {why}. {their_tie}, so I thought I would ask: would you be open to introducing us? Only if they are happy to, of course; please check with them first.

If it helps, here is a short note you could forward:

{blurb}

Thank you either way, and tell me if I can return the favour.

Best,
{me}""",
}
