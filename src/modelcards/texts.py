"""Card text on its way to people and machines: lists capped, invisible characters caught.

Card text comes from pull requests. Three things keep it from misleading its readers:

- A list in a message shows its first items and says how many more there are, so the size
  of a report grows with the number of problems, never with their product (a missing
  reference once listed all 20,000 versions of its model, for each of 15,000 references).
- Names, identifiers and URIs may not hold control characters (a newline in an artifact
  URI added a line to `get --field uri`), nor characters that change how the text around
  them reads without being seen: bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE shows
  `evil‮txt.exe` as `evilexe.txt`), zero-width characters (`car\u200dol` looks like
  `carol`). The card format refuses them there (`VISIBLE`, MC019).
- Anywhere else (descriptions, reasons, summaries) such characters are allowed, and shown:
  in a terminal and in one-line reports as escapes (`\\x1b`, `\\u202e`); in HTML, in the
  PR summary and in feeds the controls that would act on the text around them are shown
  as visible escapes too, and XML gets only what XML 1.0 allows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from itertools import islice

LIST_LIMIT = 10

# What names, identifiers and URIs may not hold (for pydantic's Rust regex, which knows
# Unicode categories): controls (Cc), format characters (Cf: bidirectional controls,
# zero-width characters, the BOM), line and paragraph separators, private-use code points.
# (Lone surrogates, Cs, cannot reach it: pydantic refuses them as text.)
INVISIBLE_CLASS = r"\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}"
VISIBLE = rf"^[^{INVISIBLE_CLASS}]*$"
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
# Bidirectional embeddings, overrides and isolates: they reorder the text that follows.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# In free text shown on a page, a PR summary or a feed: controls but tab and line breaks,
# the bidirectional controls and the line and paragraph separators.
_ACTING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI + "\u2028\u2029]")
# What XML 1.0 does not allow at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def capped(items: Iterable[object], limit: int = LIST_LIMIT, separator: str = ", ") -> str:
    """The first `limit` items joined, then how many more there are:
    `1.0.0, 1.1.0, … and 19,990 more`.

    A collection is counted, not walked: one message per missing reference, each listing a
    model's 20,000 versions, would otherwise cost time in their product."""
    if isinstance(items, Collection):
        shown = [str(item) for item in islice(items, limit)]
        more = len(items) - len(shown)
    else:
        shown = []
        more = 0
        for item in items:
            if len(shown) < limit:
                shown.append(str(item))
            else:
                more += 1
    if more:
        shown.append(f"… and {more:,} more")
    return separator.join(shown)


def first_invisible(text: str) -> str | None:
    """The first character of `text` that names, identifiers and URIs may not hold."""
    for character in text:
        if unicodedata.category(character) in _INVISIBLE_CATEGORIES:
            return character
    return None


def without_invisible(text: str) -> str:
    """`text` without the characters names, identifiers and URIs may not hold (the joiner
    inside an emoji sequence, a stray BOM)."""
    return "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE_CATEGORIES)


_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE"}


def describe_character(character: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`; `U+001B ESCAPE`; `U+0007 (a control character)`."""
    name = (
        unicodedata.name(character, "") or _CONTROL_NAMES.get(character) or "(a control character)"
    )
    return f"U+{ord(character):04X} {name}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_SPECIAL = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def one_line(text: str) -> str:
    """Text for a terminal or a one-line report: every control, bidirectional or zero-width
    character shown as an escape (`\\n`, `\\x1b`, `\\u202e`), so card text can neither split
    a report line, nor send escape sequences to a terminal, nor reorder what follows it."""
    return _ONE_LINE.sub(lambda m: _SPECIAL.get(m.group()) or _escape(m), text)


def lines_for_terminal(text: str) -> str:
    """`one_line` for each line of a message that may span lines."""
    return "\n".join(one_line(line) for line in text.split("\n"))


def shown(text: str) -> str:
    """Free text for a page, a PR summary or a feed: line breaks and tabs stay; controls
    that would act on the text around them are shown as escapes."""
    return _ACTING.sub(_escape, text)


# In JSON text these can only stand inside strings, where a \u escape is the same value.
_JSON_ACTING = re.compile("[\x7f-\x9f" + _BIDI + "\u2028\u2029]")


def json_text(text: str) -> str:
    """JSON text (from an encoder that writes non-ASCII as it is) with C1 controls,
    bidirectional controls and line and paragraph separators written as `\\u` escapes: it
    parses to the same values, and shown in a terminal or an editor it neither acts on it
    nor reorders the text around them."""
    if text.isascii() and "\x7f" not in text:  # none of them: spares a scan of catalog.json
        return text
    return _JSON_ACTING.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def xml_text(text: str) -> str:
    """`shown(text)`, and nothing XML 1.0 forbids (a feed with one is ill-formed for every
    subscriber)."""
    return _NOT_XML.sub("\ufffd", shown(text))


def counted(count: int, word: str) -> str:
    """`1 model`, `2 models`: a count and an English noun that takes an -s."""
    return f"{count} {word}{'s' * (count != 1)}"
