"""What each page is made from, as one digest: the key of the incremental build.

A page's fingerprint covers everything its renderer can read, and a little more: when two
builds give a page the same fingerprint, rendering it again would give the same bytes, so
the earlier file can be kept.

What goes in:
- every page: the build's global inputs (the package's code and default theme, the theme
  override folder, catalog.yaml, SOURCE_DATE_EPOCH, where the catalog and its repository
  are); the cache keeps digests by page path, and pages with the same inputs share one
  digest;
- the day dates are judged against, for the kinds that read it (pages.KINDS, `reads_today`:
  the governance page, model pages, the feed, and any kind that does not say), so a new day
  renders those pages again and keeps the rest;
- and the cards its kind declares in the table of page kinds (pages.KINDS; what each
  declaration covers: dependencies.py). A kind that declares nothing depends on every card.
Cards are identified by their path and their text, so any edit, even a comment, counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..cardcache import runtime
from ..catalog import Catalog
from ..loading import CatalogFiles
from ..source import FileRefused, decode_text, read_card_bytes, read_regular_file
from .context import SiteData, repository_root
from .dependencies import MISSING, CardDigests
from .pages import KINDS
from .render import MAX_THEME_FILE_BYTES
from .structure import Page

FORMAT = "modelcards-fingerprint-3"
UNDATED = "-"  # in place of the day, for the kinds of page that do not read it
PACKAGE = Path(__file__).resolve().parent.parent
# The libraries whose output lands in the site: templates, Markdown, sanitising, YAML, JSON.
RENDERING_LIBRARIES = ("jinja2", "markupsafe", "cmarkgfm", "nh3", "pyyaml", "pydantic-core")


def _digest(parts: Iterable[str]) -> str:
    """One digest of the parts, each ended by a NUL (one encode and one update: it runs
    for every card and every group of pages)."""
    text = "\0".join(parts) + "\0"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _files(folder: Path, pattern: str) -> Iterator[str]:
    """Each file under `folder` matching `pattern`, as its name and the digest of its bytes,
    read as the theme loader reads them; or why they cannot be read (a link out of the
    folder, a FIFO): a page that needs such a file fails the build, the others do not."""
    for path in sorted(folder.rglob(pattern)):
        if path.is_dir():
            continue
        yield path.relative_to(folder).as_posix()
        try:
            data = read_regular_file(path, MAX_THEME_FILE_BYTES, inside=folder)
        except (FileRefused, OSError) as error:
            yield f"unreadable: {error}"
            continue
        yield hashlib.blake2b(data, digest_size=20).hexdigest()


def code_digest(default_theme: Path) -> str:
    """The package's Python code and default theme, Python's version and those of the
    libraries that write the pages: a changed renderer is a changed input, even in an
    editable install whose version number stays the same, or in a CI job that installs a
    newer Jinja2 on a cached site."""
    return _digest(
        [
            __version__,
            runtime(*RENDERING_LIBRARIES),
            *_files(PACKAGE, "*.py"),
            "theme",
            *_files(default_theme, "*"),
        ]
    )


def global_digest(root: Path, settings: str | None, theme: Path | None, code: str) -> str:
    """What every page is made from. `settings`: the text of catalog.yaml, None when there
    is none."""
    parts = [
        FORMAT,
        code,
        "override",
        *(_files(theme, "*") if theme is not None else ()),
        "settings",
        settings if settings is not None else MISSING,
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        str(root.resolve()),
        str(repository_root(root)),
    ]
    return _digest(parts)


def _card_digests(root: Path, texts: Mapping[Path, str]) -> dict[Path, str]:
    found = {}
    for path, text in texts.items():
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = str(path)
        found[path] = _digest([name, text])
    return found


@dataclass(frozen=True)
class Fingerprints:
    """Digests of the inputs of each page of one build."""

    base: str  # the global inputs
    today: str  # the day dates are judged against (ISO)
    cards: CardDigests
    memo: dict[tuple[str, str, str], str] = field(default_factory=dict)  # page group -> digest
    # (declaration, subject, day) -> digest: a version's family of pages asks once
    by_subject: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def page(self, page: Page) -> str:
        """The digest of a page's inputs, as its kind declares them. Pages with the same
        inputs (every page of a version's family, every page listing the whole catalog)
        share one digest, worked out once: the cache stores it by path, so a page needs no
        digest of its own."""
        kind = KINDS[page.kind]
        depends = kind.depends
        day = self.today if kind.reads_today else UNDATED
        asked = depends.name, page.subject, day  # the scope is a function of these
        found = self.by_subject.get(asked)
        if found is None:
            group = depends.name, depends.scope(self.cards.site, page.subject), day
            if group not in self.memo:
                inputs = depends.inputs(self.cards, group[1])
                self.memo[group] = _digest([self.base, *group, *inputs])
            found = self.by_subject[asked] = self.memo[group]
        return found


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build reads, digested: the global inputs and every card."""

    base: str
    today: str  # the day the catalog is validated and dates are judged against (ISO)
    cards: Mapping[Path, str]  # card file -> digest of its name and text
    everything: str  # every card at once

    @property
    def whole(self) -> str:
        """Equal for two builds only when they would make the same site, page for page, and
        find the same problems (the rules judge dates against the day)."""
        return _digest([self.base, self.today, self.everything])


def build_inputs(catalog: Catalog, today: dt.date, theme: Path | None, code: str) -> BuildInputs:
    settings = catalog.sources.get(catalog.settings_path) if catalog.settings_path else None
    texts = {path: source.text for path, source in catalog.sources.items()}
    return _inputs(catalog.root, settings.text if settings else None, texts, today, theme, code)


def _inputs(
    root: Path,
    settings: str | None,
    texts: Mapping[Path, str],
    today: dt.date,
    theme: Path | None,
    code: str,
) -> BuildInputs:
    cards = _card_digests(root, texts)
    # Each digest covers a card's name (from the catalog folder) and text: sorted, they say
    # what every card is, however the catalog folder's path was spelled.
    everything = _digest(sorted(cards.values()))
    base = global_digest(root, settings, theme, code)
    return BuildInputs(base, today.isoformat(), cards, everything)


def read_inputs(
    root: Path, files: CatalogFiles, today: dt.date, theme: Path | None, code: str
) -> BuildInputs | None:
    """The inputs of a build of `root`, from its files alone: the same digests as
    build_inputs gives for the catalog they load into, without parsing a line.

    None when the catalog's folders hold anything discovery reports (a stray file, a link
    leading outside) or a card that cannot be read as text: only a full build says what."""
    found = files.found
    if found.problems:
        return None
    texts: dict[Path, str] = {}
    settings: str | None = None
    if found.settings is not None:
        settings = _text(found.settings, read_card_bytes(found.settings)[0])
        if settings is None:
            return None
        texts[found.settings] = settings
    for path, (raw, _) in files.contents.items():
        text = _text(path, raw)
        if text is None:
            return None
        texts[path] = text
    return _inputs(root, settings, texts, today, theme, code)


def _text(path: Path, raw: bytes | None) -> str | None:
    return decode_text(path, raw)[0] if raw is not None else None


def fingerprints(site: SiteData, inputs: BuildInputs) -> Fingerprints:
    return Fingerprints(
        inputs.base, inputs.today, CardDigests(site, inputs.cards, inputs.everything)
    )
