"""Text helpers: fenced blocks of Markdown documents, long Markdown made of a pattern."""

from __future__ import annotations

import re

from modelcards.cardmarkdown import MAX_CHARACTERS


def fenced_after(text: str, marker: str) -> str:
    """The first fenced block after `marker` in a Markdown document."""
    start = text.index(marker)
    match = re.search(r"^(`{3,})[a-z]*\n(.*?)^\1$", text[start:], flags=re.MULTILINE | re.DOTALL)
    assert match is not None, f"no fenced block after {marker!r}"
    return match.group(2)


def repeated(pattern: str, length: int = MAX_CHARACTERS) -> str:
    """`pattern` over and over (its `{i}` counting up), as long as fits in `length`."""
    pieces: list[str] = []
    size = count = 0
    while True:
        piece = pattern.replace("{i}", str(count))
        if size + len(piece) > length:
            return "".join(pieces)
        pieces.append(piece)
        size += len(piece)
        count += 1
