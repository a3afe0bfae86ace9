"""Random edits of a small generated catalog, and the cold build to compare with: what the
incremental build's property test and serve's draw from (tests/site/test_*_properties.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from modelcards.site.build import SiteConfig, build_site
from modelcards.site.render import DEFAULT_THEME

from .catalogs import snapshot
from .generated import generate

MODELS = [
    "m0001-fraud-scorer",
    "m0002-churn-predictor",
    "m0003-credit-default",
    "m0004-spam-filter",
]


VERSIONS = ["1.0.0", "1.1.0", "1.2.0"]


DATASETS = ["d0001-card-transactions", "d0002-customer-events"]


PEOPLE = ["alice", "bob", "chen", "dana"]


TAGS = ["payments", "risk", "nlp", "vision", "edge-ml"]


@dataclass(frozen=True)
class Workspace:
    place: Path  # holds catalog/, site/, cache/ and, while a theme edit is in force, theme/
    base: dict[str, str]  # the generated catalog's files, to put back before each example

    @property
    def root(self) -> Path:
        return self.place / "catalog"

    def reset(self) -> None:
        for path in sorted(self.root.rglob("*.yaml")):
            if path.relative_to(self.root).as_posix() not in self.base:
                path.unlink()
        for name, text in self.base.items():
            path = self.root / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        shutil.rmtree(self.place / "theme", ignore_errors=True)


def make_workspace(place: Path) -> Workspace:
    """The small generated catalog in `place`/catalog, and its files to put back."""
    generate(
        place / "catalog",
        models=len(MODELS),
        versions=len(VERSIONS),
        datasets=len(DATASETS),
        seed=3,
    )
    root = place / "catalog"
    base = {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.yaml"))
    }
    assert {f"models/{m}/model.yaml" for m in MODELS} <= set(base)
    assert {f"datasets/{d}.yaml" for d in DATASETS} <= set(base)
    return Workspace(place, base)


@dataclass(frozen=True)
class Edit:
    what: str  # shown in a falsifying example
    apply: Callable[[Path], None]
    today: dt.date | None = None  # the build's --today, when the edit changes it

    def __repr__(self) -> str:
        return self.what


def build_on(day: dt.date) -> Edit:
    """Build as of another day (--today): a new day's publish, or one of a day before."""
    return Edit(f"--today {day.isoformat()}", lambda root: None, day)


def replace(name: str, pattern: str, new: str) -> Edit:
    """Replace the first match of `pattern` (multi-line) in one file; no match, no change."""

    def apply(root: Path) -> None:
        path = root / name
        path.write_text(
            re.sub(pattern, lambda _: new, path.read_text(encoding="utf-8"), count=1, flags=re.M),
            encoding="utf-8",
        )

    return Edit(f"{name}: {pattern} -> {new}", apply)


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def card(model: int, version: int) -> str:
    return f"models/{MODELS[model]}/{VERSIONS[version]}.yaml"


def add_lineage(child: int, parent: int) -> Edit:
    """The first version of one model also fine-tuned from another's first version (across
    models; the rules may refuse it, say for a parent released later)."""
    entry = f"  - {{model: {MODELS[parent]}@1.0.0, relation: fine-tuned}}\n"

    def apply(root: Path) -> None:
        path = root / card(child, 0)
        text = path.read_text(encoding="utf-8")
        if "\nlineage:\n" in text:
            text = text.replace("\nlineage:\n", "\nlineage:\n" + entry, 1)
        else:
            text = text.replace("\nlifecycle:\n", "\nlineage:\n" + entry + "lifecycle:\n", 1)
        path.write_text(text, encoding="utf-8")

    return Edit(f"{card(child, 0)}: lineage from {MODELS[parent]}@1.0.0", apply)


def add_version(model: int, summary: str) -> Edit:
    text = (
        f'version: "1.9.0"\nreleased: 2026-10-01\nsummary: {quoted(summary)}\n'
        f"lineage:\n  - {{model: {MODELS[model]}@1.0.0, relation: retrained}}\n"
        "lifecycle:\n  - {stage: development, date: 2026-10-01, by: alice}\n"
    )

    def apply(root: Path) -> None:
        (root / f"models/{MODELS[model]}/1.9.0.yaml").write_text(text, encoding="utf-8")

    return Edit(f"new version {MODELS[model]}@1.9.0: {summary!r}", apply)


