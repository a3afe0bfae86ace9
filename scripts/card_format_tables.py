"""Regenerate the field tables of docs/card-format.md from the card schemas.

python scripts/card_format_tables.py          # rewrite the tables in place
python scripts/card_format_tables.py --check  # exit 1 if they are out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from generated_docs import update  # the sibling module: scripts run from this folder

from modelcards.schema import fill_field_tables

DOC = Path(__file__).resolve().parent.parent / "docs" / "card-format.md"


def main() -> int:
    return update(DOC, fill_field_tables, "card_format_tables.py")


if __name__ == "__main__":
    sys.exit(main())
