"""Notes are Markdown; rendered HTML is sanitised so a note can never run script."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# "js-default" escapes raw HTML and refuses javascript:/vbscript:/data: links; nh3 is the second
# lock on the door, keeping only the tags and URL schemes a note needs.
_md = MarkdownIt("js-default", {"linkify": False, "typographer": False}).enable("table").enable("strikethrough")
_TAGS = {
    "p", "br", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}


def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown note: no script, no event handlers, only http(s)/mailto/tel links."""
    if not text:
        return ""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
