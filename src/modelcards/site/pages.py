"""Render one page: a pure function of the prepared site data, returning {path: bytes}.

KINDS, at the end, describes each kind of page once: its renderer, what it is made from, what
it costs and whether the sitemap lists it. Rendering, fingerprints (fingerprint.py), the split
over processes (parallel.py) and the sitemap all read it; a new kind of page goes there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..cards import Metric, Stage
from ..catalog import Dataset
from ..formats import EXPORT_FORMATS, ExportFormat
from ..queries import charted_metrics, metric_series, place, previous_version
from ..texts import shown
from . import charts, feeds, paths
from . import compare as comparing
from .attention import attention_count
from .changes import card_changes, reproducibility, used_by
from .charts import traffic_text
from .context import Linker, SiteData, anchor
from .dependencies import (
    BADGE,
    COMPARE,
    COMPARE_DATA,
    COMPARE_INDEX,
    DATASET,
    LEADERBOARD,
    LINEAGE,
    MODEL,
    NO_CARDS,
    VERSION_FAMILY,
    WHOLE_CATALOG,
    Depends,
)
from .home import PAGE_SIZE, SORTS, filter_values, home_order, search_index
from .leaderboards import board_target
from .lineage import full_lineage, full_lineage_svg, has_lineage, lineage_graph_svg
from .render import asset_source
from .structure import Page, site_pages
from .views import aliases_of, compare_metrics, deprecation, primary_reading

Renderer = Callable[[SiteData, Page], bytes]


def board_links(site: SiteData, link: Linker) -> Callable[[Metric], str | None]:
    """The link to the leaderboard a metric entry is ranked on (None: on none)."""

    def board(metric: Metric) -> str | None:
        target = board_target(site.catalog, metric)
        return f"{link.to(target[0])}#{target[1]}" if target else None

    return board


def _html(
    site: SiteData,
    page: Page,
    template: str,
    title: str,
    absolute: bool = False,
    **context: Any,
) -> bytes:
    """`absolute`: links lead to the base URL (a page served at any address)."""
    settings = site.catalog.settings
    link = Linker(page.path, settings.base_url if absolute else None)
    canonical = paths.absolute(settings.base_url, page.path) if settings.base_url else None
    if site.today is not None:  # only pages that judge dates are given the day
        context["today"] = site.today
    text = site.env.get_template(template).render(
        page=page,
        title=title,
        link=link,
        settings=settings,
        canonical=canonical,
        anchor=anchor,
        traffic=site.traffic,
        **context,
    )
    # Control and bidirectional characters in card text (names refuse them) are shown as
    # escapes: none of them may reorder or hide the text around it. The templates hold
    # none, so the whole page is the card text's place.
    return shown(text).encode("utf-8")


def _datasets_list(site: SiteData) -> list[tuple[str, Dataset]]:
    return [(d, site.catalog.datasets[d]) for d in sorted(site.catalog.datasets)]


def home(site: SiteData, page: Page) -> bytes:
    summaries = home_order(site.summaries.values())
    return _html(
        site,
        page,
        "index.html",
        site.catalog.settings.title,
        summaries=summaries,
        filters=filter_values(summaries),
        sorts=SORTS,
        page_size=PAGE_SIZE,
        datasets_list=_datasets_list(site),
    )


def datasets(site: SiteData, page: Page) -> bytes:
    return _html(
        site,
        page,
        "datasets.html",
        "Datasets",
        datasets_list=_datasets_list(site),
        usage=site.usage,
        used_by=used_by(site.usage),
    )


def _metric_charts(site: SiteData, model_id: str, link: Linker) -> list[Markup]:
    """One chart per metric; one line per dataset version and split (queries.metric_series).

    Every chart has the same x axis, the versions that report any of the charted metrics, so a
    version sits at the same place in each."""
    drawn = []
    found = site.catalog.models[model_id]
    names = charted_metrics(found)
    versions = [
        v.version
        for v in found.versions
        if any(m.slice is None and m.name in names for m in v.card.metrics)
    ]
    for name in names:
        info = site.metrics.get(name)
        label = info.label if info and info.label else name
        series = [
            charts.MetricSeries(
                _where(entries[0][1]),
                tuple(
                    charts.MetricPoint(
                        v.version,
                        m.value,
                        m.ci[0] if m.ci else None,
                        m.ci[1] if m.ci else None,
                        link.version(v.ref),
                    )
                    for v, m in entries
                ),
            )
            for entries in metric_series(found, name).values()
        ]
        svg = charts.metric_series_svg(
            series,
            versions,
            title=label,
            goal=info.goal if info else None,
            unit=info.unit if info else None,
        )
        drawn.append(figure(svg))
    return drawn


def _where(metric: Metric) -> str:
    return place(metric) if metric.evaluated_on or metric.split else ""


def figure(svg: str) -> Markup:
    """A drawn SVG, ready for a page (the drawing code escapes every text it writes).

    A figure whose parts are links cannot be role="img": an image's children are hidden from
    assistive technology, so its links would be unreachable (axe: nested-interactive). Such a
    figure becomes a labelled group instead.
    """
    head, end, rest = svg.partition(">")
    if "<a " in rest:
        head = head.replace(' role="img"', ' role="group"', 1)
    return Markup(head + end + rest)


def model(site: SiteData, page: Page) -> bytes:
    catalog = site.catalog
    found = catalog.models[page.subject]
    link = Linker(page.path)
    today = site.day()
    spans = charts.spans_from_lifecycle(found.versions, today, href=lambda v: link.version(v.ref))

    def version_link(ref: str) -> str | None:
        return link.version(ref) if ref in catalog.versions else None

    history = [(v, primary_reading(found, v, site.metrics)) for v in reversed(found.versions)]
    full = (
        link.to(paths.lineage_path(found.id))
        if has_lineage(catalog, found.id, site.lineage)
        else None
    )
    notices = [
        (v, n)
        for v in found.versions
        if (n := deprecation(catalog, v)) and v.stage is Stage.DEPRECATED
    ]
    return _html(
        site,
        page,
        "model.html",
        found.card.name,
        model=found,
        card=found.card,
        summary=site.summaries[found.id],
        history=history,
        metric_charts=_metric_charts(site, found.id, link),
        timeline=figure(charts.lifecycle_timeline_svg(spans, today=today)),
        lineage=figure(
            lineage_graph_svg(catalog, found.id, href=version_link, index=site.lineage, full=full)
        ),
        lineage_page=full,
        deprecations=notices,
        metric_info=site.metrics,
        edit_url=site.edit_url(found.path),
        board=board_links(site, link),
        compare_page=link.to(paths.compare_path(found.card.task)),
    )


def lineage(site: SiteData, page: Page) -> bytes:
    """The full lineage graph of a model, in a box that pans and zooms (assets/lineage.js)."""
    catalog = site.catalog
    found = catalog.models[page.subject]
    link = Linker(page.path)
    graph = full_lineage_svg(
        catalog,
        found.id,
        index=site.lineage,
        href=lambda ref: link.version(ref) if ref in catalog.versions else None,
    )
    _, edges, omitted = full_lineage(catalog, found.id, site.lineage)
    return _html(
        site,
        page,
        "lineage.html",
        f"Lineage of {found.card.name}",
        model=found,
        card=found.card,
        graph=figure(graph),
        edges=edges,
        omitted=omitted,
        known_versions=catalog.versions,
    )


def compare(site: SiteData, page: Page) -> bytes:
    """The page that compares two versions of a task's models (assets/compare.js builds it
    from compare/<task>/models.js and each model's compare.js)."""
    link = Linker(page.path)
    return _html(
        site,
        page,
        "compare.html",
        f"Compare versions: {page.subject}",
        task=page.subject,
        index_script=link.to(paths.compare_index_path(page.subject)),
        root=paths.root_prefix(page.path),
    )


