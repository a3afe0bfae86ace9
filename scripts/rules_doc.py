"""Regenerate docs/rules.md's entries from src/modelcards/rules/docs.md (the source of truth,
shipped in the package for `modelcards rule`). The page's own preface, above the marker, is
kept as written.

    python scripts/rules_doc.py
"""

from __future__ import annotations

from pathlib import Path

from modelcards.rules.docs import rules_page

PAGE = Path(__file__).resolve().parent.parent / "docs" / "rules.md"

if __name__ == "__main__":
    PAGE.write_text(rules_page(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
