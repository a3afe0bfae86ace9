"""The Hugo sites the build benchmark measures `modelcards build` against.

Two sites are generated from the same loaded catalog:

- `write_minimal_site`: one Markdown page per model and per version, with a minimal layout
  (title, summary, the card's Markdown, links to the pages below). 11,000 files, 87 MB at
  1,000 x 10. The baseline issue 15 was filed against.
- `write_equivalent_site`: the same content as the site `modelcards build` writes, so the
  ratio compares two generators doing one job: every card's data in its page's front matter,
  every version page rendering all of its card (metrics with intervals and the change from
  the previous version, the lifecycle log, what changed in the hyperparameters, lineage
  parents and children, then every field) plus a Hugging Face README (YAML front matter of
  both cards and a Markdown body) and a CycloneDX BOM (JSON) as Hugo output formats; each
  model's page (versions with stage and primary metric, a chart of it, the lifecycle of
  every version), its lineage page and comparison data; a page per dataset with every
  version trained or evaluated on it; the home page listing every model, the whole catalog
  as JSON, a page per task (Hugo's taxonomy) and a governance page over every version.
  About 34,000 files, as modelcards writes. What it leaves out is where Hugo has no
  counterpart to a modelcards computation (the rules, the search index, the Atom feed's
  ordering of events); the modelcards side pays for those.

Fields go into the front matter as JSON (valid YAML, escaping handled by json), as the
cards' own data: Hugo reads and renders them; nothing is pre-rendered by Python.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from modelcards.catalog import Catalog

MINIMAL_LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main></body></html>
"""
MINIMAL_CONFIG = """baseURL = "https://example.org/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
relativeURLs = true
"""


def _front_matter(fields: dict[str, object], body: str | None) -> str:
    # JSON is valid YAML front matter and needs no escaping rules of its own.
    return "---\n" + json.dumps(fields, indent=1) + "\n---\n\n" + (body or "") + "\n"


def write_minimal_site(catalog: Catalog, folder: Path) -> int:
    """A Hugo site with one page per model and per version; returns the number of pages."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "layouts/_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (folder / "layouts/_default" / name).write_text(MINIMAL_LAYOUT)
    (folder / "layouts/index.html").write_text(MINIMAL_LAYOUT)
    (folder / "config.toml").write_text(MINIMAL_CONFIG)
    pages = 0
    for model in catalog.models.values():
        card = model.card
        section = folder / "content/models" / model.id
        section.mkdir(parents=True)
        (section / "_index.md").write_text(
            _front_matter(
                {
                    "title": card.name,
                    "summary": card.summary,
                    "task": card.task,
                    "tags": card.tags,
                    "owners": [o.name for o in card.owners],
                    "primary_metric": card.primary_metric,
                },
                card.description,
            )
        )
        pages += 1
        for version in model.versions:
            vcard = version.card
            (section / f"{version.version}.md").write_text(
                _front_matter(
                    {
                        "title": f"{card.name} {version.version}",
                        "summary": vcard.summary,
                        "released": vcard.released.isoformat(),
                        "stage": version.stage.value,
                        "metrics": [m.model_dump(mode="json") for m in vcard.metrics],
                        "lifecycle": [e.model_dump(mode="json") for e in vcard.lifecycle],
                    },
                    vcard.description,
                )
            )
            pages += 1
    return pages


# ---- the equivalent site --------------------------------------------------------------------

EQUIVALENT = Path(__file__).with_name("hugo-equivalent")  # its config and layouts


def nested_html(var: str, depth: int) -> str:
    """Template code rendering any value of a card, `depth` levels deep: a mapping as a
    definition list, a list as a list. Written out level by level rather than as a partial
    calling itself: a partial call costs Hugo tens of microseconds, which a Hugo author
    rendering 10,000 cards would avoid."""
    if depth == 0:
        return f"{{{{ {var} }}}}"
    item = f"$v{depth}"
    inner = nested_html(item, depth - 1)
    return (
        f"{{{{ if reflect.IsMap {var} }}}}<dl>{{{{ range $k{depth}, {item} := {var} }}}}"
        f"<dt>{{{{ $k{depth} }}}}</dt><dd>{inner}</dd>{{{{ end }}}}</dl>"
        f"{{{{ else if reflect.IsSlice {var} }}}}<ul>{{{{ range {item} := {var} }}}}"
        f"<li>{inner}</li>{{{{ end }}}}</ul>{{{{ else }}}}{{{{ {var} }}}}{{{{ end }}}}"
    )


def nested_md(var: str, depth: int, indent: str = "") -> str:
    """The same as Markdown bullets, for the README's body."""
    if depth == 0:
        return f"{{{{ {var} }}}}"
    item = f"$v{depth}"
    inner = nested_md(item, depth - 1, indent + "  ")
    return (
        f"{{{{ if reflect.IsMap {var} }}}}{{{{ range $k{depth}, {item} := {var} }}}}\n"
        f"{indent}- **{{{{ $k{depth} }}}}**: {inner}{{{{ end }}}}"
        f"{{{{ else if reflect.IsSlice {var} }}}}{{{{ range {item} := {var} }}}}\n"
        f"{indent}- {inner}{{{{ end }}}}{{{{ else }}}}{{{{ {var} }}}}{{{{ end }}}}"
    )