def _monitoring(site: SiteData, card: Any) -> list[Markup]:
    drawn = []
    for name, points in charts.observations_by_metric(card, site.metrics).items():
        info = site.metrics.get(name)
        label = info.label if info and info.label else name
        svg = charts.monitoring_chart_svg(
            label, points, goal=info.goal if info else None, unit=info.unit if info else None
        )
        drawn.append(figure(svg))
    return drawn


def version(site: SiteData, page: Page) -> bytes:
    catalog = site.catalog
    found = catalog.versions[page.subject]
    owner = catalog.models[found.model_id]
    previous = previous_version(owner, found)
    drift = {
        (name, p.when, p.value): p.drift
        for name, points in charts.observations_by_metric(found.card, site.metrics).items()
        for p in points
    }
    return _html(
        site,
        page,
        "version.html",
        f"{owner.card.name} {found.version}",
        model=owner,
        version=found,
        card=found.card,
        previous=previous,
        summary=site.summaries[owner.id],
        readings=compare_metrics(owner, found, site.metrics),
        changes=card_changes(found.card, previous.card) if previous else [],
        checks=reproducibility(catalog, found),
        notice=deprecation(catalog, found),
        parents=site.parents.get(found.ref, ()),
        children=site.children.get(found.ref, ()),
        aliases=aliases_of(owner, found),
        monitoring=_monitoring(site, found.card),
        drift=drift,
        metric_info=site.metrics,
        edit_url=site.edit_url(found.path),
        board=board_links(site, Linker(page.path)),
        compare_page=Linker(page.path).to(paths.compare_path(owner.card.task)),
        known_versions=catalog.versions,
        exports={
            f.file_name: paths.version_export_path(found.ref, f.file_name)
            for f in EXPORT_FORMATS.values()
        },
        export_formats=list(EXPORT_FORMATS.values()),
    )


