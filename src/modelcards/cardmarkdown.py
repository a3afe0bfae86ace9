"""Markdown in cards: how it renders, and the limits that bound what rendering it costs.

Card text comes from pull requests, so no description may make a build slow or crash it.
Markdown is rendered by cmark-gfm (GitHub's CommonMark implementation, in C): it renders
GitHub-flavoured Markdown as GitHub and the Hugging Face Hub show it, in time linear in the
text, and without recursion, however deep the text nests. (Python-Markdown, used before, took
seconds on a few thousand `[` or unclosed `<a`, and raised RecursionError on 800 nested list
markers.) The HTML sanitiser that follows (site/markup.py) costs more the deeper elements
nest, and raw HTML mis-nested on purpose can make it build pages of hundreds of megabytes.
So each Markdown field has two limits, checked when a card is validated (MC080, MC081): its
length, and how deep its elements nest once rendered. Text within both renders in a few
milliseconds; text beyond either never reaches a page.
"""

from __future__ import annotations

import re

import cmarkgfm
from cmarkgfm.cmark import Options

MAX_CHARACTERS = 50_000
MAX_NESTING = 32
# Raw HTML is kept: the site sanitises it against an allow-list (site/markup.py).
_OPTIONS = Options.CMARK_OPT_UNSAFE
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def to_html(text: str) -> str:
    """GitHub-flavoured Markdown as HTML, raw HTML included (not yet sanitised)."""
    html: str = cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    return html


def nesting(html: str, limit: int = MAX_NESTING) -> int:
    """How deep the elements of `html` nest (counting stops just past `limit`).

    Counted so that it is never less than what an HTML parser builds: every start tag opens
    an element (whatever follows it, even `/>`), and an end tag closes one only when it is
    the element opened last. Mis-nested or unclosed raw HTML therefore counts as deeper
    than a browser may make it, never as shallower.
    """
    open_elements: list[str] = []
    deepest = 0
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        if match.group(1):
            if open_elements and open_elements[-1] == name:
                open_elements.pop()
        elif name not in _VOID:
            open_elements.append(name)
            deepest = max(deepest, len(open_elements))
            if deepest > limit:
                break
    return deepest


def too_long(text: str) -> str | None:
    """Why `text` is too long for a Markdown field, if it is."""
    if len(text) <= MAX_CHARACTERS:
        return None
    return (f"is {len(text):,} characters long; a Markdown field holds at most "
            f"{MAX_CHARACTERS:,}: shorten it, or link to a longer document")


def too_deep(text: str) -> str | None:
    """Why `text` nests too deep to render, if it does."""
    depth = nesting(to_html(text))
    if depth <= MAX_NESTING:
        return None
    return (f"nests more than {MAX_NESTING} levels deep once rendered (lists, quotes, "
            "emphasis or HTML elements inside one another, or HTML elements left open); "
            "flatten it")
