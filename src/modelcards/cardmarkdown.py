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

import functools
import re

import cmarkgfm
from cmarkgfm.cmark import Options

from .urls import link_target

MAX_CHARACTERS = 50_000
MAX_NESTING = 32
# Raw HTML is kept: the site sanitises it against an allow-list (site/markup.py).
_OPTIONS = Options.CMARK_OPT_UNSAFE
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
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
    return (
        f"is {len(text):,} characters long; a Markdown field holds at most "
        f"{MAX_CHARACTERS:,}: shorten it, or link to a longer document"
    )


def too_deep(text: str) -> str | None:
    """Why `text` nests too deep to render, if it does."""
    depth = nesting(to_html(text))
    if depth <= MAX_NESTING:
        return None
    return (
        f"nests more than {MAX_NESTING} levels deep once rendered (lists, quotes, "
        "emphasis or HTML elements inside one another, or HTML elements left open); "
        "flatten it"
    )


# ---- card text written into another Markdown document (the Hugging Face README) -----------
#
# Markdown from a card is copied into the README as Markdown, made inert: every `<` outside
# code is escaped (so no raw HTML, no autolink but the bare web addresses GitHub-flavoured
# Markdown links itself), and every link, image or link definition whose destination is not
# a web address or a path relative to the page (urls.link_target) loses its link
# syntax. A backslash before ASCII punctuation renders as the punctuation alone, so escaping
# changes nothing a reader sees but in code, which is copied as it is: fenced code blocks,
# and code spans within a line. Plain text from a card (names, reasons, table cells) is
# escaped whole.

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
# Bounded patterns: each is tried at many places of a line, and must not scan all of it
# every time (a link label has at most 999 characters; a longer destination is judged by its
# first 512, which hold its scheme and host).
_DEFINITION = re.compile(r"\[[^\]]{0,999}\]:[ \t]*(<[^>\n]{0,512}>?|\S{0,512})")
# Where a line's text starts, after the markers of the quotes and list items it is in: a
# link definition can only start there.
_CONTAINERS = re.compile(r"(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*")
_DESTINATION = re.compile(
    r"[ \t]*(?:<([^>\n]{0,512})|([^\s()]{0,512}(?:\([^\s()]{0,512}\)"
    r"[^\s()]{0,512}){0,4}))"
)
_ESCAPED = "\\`*_{}[]()#+-.!|<>&~"
# Markdown's punctuation, and an `&` only where it would start an entity (`&lt;`, `&#60;`).
_LITERAL = re.compile(r"[\\`*_\[\]<>|~]|&(?=#?[A-Za-z0-9]+;)")


@functools.lru_cache(maxsize=4096)
def inert(text: str) -> str:
    """Markdown that renders as `text` does, with no raw HTML and no link to anything but a
    web address or a relative path. (Memoised: a model's texts recur in each version's
    README.)"""
    kept: list[str] = []
    fence: str | None = None  # the opening of the fenced code block we are in
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            kept.append(line)
            if opening and opening.group(1).startswith(fence) and not opening.group(2).strip():
                fence = None
            continue
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            kept.append(line)
            continue
        kept.append(_inert_line(line))
    return "\n".join(kept)


def _inert_line(line: str) -> str:
    if _ACTIVE.isdisjoint(line):
        return line  # nothing that could start HTML, a link or a definition: as it is
    spans = _code_spans(line)
    starts = _CONTAINERS.match(line)
    text_start = starts.end() if starts else 0
    out: list[str] = []
    index = 0
    while index < len(line):
        character = line[index]
        if index in spans:
            end = spans[index]
            out.append(line[index:end])
            index = end
            continue
        if character == "\\" and index + 1 < len(line) and line[index + 1] in _ESCAPED:
            out.append(line[index : index + 2])
            index += 2
            continue
        if character == "<":
            out.append("\\<")
        elif (
            character == "["
            and index == text_start
            and (found := _DEFINITION.match(line, index))
            and (link_target(found.group(1).strip("<>")) is None)
        ):
            out.append("\\[")  # a link definition to something else than a web address
        elif (
            character == "]"
            and line.startswith("(", index + 1)
            and (link_target(_destination(line, index + 2)) is None)
        ):
            out.append("]\\(")  # a link or image to something else than a web address
            index += 1
        else:
            out.append(character)
        index += 1
    return "".join(out)


_ACTIVE = frozenset("<[]")  # what _inert_line may change; escapes and code spans only skip


def _destination(line: str, start: int) -> str:
    """The destination of an inline link whose `(` is just before `start` (as written)."""
    found = _DESTINATION.match(line, start)
    if found is None:
        return ""
    return found.group(1) if found.group(1) is not None else found.group(2)


def _code_spans(line: str) -> dict[int, int]:
    """{start: end} of the code spans of one line, as CommonMark finds them: from a run of
    backticks (not escaped) to the next run of the same length. A span with a `|` in it
    counts as text: in a table row a pipe ends a cell, code or not, and taking code for text
    only leaves a backslash visible in it, never markup active."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", line)]
    later: list[int | None] = [None] * len(runs)  # the next run of the same length
    seen: dict[int, int] = {}
    for number in range(len(runs) - 1, -1, -1):
        start, end = runs[number]
        later[number] = seen.get(end - start)
        seen[end - start] = number
    pipes = [0]
    for character in line:
        pipes.append(pipes[-1] + (character == "|"))
    spans: dict[int, int] = {}
    number, after = 0, 0  # `after`: where the text after the last span starts
    while number < len(runs):
        start, end = runs[number]
        first = start
        while first > after and line[first - 1] == "\\":
            first -= 1
        backslashes = start - first
        if backslashes % 2:  # an escaped backtick: the rest of the run may still open one
            runs[number] = (start + 1, end)
            if start + 1 < end:
                continue
            number += 1
            continue
        closing = later[number]
        if closing is not None and runs[closing][1] - runs[closing][0] != end - start:
            closing = None  # the run found was shortened by an escape: not the same length
        if closing is not None and pipes[runs[closing][1]] == pipes[start]:
            spans[start] = after = runs[closing][1]
            number = closing + 1
        else:
            number += 1
    return spans


def literal(text: str) -> str:
    """Plain text as Markdown that shows it as it is, on one line: nothing in it is markup."""
    one_line = " ".join(text.split())
    escaped = _LITERAL.sub(lambda m: "\\" + m.group(), one_line)
    return "\\" + escaped if escaped[:1] in ("#", "+", "-", "=") else escaped


def code(text: str) -> str:
    """Any text as an inline code span: delimited by more backticks than it holds."""
    one_line = " ".join(text.split())
    longest = max((len(m.group()) for m in re.finditer(r"`+", one_line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if one_line[:1] in ("`", " ") or one_line[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def table_cell(markdown: object) -> str:
    """One Markdown table cell: Markdown already (literal text, code spans), on one line, its
    pipes escaped (within a code span too, as GitHub-flavoured tables need). Escaping a cell
    twice changes nothing."""
    return " ".join(str(markdown).split()).replace("\\|", "|").replace("|", "\\|")


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table; each cell made one (`table_cell`)."""
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(table_cell(v) for v in row) + " |" for row in rows]
    return lines
