"""One version in the package and the changelog, the newest release in the pins the docs show;
and the release script that moves them (docs/development.md, "Releasing")."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards import __version__
from modelcards.cli import cli

from ..helpers.catalogs import REPO

PINNED_DOCS = ["README.md", "docs/setup.md", "docs/workflow.md"]
PIN = re.compile(r"modelcards-catalog==(\d[\w.]*)|modelcards@v(\d[\w.]*)|rev: v(\d[\w.]*)")


def pins(text: str) -> set[str]:
    return {next(group for group in match.groups() if group) for match in PIN.finditer(text)}


def test_the_changelog_opens_with_this_version() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\S+) \((unreleased|\d{4}-\d{2}-\d{2})\)$", changelog, re.MULTILINE)
    assert newest is not None and newest.group(1) == __version__


def newest_release(changelog: str) -> str:
    found = re.search(r"^## (\S+) \(\d{4}-\d{2}-\d{2}\)$", changelog, re.MULTILINE)
    assert found is not None, "no released version in CHANGELOG.md"
    return found.group(1)


def test_the_docs_pin_the_newest_release() -> None:
    # One a reader can install: while the next version is prepared it is not on the index.
    released = newest_release((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))
    for doc in PINNED_DOCS:
        assert pins((REPO / doc).read_text(encoding="utf-8")) <= {released}, doc
    assert pins((REPO / "docs" / "setup.md").read_text(encoding="utf-8")) == {released}


def test_setup_doc_shows_what_init_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "--title", "Acme models"])
    assert result.exit_code == 0
    printed = result.output[result.output.index("Next steps") :]
    setup = (REPO / "docs" / "setup.md").read_text(encoding="utf-8")
    assert f"```\n{printed}```\n" in setup


def release_copy(tmp_path: Path) -> Path:
    """The files the release script edits, in a copy of the repository's layout."""
    copy = tmp_path / "repo"
    for name in ("scripts", "docs", "catalog"):
        shutil.copytree(REPO / name, copy / name)
    for name in ("CHANGELOG.md", "README.md", "src/modelcards/__init__.py"):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, copy / name)
    # The steps are tested from "being prepared", whether or not this version is released yet.
    changelog = copy / "CHANGELOG.md"
    changelog.write_text(
        re.sub(
            rf"^## {re.escape(__version__)} \(\d{{4}}-\d{{2}}-\d{{2}}\)$",
            f"## {__version__} (unreleased)",
            changelog.read_text(encoding="utf-8"),
            count=1,
            flags=re.MULTILINE,
        ),
        encoding="utf-8",
    )
    return copy


def release(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(copy / "scripts" / "release.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_finish_dates_the_version_and_start_opens_the_next(tmp_path: Path) -> None:
    copy = release_copy(tmp_path)
    refused = release(copy, "start", "9.0.0")
    assert refused.returncode == 1
    assert f"{__version__} is not released yet" in refused.stderr

    finished = release(copy, "finish", "--date", "2026-12-24")
    assert finished.returncode == 0, finished.stderr
    assert f"git tag -a v{__version__} -m" in finished.stdout
    changelog = (copy / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {__version__} (2026-12-24)\n" in changelog
    for doc in PINNED_DOCS:  # released, so the docs may pin it now
        assert pins((copy / doc).read_text(encoding="utf-8")) <= {__version__}, doc
    assert pins((copy / "docs/setup.md").read_text(encoding="utf-8")) == {__version__}

    started = release(copy, "start", "9.0.0")
    assert started.returncode == 0, started.stderr
    assert '__version__ = "9.0.0"' in (copy / "src/modelcards/__init__.py").read_text()
    changelog = (copy / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("\n## 9.0.0 (unreleased)\n") < changelog.index(f"\n## {__version__} (")
    assert f"### Upgrading from {__version__}\n" in changelog
    for doc in PINNED_DOCS:  # 9.0.0 is not out yet
        assert pins((copy / doc).read_text(encoding="utf-8")) <= {__version__}, doc
    assert release(copy, "start", "8.0.0").returncode == 1  # not after 9.0.0
