"""Markdown from cards, rendered and then sanitised: nothing a card says can run in a page.

Card text is untrusted (anyone can open a pull request). It is rendered by cmark-gfm
(cardmarkdown.py: GitHub-flavoured Markdown, within limits that validation enforces) and
cleaned with nh3 (the ammonia sanitiser) against an allow-list: no script, no event
handler, no style, and only http(s), mailto and relative links. Every other field reaches
the page through Jinja2's autoescaping.
"""

from __future__ import annotations

import functools

import nh3
from markupsafe import Markup, escape

from ..cardmarkdown import MAX_CHARACTERS, MAX_NESTING, nesting, to_html

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener",
    strip_comments=True,
)


def sanitise(html: str) -> str:
    return _CLEANER.clean(html)


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a Markdown field (empty for None); the same text renders the same.

    Text beyond the Markdown limits is shown as plain text: validation refuses it in every
    Markdown field, so only a theme that renders some other field as Markdown gets here.
    """
    if not text:
        return Markup("")
    html = to_html(text) if len(text) <= MAX_CHARACTERS else None
    if html is None or nesting(html) > MAX_NESTING:
        return Markup("<p>") + escape(text) + Markup("</p>")
    return Markup(sanitise(html))
