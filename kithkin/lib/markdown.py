"""Notes are Markdown; rendered HTML is sanitised so a note can never run script.

Rendering is bounded, whatever the input. markdown-it scans forward from every ``[`` for the end
of a link label, so text like ``![![![…`` costs time quadratic in its length (a 50 KB note took
seconds). Each paragraph (each inline run) gets a budget of label-scanning steps proportional to its
length; one that spends it is shown as plain text with its line breaks, and so is a note longer
than ``MAX_MARKDOWN_CHARS``. Notes are rendered once, when saved, never when a page is shown. markdown-it and nh3 are loaded on
the first note rendered, not by every command that imports the models.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

# Longer than this, a note is plain text with its line breaks (it is no longer a note one reads as
# formatted text, and its rendering costs time in proportion).
MAX_MARKDOWN_CHARS = 50_000
# The label-scanning steps an inline run may take: this many per character, plus a few for a short
# one. Ordinary text takes about one per character inside a link's label, and none elsewhere.
STEPS_PER_CHAR = 2
STEPS_MIN = 1_000
# How deep links and emphasis may nest (CommonMark's preset; markdown-it's default is 100).
MAX_NESTING = 20

_ENV_STEPS = "kithkin_steps"
_ENV_BUDGET = "kithkin_budget"


class _OverBudget(Exception):
    """An inline run took more steps than its budget."""


_TAGS = {
    "p", "br", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}


def _counted_skip_token(state: StateInline) -> None:
    """markdown-it's step when it looks ahead (for the end of a link label), counted against the
    budget of the inline run being parsed."""
    steps = state.env.get(_ENV_STEPS, 0) + 1
    if steps > state.env.get(_ENV_BUDGET, STEPS_MIN):
        raise _OverBudget
    state.env[_ENV_STEPS] = steps
    _skip_token[0](state)


def _plain_children(text: str) -> list[Token]:
    """The tokens of ``text`` shown as it is: escaped, each line break kept."""
    from markdown_it.token import Token

    children: list[Token] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            children.append(Token("hardbreak", "br", 0))
        children.append(Token("text", "", 0, content=line))
    return children


def _bounded_inline(state: StateCore) -> None:
    """markdown-it's core "inline" rule, with a budget of steps per inline run."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        spent = state.env.get(_ENV_STEPS, 0)
        state.env[_ENV_BUDGET] = spent + STEPS_MIN + STEPS_PER_CHAR * len(token.content)
        children: list[Token] = []
        try:
            state.md.inline.parse(token.content, state.md, state.env, children)
        except _OverBudget:
            children = _plain_children(token.content)
        token.children = children


# markdown-it's own look-ahead step, which ``_counted_skip_token`` counts and then takes.
_skip_token: list[Any] = []


@functools.cache
def _parser() -> MarkdownIt:
    # "js-default" escapes raw HTML and refuses javascript:/vbscript:/data: links; nh3 is the
    # second lock on the door, keeping only the tags and URL schemes a note needs.
    from markdown_it import MarkdownIt

    md = (
        MarkdownIt("js-default", {"linkify": False, "typographer": False, "maxNesting": MAX_NESTING})
        .enable("table")
        .enable("strikethrough")
    )
    _skip_token.append(md.inline.skipToken)
    md.inline.skipToken = _counted_skip_token  # type: ignore[method-assign]
    md.core.ruler.at("inline", _bounded_inline)
    return md


@dataclass(frozen=True)
class Rendered:
    html: str
    steps: int  # the label-scanning steps it took: bounded by the text's length


def render(text: str) -> Rendered:
    """``render_markdown``, with the steps it took (for tests and measurement)."""
    if not text:
        return Rendered("", 0)
    if len(text) > MAX_MARKDOWN_CHARS:
        return Rendered(plain_text_html(text), 0)
    env: dict[str, int] = {}
    rendered = _parser().render(text, env)
    return Rendered(_clean(rendered), env.get(_ENV_STEPS, 0))


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown note: no script, no event handlers, only http(s)/mailto/tel links.
    The last few thousand are remembered: many notes are the same few words ("Coffee", a demo
    network's nine), and an import or a demo renders hundreds of thousands at once."""
    return render(text).html


def plain_text_html(text: str) -> str:
    """``text`` as HTML that shows it as it is: paragraphs at blank lines, line breaks kept."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p.strip(chr(10))).replace(chr(10), '<br>' + chr(10))}</p>\n" for p in paragraphs)


def _clean(rendered: str) -> str:
    import nh3

    return nh3.clean(
        rendered,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