def _export(export: ExportFormat) -> Renderer:
    """The renderer of a version's export file in `export`'s format."""

    def render(site: SiteData, page: Page) -> bytes:
        return export.published(site.catalog, site.catalog.versions[page.subject]).encode()

    return render


def dataset(site: SiteData, page: Page) -> bytes:
    found = site.catalog.datasets[page.subject]
    link = Linker(page.path)
    boards = {
        v.version: link.to(site.leaderboards[ref].path)
        for v in found.card.versions
        if (ref := f"{found.id}@{v.version}") in site.leaderboards
    }
    return _html(
        site,
        page,
        "dataset.html",
        found.card.name,
        dataset=found,
        card=found.card,
        usage=site.usage.get(found.id, []),
        edit_url=site.edit_url(found.path),
        leaderboards=boards,
    )


def leaderboard(site: SiteData, page: Page) -> bytes:
    board = site.leaderboards[page.subject]
    found = site.catalog.datasets[board.dataset_id]
    return _html(
        site,
        page,
        "leaderboard.html",
        f"Leaderboard of {board.ref}",
        leaderboard=board,
        dataset=found,
        card=found.card,
        entry=next(v for v in found.card.versions if v.version == board.version),
        models=site.catalog.models,
    )


def governance(site: SiteData, page: Page) -> bytes:
    sections = site.findings()
    total = attention_count(sections)
    return _html(site, page, "governance.html", "Governance", sections=sections, total=total)


def not_found(site: SiteData, page: Page) -> bytes:
    # Served at any address: its style sheet is inlined, since no relative link reaches it.
    style = Markup(asset_source(site.env, paths.STYLE))  # the theme's own file, not card text
    return _html(
        site,
        page,
        "404.html",
        "Page not found",
        absolute=True,
        inline_style=style,
        site_folders=paths.FOLDERS,
    )


def badge(site: SiteData, page: Page) -> bytes:
    summary = site.summaries[page.subject]
    state = summary.status.value if summary.status else "no versions"
    shown = summary.production or ((summary.latest,) if summary.latest else ())
    named = [
        v.version + (f" {traffic_text(summary.traffic[v.ref])}" if v.ref in summary.traffic else "")
        for v in shown
    ]
    status = " ".join([state, ", ".join(named)]).strip()
    return charts.status_badge_svg(page.subject, status, state).encode("utf-8")


