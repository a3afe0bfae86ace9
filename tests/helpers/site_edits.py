"""The edits the incremental-build tests make to the BASE catalog, each with the number of
files an incremental build must render at most after it."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

from modelcards.site.render import DEFAULT_THEME

from .catalogs import BASE_SITE_FILES, SMALL, V2, M

# A version of fraud that BASE does not have.
V3 = "models/fraud/2.1.0.yaml"
NEW_VERSION = """\
    version: "2.1.0"
    released: 2026-03-01
    summary: A candidate.
    lineage:
      - {model: fraud@2.0.0, relation: retrained}
    lifecycle:
      - {stage: development, date: 2026-03-01, by: alice}
    """


def remove(name: str) -> Callable[[Path], None]:
    return lambda root: (root / name).unlink()


def write(name: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))

    return apply


def from_base(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / name
        text = path.read_text()
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new))

    return apply


def delete_small_model(root: Path) -> None:
    shutil.rmtree(root / "models/small")


def override_template(root: Path) -> None:
    theme = root.parent / "theme"
    theme.mkdir(exist_ok=True)
    text = (DEFAULT_THEME / "base.html").read_text()
    (theme / "base.html").write_text(text.replace("</footer>", "<p>Themed.</p></footer>", 1))


# Each edit with the number of files an incremental build must render at most: fewer than
# all of them proves pages were kept, and the comparison with a cold build proves that
# keeping them was right.
EDITS: dict[str, tuple[Callable[[Path], None], int]] = {
    "change a version": (
        from_base(V2, "summary: Retrained on Q4 data.", "summary: Retrained on fresh data."),
        20,
    ),
    "add a version": (write(V3, NEW_VERSION), BASE_SITE_FILES + 3),
    "delete a version": (remove(SMALL), 18),
    "delete a model": (delete_small_model, 15),
    "change a model": (from_base(M, "name: Fraud detector", "name: Fraud scorer"), BASE_SITE_FILES),
    "change a dataset": (
        from_base(
            "datasets/tx.yaml", "Card transactions with labels.", "Card transactions, labelled."
        ),
        18,
    ),
    "change lineage across models": (
        from_base(SMALL, "model: fraud@2.0.0", "model: fraud@1.0.0"),
        22,
    ),
    "change training data": (from_base(V2, "data: [tx@2025-Q4]", "data: [tx@2025-Q3]"), 20),
    "change a metric value": (
        from_base(V2, "value: 0.91, dataset: tx@2025-Q3", "value: 0.915, dataset: tx@2025-Q3"),
        21,
    ),
    "move a model to another task": (
        from_base(
            "models/small/model.yaml", "task: tabular-classification", "task: edge-classification"
        ),
        18,
    ),
    "change a comment only": (from_base(V2, 'version: "2.0.0"', '# a note\nversion: "2.0.0"'), 20),
    "change a template": (override_template, BASE_SITE_FILES - 1),
    "change catalog.yaml": (
        from_base("catalog.yaml", "title: Test catalog", "title: Renamed catalog"),
        BASE_SITE_FILES - 1,
    ),
}
