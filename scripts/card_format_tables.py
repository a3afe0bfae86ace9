"""Regenerate the field tables of docs/card-format.md from the card schemas.

python scripts/card_format_tables.py          # rewrite the tables in place
python scripts/card_format_tables.py --check  # exit 1 if they are out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from modelcards.schema import fill_field_tables

DOC = Path(__file__).resolve().parent.parent / "docs" / "card-format.md"


def main() -> int:
    current = DOC.read_text(encoding="utf-8")
    fresh = fill_field_tables(current)
    if "--check" in sys.argv:
        if fresh != current:
            print(f"{DOC} is out of date: run python scripts/card_format_tables.py")
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
