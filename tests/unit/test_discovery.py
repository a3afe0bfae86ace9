"""Finding the files of a catalog: odd entries are reported, never crash or hang."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from modelcards.validate import validate_catalog

from ..helpers.catalogs import CatalogMaker

TODAY = dt.date(2026, 11, 26)


def report(root: Path) -> list[tuple[str, str, str]]:
    result = validate_catalog(root, TODAY)
    return [(p.code, p.file.relative_to(root).as_posix(), p.message) for p in result.problems]


def test_symbolic_link_loops_and_broken_links(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    os.symlink("loop.yaml", root / "models" / "fraud" / "loop.yaml")
    os.symlink("nowhere", root / "models" / "broken")
    message = "is a broken or looping symbolic link; point it at a file in the catalog or remove it"
    assert report(root) == [
        ("MC017", "models/broken", f"'broken' {message}"),
        ("MC017", "models/fraud/loop.yaml", f"'loop.yaml' {message}"),
    ]


def test_links_leading_outside_the_catalog(make_catalog: CatalogMaker, tmp_path: Path) -> None:
    root = make_catalog()
    outside = tmp_path / "secret.yaml"
    outside.write_text("name: x\n")
    os.symlink(outside, root / "datasets" / "secret.yaml")
    assert report(root) == [
        (
            "MC009",
            "datasets/secret.yaml",
            "'secret.yaml' does not belong here; it links outside the catalog folder",
        ),
    ]


def test_links_inside_the_catalog_are_followed(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    (root / "shared").mkdir()
    card = root / "datasets" / "tx.yaml"
    card.rename(root / "shared" / "tx.yaml")
    os.symlink("../shared/tx.yaml", card)
    codes = [code for code, _, _ in report(root)]
    assert codes == ["MC009"]  # the shared/ folder itself; the link resolves fine


def test_entries_named_like_cards_that_are_not_files(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    os.mkfifo(root / "datasets" / "fifo.yaml")  # reading it would block forever
    (root / "models" / "fraud" / "9.9.9.yaml").mkdir()
    assert report(root) == [
        ("MC017", "datasets/fifo.yaml", "'fifo.yaml' is not a regular file; a card is a YAML file"),
        (
            "MC017",
            "models/fraud/9.9.9.yaml",
            "'9.9.9.yaml' is not a regular file; a card is a YAML file",
        ),
    ]


def test_catalog_yaml_as_a_folder_and_models_as_a_file(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    (root / "catalog.yaml").mkdir(parents=True)
    (root / "models").write_text("")
    assert report(root) == [
        ("MC017", "catalog.yaml", "'catalog.yaml' is not a regular file; a card is a YAML file"),
        ("MC009", "models", "'models' does not belong here; models must be a folder"),
    ]
