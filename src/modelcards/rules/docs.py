"""Each problem code's entry (What / Why / Example / Fix) and the module that reports it.

The entries live in docs.md beside this module, shipped in the package so `modelcards rule`
works from an installed wheel; docs/rules.md is generated from it (scripts/rules_doc.py).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import ModuleType

from .. import cards, discovery, loading, parse, source
from ..codes import RULES
from . import governance, hints, history, lifecycle, placeholders, policy, references

# Every module that owns problem codes (its CODES); tests/unit/test_rule_owners.py checks that each
# code has exactly one owner and that no other module declares any.
OWNERS: tuple[ModuleType, ...] = (
    source,
    parse,
    cards,
    discovery,
    loading,
    references,
    lifecycle,
    policy,
    governance,
    hints,
    placeholders,
    history,
)
MARKER = "<!-- Generated from src/modelcards/rules/docs.md"
_HEADING = re.compile(r"^### (MC\d{3}) (.+)$", re.MULTILINE)
_GROUP = re.compile(r"^## ", re.MULTILINE)
_NEAR = 5  # how far apart two code numbers may be to be suggested


@dataclass(frozen=True)
class RuleEntry:
    code: str
    title: str
    text: str  # Markdown: What, Why, Example, Fix
    owner: str  # the module that reports it, such as "modelcards.rules.references"


def docs_text() -> str:
    """The Markdown of every entry, grouped by family, as the package ships it."""
    return files(__package__).joinpath("docs.md").read_text(encoding="utf-8")


@cache
def rule_entries() -> dict[str, RuleEntry]:
    """Every documented code's entry, in the order of docs.md."""
    text = docs_text()
    owners = {code: module.__name__ for module in OWNERS for code in module.CODES}
    headings = list(_HEADING.finditer(text))
    found: dict[str, RuleEntry] = {}
    for here, after in zip(headings, [*headings[1:], None], strict=True):
        body = text[here.end() : after.start() if after else len(text)]
        body = _GROUP.split(body, maxsplit=1)[0]  # the next family's heading and its preface
        code = here.group(1)
        found[code] = RuleEntry(code, here.group(2), body.strip(), owners.get(code, ""))
    return found


def close_codes(code: str, limit: int = 3) -> list[str]:
    """Codes near an unknown `code`, for its message: the nearest numbers (MC027: MC026,
    MC025, MC030), else the codes spelt most alike."""
    digits = re.search(r"\d+", code)
    if digits:
        number = int(digits.group())
        near = sorted((abs(int(known[2:]) - number), known) for known in RULES)
        found = [known for distance, known in near if distance <= _NEAR][:limit]
        if found:
            return found
    return difflib.get_close_matches(code.upper(), list(RULES), n=limit, cutoff=0.6)


def rules_page(current: str) -> str:
    """docs/rules.md made current: its preface, down to the marker's comment, as written,
    then every entry (scripts/rules_doc.py writes it; a test checks it)."""
    preface, _, rest = current.partition(MARKER)
    comment = MARKER + rest.split("-->", 1)[0] + "-->\n\n"
    return preface + comment + docs_text()


def entry_text(entry: RuleEntry) -> str:
    """One code's entry as `modelcards rule CODE` prints it."""
    severity = RULES[entry.code].severity.value
    return f"{entry.code} {entry.title}\n{severity}, reported by {entry.owner}\n\n{entry.text}\n"
