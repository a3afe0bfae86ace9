"""Markdown from cards, rendered and then sanitised: nothing a card says can run in a page.

Card text is untrusted (anyone can open a pull request). It is rendered by cmark-gfm
(cardmarkdown.py: GitHub-flavoured Markdown, within limits that validation enforces) and
cleaned with nh3 (the ammonia sanitiser) against an allow-list: no script, no event
handler, no style, and links only to web addresses or relative paths into the site
(urls.link_target, the policy of every output: a `mailto:`, `javascript:`, protocol-
relative or root-relative link stays as its text). Every other field reaches the page
through Jinja2's autoescaping.
"""

from __future__ import annotations

import functools

import nh3
from markupsafe import Markup, escape

from ..cardmarkdown import MAX_CHARACTERS, MAX_NESTING, nesting, to_html
from ..urls import link_target

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}


def _web_links_only(element: str, attribute: str, value: str) -> str | None:
    return link_target(value) if attribute == "href" else value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_web_links_only,
    url_schemes={"http", "https"},
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
