"""Regenerate the example outputs in docs/interop.md (a Hub README and a CycloneDX BOM of
callcenter-asr@2.0.1 from the example catalog). The BOM names the modelcards version, so a
release regenerates them (scripts/release.py does).

python scripts/interop_examples.py          # rewrite the examples in place
python scripts/interop_examples.py --check  # exit 1 if they are out of date
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from generated_docs import update  # the sibling module: scripts run from this folder

from modelcards.formats import render_hf_readme
from modelcards.formats.cyclonedx import bom_json_text, bom_timestamp, render_cyclonedx_bom
from modelcards.validate import validate_catalog

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "interop.md"
EXAMPLE = "callcenter-asr@2.0.1"


# The day the doc's commands name (`--today 2026-11-26`): the examples do not change with
# the day they are generated on.
TODAY = dt.date(2026, 11, 26)


def examples() -> dict[str, str]:
    catalog = validate_catalog(REPO / "catalog", TODAY).catalog
    version = catalog.versions[EXAMPLE]
    stamp = bom_timestamp(TODAY)
    return {
        "hf": render_hf_readme(catalog, version),
        "cyclonedx": bom_json_text(render_cyclonedx_bom(catalog, [version], timestamp=stamp)),
    }


def fill(document: str) -> str:
    for name, text in examples().items():
        marker = f"<!-- example: {name} -->"
        start = document.index(marker)
        block = re.compile(r"^(`{3,})([a-z]*)\n(.*?)^\1$", flags=re.MULTILINE | re.DOTALL)
        found = block.search(document, start)
        assert found is not None, f"no fenced block after {marker}"
        fence, language = found.group(1), found.group(2)
        document = (
            document[: found.start()]
            + f"{fence}{language}\n{text}{fence}"
            + document[found.end() :]
        )
    return document


def main() -> int:
    return update(DOC, fill, "interop_examples.py")


if __name__ == "__main__":
    sys.exit(main())
