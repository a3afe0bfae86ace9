"""Which pages a catalog gets, and that every internal link is relative and resolves."""

from __future__ import annotations

import posixpath
import textwrap
from urllib.parse import unquote, urlsplit

from modelcards.loading import load_catalog
from modelcards.site.paths import FOLDERS, relative, version_path
from modelcards.site.render import DEFAULT_THEME
from modelcards.site.structure import site_pages

from ..helpers.catalogs import BASE, EXAMPLE_CATALOG, CatalogMaker
from ..helpers.site import elements, links, site_files

BASE_PAGES = {
    ".modelcards-site",
    "index.html",
    "404.html",
    "governance/index.html",
    "datasets/index.html",
    "api/catalog.json",
    "feed.xml",
    "assets/style.css",
    "assets/site.js",
    "assets/search-index.js",
    "assets/favicon.svg",
    "assets/lineage.js",
    "models/fraud/index.html",
    "models/fraud/1.0.0/index.html",
    "models/fraud/2.0.0/index.html",
    "models/small/index.html",
    "models/small/0.1.0/index.html",
    # the full lineage graph of each model with lineage
    "models/fraud/lineage.html",
    "models/small/lineage.html",
    "badges/fraud.svg",
    "badges/small.svg",
    "datasets/tx/index.html",
    # the leaderboard of each dataset version some version reports a metric on
    "datasets/tx/leaderboards/2025-Q3.html",
    # the compare page of each task, its index of models, and each model's data for it
    "assets/compare.js",
    "compare/tabular-classification/index.html",
    "compare/tabular-classification/models.js",
    "models/fraud/compare.js",
    "models/small/compare.js",
    # each version's exports, next to its page
    "models/fraud/1.0.0/README.md",
    "models/fraud/1.0.0/bom.json",
    "models/fraud/2.0.0/README.md",
    "models/fraud/2.0.0/bom.json",
    "models/small/0.1.0/README.md",
    "models/small/0.1.0/bom.json",
}


def test_every_model_version_and_dataset_gets_a_page(make_catalog: CatalogMaker) -> None:
    assert set(site_files(make_catalog())) == BASE_PAGES


def test_sitemap_only_with_a_base_url(make_catalog: CatalogMaker) -> None:
    catalog = textwrap.dedent(BASE["catalog.yaml"]) + "base_url: https://acme.example/models/\n"
    files = site_files(make_catalog({"catalog.yaml": catalog}))
    assert set(files) == BASE_PAGES | {"sitemap.xml"}
    sitemap = files["sitemap.xml"].decode()
    assert "<loc>https://acme.example/models/models/fraud/1.0.0/index.html</loc>" in sitemap
    assert "<loc>https://acme.example/models/index.html</loc>" in sitemap
    assert "404.html" not in sitemap and sitemap.count("<loc>") == 13


def test_pages_are_listed_in_a_stable_order(make_catalog: CatalogMaker) -> None:
    catalog, _ = load_catalog(make_catalog())
    kinds = [(p.kind, p.subject) for p in site_pages(catalog) if p.kind in ("model", "version")]
    assert kinds == [
        ("model", "fraud"),
        ("version", "fraud@1.0.0"),
        ("version", "fraud@2.0.0"),
        ("model", "small"),
        ("version", "small@0.1.0"),
    ]


def test_relative_links_climb_back_to_the_root() -> None:
    assert relative("index.html", "models/a/index.html") == "models/a/index.html"
    assert relative("models/a/1.0.0/index.html", "assets/style.css") == "../../../assets/style.css"
    assert version_path("a@1.0.0+build.5") == "models/a/1.0.0+build.5/index.html"
    assert relative("index.html", version_path("a@1.0.0+b")) == "models/a/1.0.0%2Bb/index.html"


def _broken_links(files: dict[str, bytes]) -> list[str]:
    broken = []
    for page, data in files.items():
        if not page.endswith(".html") or page == "404.html":
            continue
        for target in links(data):
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("/", "#")):
                if parts.scheme in ("", "file") and not target.startswith("#"):
                    broken.append(f"{page}: absolute internal link {target}")
                continue
            resolved = posixpath.normpath(
                posixpath.join(posixpath.dirname(page), unquote(parts.path))
            )
            if resolved not in files:
                broken.append(f"{page}: {target} -> {resolved}")
    return broken


def test_every_internal_link_of_the_example_site_resolves() -> None:
    files = site_files(EXAMPLE_CATALOG)
    assert _broken_links(files) == []
    home = files["index.html"]
    assert "models/fraud-detector/index.html" in links(home)


def test_fragment_links_name_existing_ids(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog())
    version = files["models/fraud/2.0.0/index.html"]
    assert "../../../datasets/tx/index.html#v-2025-Q4" in links(version)
    ids = {attrs.get("id") for _, attrs in elements(files["datasets/tx/index.html"])}
    assert {"v-2025-Q3", "v-2025-Q4"} <= ids


def test_not_found_page_links_absolutely_under_the_base_url(make_catalog: CatalogMaker) -> None:
    catalog = textwrap.dedent(BASE["catalog.yaml"]) + "base_url: https://acme.example/models/\n"
    page = site_files(make_catalog({"catalog.yaml": catalog}))["404.html"]
    assert "https://acme.example/models/index.html" in links(page)
    assert not [href for href in links(page) if href.endswith((".css", ".js"))]
    style = (DEFAULT_THEME / "assets/style.css").read_text()
    assert f"<style>{style}</style>" in page.decode()  # inlined: it loads from every host
    assert 'data-base="https://acme.example/models/"' in page.decode()


def test_every_page_lives_at_the_root_or_in_a_known_folder() -> None:
    """The 404 page finds the site root by these folders (paths.FOLDERS, templates/404.html)."""
    catalog, _ = load_catalog(EXAMPLE_CATALOG)
    outside = {
        p.path for p in site_pages(catalog) if "/" in p.path and p.path.split("/")[0] not in FOLDERS
    }
    assert outside == set()
