"""Files written whole or not at all, and only where they belong (writing.py): the one home
of every writer modelcards has (cards, imports, `init`, exports, schemas, caches)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelcards.writing import (
    UnsafeOutput,
    check_inside,
    check_output,
    write_all_or_nothing,
    write_atomically,
)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_write_replaces_the_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    card = tmp_path / "1.0.0.yaml"
    card.write_text("old\n")
    card.chmod(0o640)
    write_atomically(card, "new\r\nline\n")
    assert card.read_bytes() == b"new\r\nline\n"  # newlines as given
    assert card.stat().st_mode & 0o777 == 0o640
    write_atomically(card, b"\x00bytes")
    assert card.read_bytes() == b"\x00bytes"
    assert _files(tmp_path) == ["1.0.0.yaml"]  # nothing left beside it


def test_a_new_file_gets_the_mode_a_plain_write_gives(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.yaml", "x\n")
    finally:
        os.umask(mask)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = tmp_path / "model.yaml"
    card.write_text("old\n")

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_atomically(card, "new\n")
    assert card.read_text() == "old\n"
    assert _files(tmp_path) == ["model.yaml"]


def test_several_files_are_written_all_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a" / "1.0.0.yaml", tmp_path / "b.yaml"
    second.write_text("old b\n")
    write_all_or_nothing([(first, "a\n"), (second, "b\n")])  # the new folder is made
    assert (first.read_text(), second.read_text()) == ("a\n", "b\n")
    calls = []
    real = os.replace

    def second_fails(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(OSError):
        write_all_or_nothing([(first, "a2\n"), (second, "b2\n")])
    monkeypatch.undo()
    assert (first.read_text(), second.read_text()) == ("a\n", "b\n")  # the first put back
    assert _files(tmp_path) == ["a", "b.yaml"] and _files(tmp_path / "a") == ["1.0.0.yaml"]


def test_writes_stay_inside_the_catalog_and_outputs_outside_it(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    (catalog / "models").mkdir(parents=True)
    check_inside(catalog, [catalog / "models" / "x" / "model.yaml"])
    with pytest.raises(ValueError, match=r"refusing to write .*outside the catalog folder"):
        check_inside(catalog, [catalog / "models" / ".." / ".." / "elsewhere.yaml"], ValueError)
    (catalog / "models" / "out").symlink_to(tmp_path)
    with pytest.raises(UnsafeOutput):
        check_inside(catalog, [catalog / "models" / "out" / "card.yaml"])
    check_output(tmp_path / "bom.json", catalog)
    with pytest.raises(UnsafeOutput, match="inside the catalog folder"):
        check_output(catalog / "bom.json", catalog)
