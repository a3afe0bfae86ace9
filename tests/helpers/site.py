"""Shared inputs of the site tests: a card that tries to inject script through every field,
and helpers to build a site (as `modelcards build` does, or incrementally beside the
catalog) and read the HTML of a built one."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from modelcards.site.build import BuildReport, SiteConfig, build_site

from . import catalogs
from .catalogs import snapshot

# The day test sites are built on: the test catalogs' today, as a date.
TODAY = dt.date.fromisoformat(catalogs.TODAY)

# Attempts in Markdown, in plain text and in URL fields. None may reach a page as markup.
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
MD_ATTACK = (
    f"Intro {SCRIPT} {IMG}\n\n"
    '[click](javascript:alert(2)) <a href="javascript:alert(3)" onclick="alert(4)">a</a>\n\n'
    '<svg onload=alert(5)></svg> <iframe src="javascript:alert(6)"></iframe>\n\n'
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) "
    '<p style="background:url(javascript:alert(8))">styled</p> [fine](https://example.org/ok)\n'
)
TEXT_ATTACK = f"{SCRIPT}{IMG}"
URL_ATTACK = "javascript:alert(9)"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


INJECTION: dict[str, str | None] = {
    "catalog.yaml": f"""\
        title: {_quoted("Catalog " + TEXT_ATTACK)}
        description: {_quoted(MD_ATTACK)}
        repository: https://git.example/acme/models
        """,
    "models/evil/model.yaml": f"""\
        name: {_quoted("Evil " + TEXT_ATTACK)}
        summary: {_quoted("Summary " + TEXT_ATTACK)}
        description: {_quoted(MD_ATTACK)}
        owners: [{{name: {_quoted(TEXT_ATTACK)}, contact: {_quoted(TEXT_ATTACK)}}}]
        task: {_quoted("task" + TEXT_ATTACK)}
        tags: [{_quoted("tag" + TEXT_ATTACK)}]
        license: {_quoted(TEXT_ATTACK)}
        primary_metric: auc
        aliases: {{{_quoted("alias" + TEXT_ATTACK)}: "1.0.0"}}
        intended_use: {{uses: [{_quoted(TEXT_ATTACK)}], users: [{_quoted(TEXT_ATTACK)}],
                       out_of_scope: [{_quoted(TEXT_ATTACK)}]}}
        considerations:
          limitations: [{_quoted(TEXT_ATTACK)}]
          ethical: [{{name: {_quoted(TEXT_ATTACK)}, mitigation: {_quoted(TEXT_ATTACK)}}}]
          caveats: {_quoted(MD_ATTACK)}
        links: [{{title: {_quoted(TEXT_ATTACK)}, url: {_quoted(URL_ATTACK)}}},
                {{title: data, url: "data:text/html,<script>alert(10)</script>"}}]
        """,
    "models/evil/1.0.0.yaml": f"""\
        version: "1.0.0"
        released: 2026-01-01
        summary: {_quoted(TEXT_ATTACK)}
        description: {_quoted(MD_ATTACK)}
        artifacts: [{{uri: {_quoted(URL_ATTACK)}, format: {_quoted(TEXT_ATTACK)}}}]
        framework: {{name: {_quoted(TEXT_ATTACK)}, version: {_quoted(TEXT_ATTACK)}}}
        training:
          code: {{repo: {_quoted(URL_ATTACK)}, path: {_quoted(TEXT_ATTACK)}}}
          data: [tx@2025-Q4]
          hyperparameters: {{{_quoted("hp" + TEXT_ATTACK)}: {_quoted(TEXT_ATTACK)}}}
          environment: {{python: {_quoted(TEXT_ATTACK)}, container: {_quoted(TEXT_ATTACK)},
                        hardware: {_quoted(TEXT_ATTACK)}, packages: {{{_quoted("p" + TEXT_ATTACK)}: "1"}}}}
        metrics:
          - {{name: auc, value: 0.5, dataset: tx@2025-Q4, split: {_quoted(TEXT_ATTACK)},
             slice: {_quoted(TEXT_ATTACK)}}}
          - {{name: auc, value: 0.5, dataset: tx@2025-Q4}}
        lineage:
          - {{external: {_quoted(TEXT_ATTACK)}, url: {_quoted(URL_ATTACK)}, relation: fine-tuned}}
        lifecycle:
          - {{stage: development, date: 2026-01-01, by: {_quoted(TEXT_ATTACK)},
             reason: {_quoted(TEXT_ATTACK)}, override: {_quoted(TEXT_ATTACK)}}}
        monitoring:
          dashboard: {_quoted(URL_ATTACK)}
          observations:
            - {{date: 2026-02-01, metric: auc, value: 0.4, threshold: 0.45}}
        """,
    "datasets/evil.yaml": f"""\
        name: {_quoted(TEXT_ATTACK)}
        summary: {_quoted(TEXT_ATTACK)}
        owners: [{{name: {_quoted(TEXT_ATTACK)}}}]
        description: {_quoted(MD_ATTACK)}
        versions:
          - {{version: {_quoted("v" + TEXT_ATTACK)}, uri: {_quoted(URL_ATTACK)},
             description: {_quoted(MD_ATTACK)}}}
        """,
}


def build_into(
    root: Path, output: Path, today: dt.date = TODAY, theme: Path | None = None
) -> BuildReport:
    """Build a catalog into `output` the way `modelcards build` does, with its cache in a
    folder beside `output` (the catalog must be valid)."""
    config = SiteConfig(
        root, output, theme=theme, today=today, cache=output.parent / f"{output.name}.cache"
    )
    report = build_site(config)
    assert report.files is not None, [str(p) for p in report.validation.errors]
    return report


def site_files(root: Path, today: dt.date = TODAY, theme: Path | None = None) -> dict[str, bytes]:
    """Every file of a catalog's site by its path, built as `modelcards build` builds it
    (the catalog must be valid)."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "site"
        report = build_into(root, output, today, theme)
        assert report.files is not None
        return {name: (output / name).read_bytes() for name in report.files}


class Elements(HTMLParser):
    """Every start tag of a document, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def elements(html: bytes) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html.decode("utf-8"))
    return parser.tags


def links(html: bytes) -> list[str]:
    """Every href and src of a page."""
    return [attrs[name] for _, attrs in elements(html) for name in ("href", "src") if name in attrs]


def text(data: bytes) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", data.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


# Incremental builds of a catalog made by make_catalog: the site, the cold build and the
# cache all beside the catalog folder.


def config(root: Path, output: str = "site", **options: Any) -> SiteConfig:
    options.setdefault("today", TODAY)
    return SiteConfig(root, root.parent / output, cache=root.parent / "cache", **options)


def build(root: Path, output: str = "site", **options: Any) -> BuildReport:
    report = build_site(config(root, output, **options))
    assert report.files is not None, "the catalog must be valid"
    return report


def cold(root: Path) -> dict[str, bytes]:
    """A build from scratch: no cache, into a folder that does not exist yet."""
    output = root.parent / "cold"
    report = build(root, "cold", use_cache=False)
    assert report.rendered == len(report.files or ()) - 1
    files = snapshot(output)
    shutil.rmtree(output)
    return files
