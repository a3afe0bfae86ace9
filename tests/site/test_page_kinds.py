"""The table of page kinds (pages.KINDS): every kind the site renders is described there, and a
kind that declares no dependencies is rendered again after any edit, so it is never stale."""

from __future__ import annotations

import textwrap

import pytest

from modelcards.loading import load_catalog
from modelcards.site import build as building
from modelcards.site.context import SiteData
from modelcards.site.dependencies import NO_CARDS
from modelcards.site.pages import KINDS, PageKind
from modelcards.site.structure import Page, site_pages

from ..helpers.catalogs import BASE, EXAMPLE_CATALOG, SMALL, CatalogMaker, snapshot
from ..helpers.site import build, cold

BASE_URL = textwrap.dedent(BASE["catalog.yaml"]) + "base_url: https://models.example.org/\n"


def test_every_kind_the_site_renders_is_in_the_table(make_catalog: CatalogMaker) -> None:
    """The example catalog (lineage, leaderboards, compare pages) and the test catalog with a
    base URL (a sitemap) between them have a page of every kind, and of no kind but these."""
    kinds = set()
    for root in (EXAMPLE_CATALOG, make_catalog({"catalog.yaml": BASE_URL})):
        catalog, problems = load_catalog(root)
        assert not [p for p in problems if p.severity.value == "error"]
        kinds |= {page.kind for page in site_pages(catalog)}
    assert kinds == set(KINDS)


def test_the_sitemap_lists_every_html_page_but_the_404_page(make_catalog: CatalogMaker) -> None:
    root = make_catalog({"catalog.yaml": BASE_URL})
    catalog, _ = load_catalog(root)
    listed = [p for p in site_pages(catalog) if KINDS[p.kind].in_sitemap]
    html = [p for p in site_pages(catalog) if p.path.endswith(".html")]
    assert listed == [p for p in html if p.path != "404.html"]
    assert len(listed) == 13  # as test_site_structure counts them
    build(root)
    sitemap = (root.parent / "site/sitemap.xml").read_text()
    assert sitemap.count("<loc>") == len(listed)
    assert "https://models.example.org/404.html" not in sitemap


def _register(monkeypatch: pytest.MonkeyPatch, kind: str, found: PageKind, path: str) -> list[str]:
    """A kind of page registered in the table, with one page in every site; the summaries it
    was rendered with, one entry per render."""
    renders: list[str] = []
    render = found.render

    def counted(site: SiteData, page: Page) -> bytes:
        data = render(site, page)
        renders.append(data.decode())
        return data

    monkeypatch.setitem(KINDS, kind, PageKind(counted, found.depends, found.cost))
    # What the build lists now: the kinds registered before this one included (the name the
    # build imported from structure, not exported by it: hence the ignore).
    listed = building.site_pages  # type: ignore[attr-defined]
    monkeypatch.setattr(
        building, "site_pages", lambda catalog: [*listed(catalog), Page(path, kind)]
    )
    return renders


def _summaries(site: SiteData, page: Page) -> bytes:
    """What the kind shows: every version's summary (it reads every card)."""
    return "\n".join(v.card.summary or "" for v in site.catalog.versions.values()).encode()


def test_a_kind_without_dependencies_is_rendered_again_after_any_edit(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    undeclared = _register(monkeypatch, "undeclared", PageKind(_summaries), "undeclared.txt")
    # The same renderer, declared (wrongly) to read no card: kept after an edit, stale.
    declared = _register(monkeypatch, "no-cards", PageKind(_summaries, NO_CARDS), "no-cards.txt")
    build(root, jobs=1)
    assert len(undeclared) == len(declared) == 1
    small = (root / SMALL).read_text()
    assert "Distilled from fraud 2.0.0." in small
    (root / SMALL).write_text(small.replace("Distilled from fraud 2.0.0.", "Distilled again."))
    report = build(root, jobs=1)
    assert len(undeclared) == 2 and "Distilled again." in undeclared[-1]
    assert len(declared) == 1  # the control: a declaration is what keeps a page
    assert report.rendered < len(report.files or ()) - 1  # the rest of the site was kept
    site = snapshot(root.parent / "site")
    assert site["undeclared.txt"] == cold(root)["undeclared.txt"]
    assert b"Distilled again." not in site["no-cards.txt"]


def test_every_page_of_an_undeclared_kind_shares_the_whole_catalog_fingerprint(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit anywhere, even a comment in a dataset card, renders it again."""
    root = make_catalog()
    undeclared = _register(monkeypatch, "undeclared", PageKind(_summaries), "undeclared.txt")
    build(root, jobs=1)
    dataset = next(root.glob("datasets/*.yaml"))
    dataset.write_text(dataset.read_text() + "# reviewed\n")
    build(root, jobs=1)
    assert len(undeclared) == 2
    build(root, jobs=1)  # nothing changed: nothing rendered
    assert len(undeclared) == 2


def test_page_costs_come_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelcards.site.parallel import page_costs

    monkeypatch.setitem(KINDS, "heavy", PageKind(_summaries, cost=1 / 10))
    assert page_costs([Page("a", "heavy"), Page("b", "asset", "b")], 1_000) == [101, 1]
