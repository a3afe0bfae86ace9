"""Markdown from cards, rendered and then sanitised: nothing a card says can run in a page.

Card text is untrusted (anyone can open a pull request). It is rendered with `markdown`
and cleaned with nh3 (the ammonia sanitiser) against an allow-list: no script, no event
handler, no style, and only http(s), mailto and relative links. Every other field reaches
the page through Jinja2's autoescaping.
"""

from __future__ import annotations

import functools
import threading

import markdown
import nh3
from markupsafe import Markup

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
EXTENSIONS = ["tables", "fenced_code", "sane_lists"]

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener",
    strip_comments=True,
)


def sanitise(html: str) -> str:
    return _CLEANER.clean(html)


class _Converter(threading.local):
    """One Markdown converter per thread, reset between texts: building a converter
    (extensions, processors, patterns) cost a third of rendering each text."""

    def __init__(self) -> None:
        self.markdown = markdown.Markdown(extensions=EXTENSIONS, output_format="html")


_CONVERTER = _Converter()


def markdown_html(text: str) -> str:
    """markdown.markdown(text) with our extensions, without building a converter each time."""
    return _CONVERTER.markdown.reset().convert(text)


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a Markdown field (empty for None); the same text renders the same."""
    if not text:
        return Markup("")
    return Markup(sanitise(markdown_html(text)))
