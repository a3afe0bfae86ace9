"""The release steps that edit files; docs/development.md ("Releasing") gives the whole process.

python scripts/release.py start 0.3.0   # open the next version: bump, CHANGELOG
python scripts/release.py finish        # date the version's CHANGELOG section, move the docs'
                                        # pins to it; print what follows

`modelcards.__version__` always names the version being prepared, and CHANGELOG.md's newest
section is "## <that version> (unreleased)" until `finish` dates it. The docs pin the newest
released version (one a reader can install) until `finish` moves them to the version released;
tests/unit/test_release.py checks both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERSION_FILE = REPO / "src" / "modelcards" / "__init__.py"
CHANGELOG = REPO / "CHANGELOG.md"
# Docs that show a team what to pin: `modelcards-catalog==X`, `modelcards@vX`, `rev: vX`.
PINNED_DOCS = [REPO / "README.md", REPO / "docs" / "setup.md", REPO / "docs" / "workflow.md"]
_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
SECTIONS = ("Upgrading from {previous}", "Added", "Changed", "Fixed", "Removed")


def current_version() -> str:
    found = _VERSION_LINE.search(VERSION_FILE.read_text(encoding="utf-8"))
    assert found is not None, f"no __version__ line in {VERSION_FILE}"
    return found.group(1)


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# A pin a doc shows: `modelcards-catalog==X.Y.Z`, `modelcards@vX.Y.Z`, `rev: vX.Y.Z`.
_PIN = re.compile(r"(modelcards-catalog==|modelcards@v|rev: v)\d+\.\d+\.\d+\b")


def pin(text: str, new: str) -> str:
    """Every pin in a doc, moved to `new`."""
    return _PIN.sub(rf"\g<1>{new}", text)


def start(new: str) -> None:
    old = current_version()
    if not _SEMVER.match(new) or _key(new) <= _key(old):
        sys.exit(f"start: {new!r} must be a version X.Y.Z after {old}")
    changelog = CHANGELOG.read_text(encoding="utf-8")
    if f"## {old} (unreleased)" in changelog:
        sys.exit(f"start: {old} is not released yet; run `release.py finish` first")
    VERSION_FILE.write_text(
        _VERSION_LINE.sub(f'__version__ = "{new}"', VERSION_FILE.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    heads = "\n\n".join(f"### {name.format(previous=old)}" for name in SECTIONS)
    first = changelog.index("\n## ")
    CHANGELOG.write_text(
        f"{changelog[:first]}\n## {new} (unreleased)\n\n{heads}\n{changelog[first:]}",
        encoding="utf-8",
    )
    # The CycloneDX example names the modelcards version.
    subprocess.run([sys.executable, "interop_examples.py"], cwd=REPO / "scripts", check=True)
    print(
        f"started {new}: __version__, CHANGELOG.md, docs/interop.md "
        f"(the docs pin {old} until {new} is released)"
    )


def finish(date: dt.date) -> None:
    version = current_version()
    changelog = CHANGELOG.read_text(encoding="utf-8")
    heading = f"## {version} (unreleased)"
    if heading not in changelog:
        sys.exit(f"finish: CHANGELOG.md has no section {heading!r}")
    CHANGELOG.write_text(
        changelog.replace(heading, f"## {version} ({date.isoformat()})", 1), encoding="utf-8"
    )
    for doc in PINNED_DOCS:
        doc.write_text(pin(doc.read_text(encoding="utf-8"), version), encoding="utf-8")
    print(
        f"dated {version} in CHANGELOG.md ({date}) and pinned it in the docs. Then, from a "
        "clean tree on main:\n"
    )
    for command in (
        "python -m pytest",
        f'git commit -am "Release {version}"',
        "rm -rf dist && python -m pip wheel --no-deps -w dist .",
        f'git tag -a v{version} -m "modelcards {version}"',
        f"git push origin main v{version}",
        f"python -m twine upload dist/modelcards_catalog-{version}-py3-none-any.whl",
    ):
        print(f"  {command}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("start", help="open the next version").add_argument("version")
    done = commands.add_parser("finish", help="date the version being released")
    done.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=None,
        help="the release date [default: today, UTC]",
    )
    arguments = parser.parse_args()
    if arguments.command == "start":
        start(arguments.version)
    else:
        finish(arguments.date or dt.datetime.now(dt.timezone.utc).date())


if __name__ == "__main__":
    main()
