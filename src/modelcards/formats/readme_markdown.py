"""Reading a Hugging Face model card's README: its front matter, as huggingface_hub finds it,
and its Markdown body as a reader sees it (sections, title, first paragraph, plain text).

Nothing here decides what goes into a card; `importers` does. Markdown is read line by
line, the way the Hub's renderer groups it: fenced code, tables, lists, HTML blocks and
paragraphs, and headings (ATX `#`, indented up to three spaces) that open sections.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..source import Loc, SourceDocument, parse_source

_OPENING = re.compile(r"\s*---\n")
_EMPTY_FRONT_MATTER = re.compile(r"\s*---[ \t]*\n---[ \t]*(\n|$)")
PLACEHOLDER = "[More Information Needed]"
_HEADING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])\s+")
_HTML_START = re.compile(r"^\s*</?[a-zA-Z!]")
# Text the Hub's card templates put in every card: it says nothing about the model.
TEMPLATE_SENTENCES = (
    "more information needed",
    "users (both direct and downstream) should be made aware of the risks, biases and "
    "limitations of the model",
    "use the code below to get started with the model",
    "carbon emissions can be estimated using the",
    "this model card has been generated automatically",
    "you should probably proofread and complete it",
    "this section ",  # BLOOM's template, copied by many: "This section provides ..."
)


class ReadmeError(ValueError):
    """The README cannot be read: front matter that is never closed or is not YAML, or
    nothing in it at all."""


@dataclass(frozen=True)
class Readme:
    """A README's metadata, where each metadata value sits, and its Markdown body."""

    path: Path
    meta: dict[str, Any]
    body: str  # line endings normalised to \n
    document: SourceDocument  # the front matter, to locate values in it
    first_line: int  # the README line of the front matter's first YAML line

    def line_of(self, loc: Loc) -> int:
        """The README line of the front-matter value at `loc`."""
        return self.first_line + self.document.position(loc)[0] - 1


def read_readme(path: Path, text: str) -> Readme:
    """The README's front matter (parsed safely) and body, as huggingface_hub would split them."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    found = front_matter_span(text)
    if found is None:
        empty = _EMPTY_FRONT_MATTER.match(text)
        if empty is None and text.lstrip().startswith("---"):
            raise ReadmeError(f"{path}:1: the front matter opened by '---' is never closed")
        # No metadata, as huggingface_hub reads such a card: the body is all there is.
        return _without_metadata(path, text[empty.end() :] if empty else text)
    start, end, body = found
    first_line = text.count("\n", 0, start) + 1
    document, failure = parse_source(path, text[start:end] + "\n")
    if failure is not None:
        raise ReadmeError(
            f"{path}:{failure.line + first_line - 1}:{failure.column}: {failure.message}"
        )
    assert document is not None
    data = document.data
    if data is None or data == {}:
        return _without_metadata(path, text[body:])
    if not isinstance(data, dict):
        raise ReadmeError(f"{path}:{first_line}: the front matter must be a mapping of fields")
    return Readme(path, data, text[body:], document, first_line)


def _without_metadata(path: Path, body: str) -> Readme:
    if not body.strip():
        raise ReadmeError(f"{path} has neither metadata nor text; nothing to import")
    document, _ = parse_source(path, "{}\n")
    assert document is not None
    return Readme(path, {}, body, document, 1)


def front_matter_span(text: str) -> tuple[int, int, int] | None:
    """(start, end) of the YAML and where the body starts, as huggingface_hub's pattern
    (repocard.REGEX_YAML_BLOCK) finds them in text with \\n line endings: blank lines may come
    first, and the YAML ends at the first later line `---`. Found in one pass: the pattern
    itself backtracks, and takes time quadratic in a long run of line breaks."""
    opening = _OPENING.match(text)
    if opening is None:
        return None
    start = opening.end()  # past the opening's line breaks, all of them
    while start < len(text) and text[start] == "\n":
        start += 1
    search = start
    while (found := text.find("\n---", search)) >= 0:
        after = found + 4
        if after == len(text) or text[after] == "\n":
            end = found
            while end > start and text[end - 1] == "\n":
                end -= 1  # the closing line's breaks are the pattern's, not the YAML's
            return start, end, min(after + 1, len(text))
        search = found + 1
    # Failing that, the pattern gives back line breaks of the opening: with two or more, a
    # `---` line right after them closes an empty front matter.
    closes = text.startswith("---", start) and (start + 3 == len(text) or text[start + 3] == "\n")
    if closes and start - opening.end() >= 1:
        return start, start, min(start + 4, len(text))
    return None


# ---- blocks and sections ---------------------------------------------------------------------


@dataclass
class Block:
    """A run of lines that Markdown renders as one thing."""

    kind: str  # code, table, list, html, quote, paragraph
    lines: list[str]


@dataclass
class Section:
    """A heading and the lines up to the next heading of any level."""

    level: int
    heading: str  # the heading's text as written
    lines: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return plain_text(self.heading)


def without_comments(markdown: str) -> str:
    """The text without its HTML comments (`<!-- ... -->`), in one pass: an opening with no
    closing after it is left as it is, as is everything after it."""
    kept: list[str] = []
    start = 0
    while (opening := markdown.find("<!--", start)) >= 0:
        closing = markdown.find("-->", opening + 4)
        if closing < 0:
            break  # no comment closes after this point: none of the later openings either
        kept.append(markdown[start:opening])
        start = closing + 3
    kept.append(markdown[start:])
    return "".join(kept)


def heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line (`## Title ##`, indented up to three spaces),
    else None; linear in the line (a pattern for the closing hashes would backtrack)."""
    opening = _HEADING.match(line)
    if opening is None:
        return None
    text = line[opening.end() :].strip()
    unclosed = text.rstrip("#")
    if not unclosed or unclosed[-1] in " \t":  # a closing sequence follows a space
        text = unclosed.rstrip()
    return len(opening.group(1)), text