def theme(footer: str) -> Edit:
    def apply(root: Path) -> None:
        folder = root.parent / "theme"
        folder.mkdir(exist_ok=True)
        text = (DEFAULT_THEME / "base.html").read_text(encoding="utf-8")
        (folder / "base.html").write_text(
            text.replace("</footer>", f"<p>{footer}</p></footer>", 1), encoding="utf-8"
        )

    return Edit(f"theme/base.html: footer {footer!r}", apply)


texts = (
    st.text(
        st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=24
    )
    .map(str.strip)
    .filter(bool)
)
models, versions = st.integers(0, len(MODELS) - 1), st.integers(0, len(VERSIONS) - 1)
datasets = st.integers(0, len(DATASETS) - 1)


values = st.integers(0, 1000).map(lambda n: f"{n / 1000:.3f}")


edits = st.one_of(
    # model cards
    st.builds(
        lambda m, t: replace(f"models/{MODELS[m]}/model.yaml", r"^name: .*$", f"name: {quoted(t)}"),
        models,
        texts,
    ),
    st.builds(
        lambda m, t: replace(
            f"models/{MODELS[m]}/model.yaml", r"^summary: .*$", f"summary: {quoted(t)}"
        ),
        models,
        texts,
    ),
    st.builds(
        lambda m, t: replace(f"models/{MODELS[m]}/model.yaml", r"^tags: \[.*\]$", f"tags: [{t}]"),
        models,
        st.sampled_from(TAGS),
    ),
    # version cards: text, metrics, lifecycle, lineage; a new version
    st.builds(
        lambda m, v, t: replace(card(m, v), r"^summary: .*$", f"summary: {quoted(t)}"),
        models,
        versions,
        texts,
    ),
    st.builds(
        lambda m, v, t: replace(card(m, v), r"^description: \|\n", f"description: |\n  {t}\n"),
        models,
        versions,
        texts,
    ),
    st.builds(
        lambda m, v, x: replace(
            card(m, v), r"\{name: precision, value: [0-9.]+", f"{{name: precision, value: {x}"
        ),
        models,
        versions,
        values,
    ),
    st.builds(
        lambda m, v, p: replace(card(m, v), r"by: \w+\}", f"by: {p}}}"),  # the first event
        models,
        versions,
        st.sampled_from(PEOPLE),
    ),
    st.builds(
        lambda m, v, p: replace(card(m, v), r"approved_by: \[\w+\]", f"approved_by: [{p}]"),
        models,
        versions,
        st.sampled_from(PEOPLE),
    ),
    st.builds(
        lambda m, v: replace(card(m, v), r"relation: retrained", "relation: fine-tuned"),
        models,
        versions,
    ),
    st.builds(lambda m, v: replace(card(m, v), r"^lineage:\n(  - .*\n)+", ""), models, versions),
    st.integers(1, len(MODELS) - 1).flatmap(
        lambda child: st.builds(add_lineage, st.just(child), st.integers(0, child - 1))
    ),
    st.builds(add_version, models, texts),
    # dataset cards
    st.builds(
        lambda d, t: replace(
            f"datasets/{DATASETS[d]}.yaml", r"^summary: .*$", f"summary: {quoted(t)}"
        ),
        datasets,
        texts,
    ),
    st.builds(
        lambda d, n: replace(f"datasets/{DATASETS[d]}.yaml", r"rows: \d+", f"rows: {n}"),
        datasets,
        st.integers(1, 10**9),
    ),
    # catalog.yaml
    st.builds(lambda t: replace("catalog.yaml", r"^title: .*$", f"title: {quoted(t)}"), texts),
    st.builds(lambda t: replace("catalog.yaml", r"label: Precision", f"label: {quoted(t)}"), texts),
    # a theme template
    st.builds(theme, st.sampled_from(["Themed.", "Hosted by ACME.", "Internal use only."])),
    # the day: dates are judged against it (the generated events run to 2026-11-01); days
    # after the catalog's sunsets too
    st.builds(build_on, st.dates(dt.date(2026, 11, 1), dt.date(2028, 12, 31))),
)


def cold(place: Path, today: dt.date) -> dict[str, bytes]:
    output = place / "cold"
    shutil.rmtree(output, ignore_errors=True)
    report = build_site(SiteConfig(place / "catalog", output, today=today, use_cache=False))
    assert report.files is not None
    files = snapshot(output)
    shutil.rmtree(output)
    return files