def asset(site: SiteData, page: Page) -> bytes:
    return asset_source(site.env, page.subject).encode("utf-8")


@dataclass(frozen=True)
class PageKind:
    """Everything the build knows about a kind of page, in one place.

    `depends`: what its pages are made from, their fingerprint (dependencies.py); a kind that
    declares nothing depends on every card, so it is rendered again after any edit.
    `cost`: the time a page takes beyond an ordinary one, in version pages per version in the
    catalog (parallel.py splits the work by it); pages that list the whole catalog have one.
    `in_sitemap`: whether sitemap.xml lists its pages.
    `reads_today`: whether its pages show the day dates are judged against, or anything
    judged against it (the governance page's findings, the model page's timeline); only those
    are given the day (`SiteData.today`; the others get None) and change with it. A kind that
    does not say reads it, like a kind that declares no dependencies.
    """

    render: Renderer
    depends: Depends = WHOLE_CATALOG
    cost: float = 0.0
    in_sitemap: bool = False
    reads_today: bool = True


# Costs measured on the benchmark catalog of 10,000 versions (a version page takes about
# 2 ms): catalog.json 0.57 s, the home page 0.23 s, the feed 0.14 s. After a one-card edit
# these few pages are most of the work, and they must not all fall to one process.
KINDS: dict[str, PageKind] = {
    "home": PageKind(home, cost=1 / 85, in_sitemap=True, reads_today=False),
    "model": PageKind(model, MODEL, in_sitemap=True),  # the lifecycle timeline runs to today
    "lineage": PageKind(lineage, LINEAGE, in_sitemap=True, reads_today=False),
    "compare": PageKind(compare, COMPARE, in_sitemap=True, reads_today=False),
    "compare-index": PageKind(
        lambda site, page: comparing.task_index(site, page.subject),
        COMPARE_INDEX,
        reads_today=False,
    ),
    "compare-data": PageKind(
        lambda site, page: comparing.model_data(site, site.catalog.models[page.subject]),
        COMPARE_DATA,
        reads_today=False,
    ),
    "version": PageKind(version, VERSION_FAMILY, in_sitemap=True, reads_today=False),
    **{
        export.page_kind: PageKind(_export(export), VERSION_FAMILY, reads_today=False)
        for export in EXPORT_FORMATS.values()
    },
    "dataset": PageKind(dataset, DATASET, in_sitemap=True, reads_today=False),
    "leaderboard": PageKind(leaderboard, LEADERBOARD, in_sitemap=True, reads_today=False),
    "governance": PageKind(governance, in_sitemap=True),  # what needs attention as of today
    # served at any address, listed nowhere
    "not-found": PageKind(not_found, NO_CARDS, reads_today=False),
    "badge": PageKind(badge, BADGE, reads_today=False),
    "asset": PageKind(asset, NO_CARDS, reads_today=False),
    "sitemap": PageKind(lambda site, page: sitemap(site), reads_today=False),
    "catalog-json": PageKind(
        lambda site, page: feeds.catalog_json(site.catalog, site.summaries, site.card_json),
        cost=1 / 35,
        reads_today=False,
    ),
    # a catalog with no lifecycle event yet is dated today
    "feed": PageKind(lambda site, page: feeds.atom_feed(site.catalog, site.day()), cost=1 / 140),
    "search-index": PageKind(
        lambda site, page: search_index(site.catalog, site.summaries), reads_today=False
    ),
    "datasets": PageKind(datasets, in_sitemap=True, reads_today=False),
}


def sitemap(site: SiteData) -> bytes:
    base = site.catalog.settings.base_url or ""
    listed = [p.path for p in site_pages(site.catalog) if KINDS[p.kind].in_sitemap]
    return feeds.sitemap(base, listed)


def render_page(site: SiteData, page: Page) -> dict[str, bytes]:
    kind = KINDS[page.kind]
    return {page.path: kind.render(site if kind.reads_today else site.undated, page)}