# A card's fields but those a page shows in its own sections ("skip"), each rendered in full.
FIELDS = (
    "<dl>{{ range $key, $value := .card }}{{ if not (in $.skip $key) }}<dt>{{ $key }}</dt><dd>"
    + nested_html("$value", 3)
    + "</dd>{{ end }}{{ end }}</dl>"
)
PARTIALS = {
    "fields.html": FIELDS,
    "value.html": nested_html(".", 3),
    "value.md": nested_md(".", 3),
}


def _data(card: Any) -> Any:
    return card.model_dump(mode="json", exclude_defaults=True)


def _versions_using(catalog: Catalog) -> dict[str, list[str]]:
    """Dataset ids each version references (training data and metrics), for the dataset pages."""
    using: dict[str, list[str]] = {}
    for ref, version in catalog.versions.items():
        card = version.card
        named = [*(card.training.data if card.training else []), *(m.dataset for m in card.metrics)]
        using[ref] = sorted({name.split("@")[0] for name in named if name})
    return using


def write_equivalent_site(catalog: Catalog, folder: Path) -> int:
    """A Hugo site with the content `modelcards build` writes; returns the number of source
    pages (the files it writes are about three per version)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(EQUIVALENT, folder)
    for name, text in PARTIALS.items():
        (folder / "layouts/partials" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "layouts/partials" / name).write_text(text)
    children: dict[str, list[str]] = {}
    for edge in catalog.lineage:
        children.setdefault(edge.parent, []).append(edge.child)
    using = _versions_using(catalog)
    content = folder / "content"
    pages = _write(content / "governance.md", {"title": "Governance", "layout": "governance"}, "")
    pages += _write(content / "datasets/_index.md", {"title": "Datasets"}, "")
    pages += _write(content / "models/_index.md", {"title": "Models", "layout": "catalogue"}, "")
    for dataset in catalog.datasets.values():
        fields = {"title": dataset.card.name, "id": dataset.id, "card": _data(dataset.card)}
        pages += _write(content / f"datasets/{dataset.id}.md", fields, dataset.card.description)
    for model in catalog.models.values():
        card = model.card
        section = content / "models" / model.id
        fields = {
            "title": card.name,
            "card": _data(card),
            "tasks": [card.task],
            "outputs": ["HTML", "LINEAGE", "COMPARE", "BADGE"],
        }
        pages += _write(section / "_index.md", fields, card.description)
        for weight, version in enumerate(reversed(model.versions), start=1):
            ref = f"{model.id}@{version.version}"
            fields = {
                "title": f"{card.name} {version.version}",
                "weight": weight,  # newest first, as the model page lists them
                "model": model.id,
                "stage": version.stage.value,
                "card": _data(version.card),
                "children": children.get(ref, []),
                "uses": using[ref],
                "outputs": ["HTML", "README", "BOM"],
            }
            pages += _write(section / f"{version.version}.md", fields, version.card.description)
    return pages


def _write(path: Path, fields: dict[str, Any], body: str | None) -> int:
    """A content file with JSON front matter (Hugo reads a leading JSON object as such,
    faster than YAML)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fields, indent=1) + "\n\n" + (body or "") + "\n")
    return 1