def _kind_of(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("|"):
        return "table"
    if _LIST_ITEM.match(line):
        return "list"
    if stripped.startswith(">"):
        return "quote"
    if _HTML_START.match(line):
        return "html"
    return "paragraph"


def blocks(lines: Iterable[str]) -> Iterator[Block]:
    """The blocks of some Markdown lines; a blank line ends a block, a fence runs to its end."""
    current: Block | None = None
    fence: str | None = None
    for line in lines:
        if fence is not None:
            assert current is not None
            current.lines.append(line)
            if line.strip().startswith(fence):
                fence = None
                yield current
                current = None
            continue
        opening = _FENCE.match(line)
        if opening:
            if current is not None:
                yield current
            fence, current = opening.group(1), Block("code", [line])
            continue
        if not line.strip():
            if current is not None:
                yield current
                current = None
            continue
        kind = _kind_of(line)
        if current is None:
            current = Block(kind, [line])
        elif current.kind == "paragraph" and kind in ("list", "table"):
            yield current  # a list right after a paragraph, with no blank line between
            current = Block(kind, [line])
        else:
            current.lines.append(line)
    if current is not None:
        yield current


def sections(body: str) -> tuple[list[str], list[Section]]:
    """(the lines before the first heading, the sections), HTML comments removed."""
    intro: list[str] = []
    found: list[Section] = []
    fence: str | None = None
    for line in without_comments(body).split("\n"):
        target = found[-1].lines if found else intro
        if fence is not None:
            target.append(line)
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            target.append(line)
            continue
        parsed = heading(line)
        if parsed is not None:
            found.append(Section(*parsed))
        else:
            target.append(line)
    return intro, found


def subtree(found: list[Section], index: int) -> list[Section]:
    """The section at `index` and the sections nested under it."""
    level = found[index].level
    end = next((i for i in range(index + 1, len(found)) if found[i].level <= level), len(found))
    return found[index:end]


def section_markdown(parts: Iterable[Section]) -> str:
    """Sections written back as Markdown: their headings and text, placeholders left out."""
    lines: list[str] = []
    for part in parts:
        lines += ["#" * part.level + " " + part.heading, ""]
        lines += [line for line in part.lines if not is_template_text(line)]
        lines.append("")
    return tidy_markdown("\n".join(lines))


def tidy_markdown(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, no blank lines at the ends."""
    text = re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# ---- plain text -------------------------------------------------------------------------------

# Each pattern runs in time linear in the text: a bracket class excludes its own opening
# character, and emphasis spans are bounded, so no unclosed run makes a pattern rescan.
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_TAG = re.compile(r"</?[a-zA-Z!][^<>]*>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,300}?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)([^\n*_]{1,300}?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"`+([^`]*)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_LEADING = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|(?:[-*+]|\d{1,9}[.)])\s+)+")


def plain_text(markdown: str) -> str:
    """What a reader reads of some Markdown: no images, link targets, tags or emphasis marks."""
    text = _IMAGE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    text = " ".join(html.unescape(text).split())
    return _LEADING.sub("", text).strip()


def is_template_text(text: str) -> bool:
    """A placeholder or a sentence of the Hub's card template."""
    lowered = plain_text(text).lower()
    return PLACEHOLDER.lower() in text.lower() or any(
        lowered.startswith(sentence) for sentence in TEMPLATE_SENTENCES
    )


def list_items(block: Block) -> list[str]:
    """The top-level items of a list block, each with its continuation and nested lines."""
    items: list[list[str]] = []
    indent: int | None = None
    for line in block.lines:
        marker = _LIST_ITEM.match(line)
        if marker and (indent is None or len(marker.group(1)) <= indent):
            indent = len(marker.group(1)) if indent is None else indent
            items.append([line[marker.end() :]])
        elif items:
            items[-1].append(line)
    return [" ".join(part.strip() for part in item) for item in items]


def is_prose(text: str) -> bool:
    """Plain text with words in it, not a bare link, number or placeholder."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    return len(words) >= 2 and not re.fullmatch(r"\S*://\S*", text) and not is_template_text(text)


def prose_items(lines: Iterable[str]) -> list[str]:
    """The readable items of some Markdown: each list item and each paragraph, as plain text;
    code, tables, images and HTML-only blocks are left out (they stay in the description)."""
    found: list[str] = []
    for block in blocks(lines):
        if block.kind in ("code", "table"):
            continue
        texts = list_items(block) if block.kind == "list" else [" ".join(block.lines)]
        found += [t for t in (plain_text(text) for text in texts) if is_prose(t)]
    return found


# A link's text may hold one level of brackets (`[[English]](#english)`), bounded so that a
# run of `[a][b]...` is not rescanned from each bracket.
_ANCHOR = re.compile(
    r"<a\b[^<>]*>[^<]{0,500}</a>|\[(?:[^\[\]]|\[[^\[\]]{0,200}\]){0,500}\]\([^()]*\)",
    re.IGNORECASE,
)
_WIDGET = re.compile(r"<(summary|button)\b[^<>]*>[^<]{0,500}</\1>", re.IGNORECASE)


def is_link_row(markdown: str) -> bool:
    """Links and separators only, like a row of badges or a "Homepage | Discord" menu."""
    return not is_prose(plain_text(_ANCHOR.sub(" ", markdown)))


def without_elements(markdown: str, names: tuple[str, ...] = ("style", "script")) -> str:
    """The text without the content of its `<style>` and `<script>` elements (CSS and code,
    not text), in one pass; an element that is never closed runs to the end."""
    lowered = markdown.lower()
    kept: list[str] = []
    start = 0
    while True:
        openings = [
            (found, name) for name in names if (found := lowered.find(f"<{name}", start)) >= 0
        ]
        if not openings:
            break
        opening, name = min(openings)
        kept.append(markdown[start:opening])
        closing = lowered.find(f"</{name}", opening)
        end = lowered.find(">", closing) if closing >= 0 else -1
        if end < 0:
            return "".join(kept)
        start = end + 1
    kept.append(markdown[start:])
    return "".join(kept)


def _unmarked(text: str) -> str:
    """Without the emphasis marks left at either end by a span too long to pair."""
    return text.strip("*_ ").strip()


# A field of a card's fact sheet (`**Developed by:** BigScience`): its value describes the
# model only when the label says so (`**Model Description:** This model ...`).
_FIELD = re.compile(
    r"^\s*(?:\*\*|__)([^*_]{1,60}?)(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(.*)$", re.DOTALL
)
_DESCRIBING_LABELS = {
    "model description",
    "description",
    "model summary",
    "summary",
    "overview",
    "about",
}


def _summary_text(markdown: str) -> str | None:
    """The plain text of a paragraph or list item that can summarise the model: a sentence of
    at least three words, not a row of links, nor a field of a fact sheet."""
    field_ = _FIELD.match(markdown)
    if field_ is not None:
        if " ".join(field_.group(1).lower().split()) not in _DESCRIBING_LABELS:
            return None
        markdown = field_.group(2)
    text = _unmarked(plain_text(markdown))
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 3 or not is_prose(text) or is_link_row(markdown):
        return None
    if " ".join(words).lower() in ("table of contents", "list of contents"):
        return None  # a heading written as a paragraph
    return text


def first_paragraph(lines: Iterable[str]) -> str | None:
    """The first paragraph of prose (else the first list item of prose), as plain text: not a
    heading, code, a table, an image, a row of links, a widget's label, a style sheet, a line
    of a fact sheet or a few words ("Version 1.0 / 25.May.2022")."""
    fallback: str | None = None
    for block in blocks(without_elements("\n".join(lines)).split("\n")):
        if block.kind in ("code", "table"):
            continue
        if block.kind == "list":
            fallback = fallback or next(
                (text for text in map(_summary_text, list_items(block)) if text), None
            )
            continue
        text = _summary_text(_WIDGET.sub(" ", " ".join(block.lines)))
        if text:
            return text
    return fallback
