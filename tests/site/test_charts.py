"""The site's pictures: well-formed SVG whose shapes say what the data says."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

from modelcards.cards import CatalogSettings, VersionCard
from modelcards.catalog import ModelVersion
from modelcards.metrics import known_metrics
from modelcards.site.charts import (
    MIN_TEXT_PX,
    MetricPoint,
    MetricSeries,
    ObservationPoint,
    TimelineSpan,
    lifecycle_timeline_svg,
    metric_chart_svg,
    metric_series_svg,
    monitoring_chart_svg,
    nice_ticks,
    observations_by_metric,
    spans_from_lifecycle,
    status_badge_svg,
    time_ticks,
)

from ..helpers.catalogs import EXAMPLE_CATALOG
from ..helpers.site import site_files

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"
TODAY = date(2026, 11, 26)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def tag(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in e.get("class", "").split()]


def tooltip(element: ET.Element) -> str:
    found = element.find(f"{SVG}title")
    assert found is not None and found.text is not None
    return found.text


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text")]


def links(root: ET.Element) -> list[tuple[str | None, ET.Element]]:
    """Each <a>'s href and the element it wraps."""
    return [(a.get("href"), a[0]) for a in root.iter(f"{SVG}a")]


def numbers(svg: str) -> list[float]:
    return [float(n) for n in re.findall(r'="(-?[\d.]+)"', svg)]


def assert_accessible(root: ET.Element) -> tuple[str, str]:
    """role=img, labelled by its own <title> and <desc>; returns their texts."""
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox", "").startswith("0 0 ")
    ids = (root.get("aria-labelledby") or "").split()
    found = {e.get("id"): e for e in root if e.get("id")}
    title, desc = (found[i] for i in ids)
    assert (tag(title), tag(desc)) == ("title", "desc")
    return title.text or "", desc.text or ""


# ---- metric over versions --------------------------------------------------------------------

POINTS = [
    MetricPoint("1.0.0", 0.91, 0.90, 0.92, "../1.0.0/"),
    MetricPoint("1.1.0", 0.93),
    MetricPoint("2.0.0", 0.92, None, None, "../2.0.0/"),
    MetricPoint("2.1.0", 0.95, 0.94, 0.96),
]


def circle_positions(root: ET.Element) -> list[tuple[float, float]]:
    """The plotted points (not the legend's keys)."""
    keys = {id(e) for legend in by_class(root, "mc-legend") for e in legend.iter()}
    return [
        (float(c.get("cx", "nan")), float(c.get("cy", "nan")))
        for c in by_class(root, "mc-point")
        if id(c) not in keys
    ]


def test_metric_chart_draws_one_point_per_version_left_to_right() -> None:
    root = parse(metric_chart_svg(POINTS, title="auc", goal="maximize"))
    points = by_class(root, "mc-point")
    assert [tag(p) for p in points] == ["circle"] * 4
    assert [tooltip(p) for p in points] == [
        "1.0.0: 0.91 [0.9, 0.92]",
        "1.1.0: 0.93",
        "2.0.0: 0.92",
        "2.1.0: 0.95 [0.94, 0.96]",
    ]
    xs = [x for x, _ in circle_positions(root)]
    assert xs == sorted(xs) and len(set(xs)) == 4


def test_metric_chart_puts_higher_values_higher() -> None:
    root = parse(metric_chart_svg(POINTS, title="auc", goal="maximize"))
    ys = [y for _, y in circle_positions(root)]
    by_value = [y for _, y in sorted(zip([p.value for p in POINTS], ys, strict=True))]
    assert by_value == sorted(by_value, reverse=True)  # larger value, smaller y
    assert ys[3] < ys[1] < ys[2] < ys[0]


def test_confidence_intervals_are_drawn_exactly_where_given() -> None:
    root = parse(metric_chart_svg(POINTS, title="auc", goal="maximize"))
    bars = by_class(root, "mc-ci")
    xs = [x for x, _ in circle_positions(root)]
    bar_xs = [float(re.match(r"M([\d.]+) ", b.get("d", "")).group(1)) for b in bars]  # type: ignore[union-attr]
    assert bar_xs == [xs[0], xs[3]]


def test_confidence_interval_spans_lower_to_upper() -> None:
    root = parse(metric_chart_svg([MetricPoint("1.0.0", 0.5, 0.2, 0.9)], title="auc", goal=None))
    (bar,) = by_class(root, "mc-ci")
    ((_, y),) = circle_positions(root)
    top, bottom = (float(v) for v in re.findall(r"M[\d.]+ ([\d.]+)V([\d.]+)", bar.get("d", ""))[0])
    assert top < y < bottom


def test_points_with_a_link_are_wrapped_in_it() -> None:
    root = parse(metric_chart_svg(POINTS, title="auc", goal="maximize"))
    assert [(href, tooltip(inner).split(":")[0]) for href, inner in links(root)] == [
        ("../1.0.0/", "1.0.0"),
        ("../2.0.0/", "2.0.0"),
    ]


def test_script_links_are_dropped() -> None:
    point = MetricPoint("1.0.0", 0.9, href=" JavaScript:alert(1)")
    root = parse(metric_chart_svg([point], title="auc", goal=None))
    assert links(root) == []


def test_direction_of_better_is_written_out() -> None:
    for goal, text in (
        ("maximize", "↑ higher is better"),
        ("minimize", "↓ lower is better"),
        (None, "direction unknown"),
    ):
        root = parse(metric_chart_svg(POINTS, title="auc", goal=goal))
        assert [e.text for e in by_class(root, "mc-better")] == [text]


def test_metric_chart_is_labelled_and_summarised() -> None:
    root = parse(metric_chart_svg(POINTS, title="auc", goal="maximize"))
    assert assert_accessible(root) == (
        "auc",
        "auc over 4 versions, from 0.91 (1.0.0) to 0.95 (2.1.0); higher is better",
    )
    root = parse(metric_chart_svg(POINTS[:1], title="wer", goal="minimize", unit="%"))
    assert assert_accessible(root)[1] == "wer for 1 version: 0.91% (1.0.0); lower is better"
    assert tooltip(by_class(root, "mc-point")[0]) == "1.0.0: 0.91% [0.9, 0.92]"


def test_single_point_and_equal_values_draw_without_dividing_by_zero() -> None:
    for points in ([MetricPoint("1.0.0", 0.9)], [MetricPoint(v, 0.0) for v in ("1.0.0", "2.0.0")]):
        svg = metric_chart_svg(points, title="auc", goal="maximize")
        root = parse(svg)
        assert len(by_class(root, "mc-point")) == len(points)
        assert all(math.isfinite(n) for n in numbers(svg))
        ys = {y for _, y in circle_positions(root)}
        assert len(ys) == 1
        grid = [float(g.get("y1", "nan")) for g in by_class(root, "mc-grid")]
        assert min(grid) < ys.pop() < max(grid)  # the value sits inside the axis
    assert (
        by_class(parse(metric_chart_svg([MetricPoint("1", 1.0)], title="a", goal=None)), "mc-line")
        == []
    )


def test_no_values_gives_a_figure_that_says_so() -> None:
    root = parse(metric_chart_svg([MetricPoint("1.0.0", math.nan)], title="auc", goal=None))
    assert by_class(root, "mc-point") == []
    assert texts(root) == ["auc: no values recorded"]


def test_nice_ticks_are_round_and_cover_the_values() -> None:
    ticks, decimals = nice_ticks([0.912, 0.948])
    assert [f"{t:.{decimals}f}" for t in ticks] == ["0.91", "0.92", "0.93", "0.94", "0.95"]
    ticks, decimals = nice_ticks([3.0, 3.0])
    assert decimals == 1 and ticks[0] < 3.0 < ticks[-1]
    ticks, decimals = nice_ticks([0, 870])
    assert ([round(t) for t in ticks], decimals) == ([0, 200, 400, 600, 800, 1000], 0)


def test_card_text_is_escaped_never_markup() -> None:
    svg = metric_chart_svg([MetricPoint(EVIL, 1.0, href=EVIL)], title=EVIL, goal=None, unit=EVIL)
    root = parse(svg)
    assert not [e for e in root.iter() if tag(e) == "script"]
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert assert_accessible(root)[0] == EVIL
    assert [href for href, _ in links(root)] == []  # no link: urls.link_target refuses < >


def test_charts_are_deterministic_and_ids_differ_between_charts() -> None:
    first = metric_chart_svg(POINTS, title="auc", goal="maximize")
    assert first == metric_chart_svg(POINTS, title="auc", goal="maximize")
    other = metric_chart_svg(POINTS[:2], title="auc", goal="maximize")
    assert parse(first).get("aria-labelledby") != parse(other).get("aria-labelledby")


def x_of_versions(root: ET.Element) -> dict[str, float]:
    """Where each version is written under the plot."""
    axis = by_class(root, "mc-axis-x")[0]
    return {e.text or "": float(e.get("x", "nan")) for e in axis.iter(f"{SVG}text")}


def test_charts_given_the_same_versions_place_each_version_at_the_same_x() -> None:
    versions = ["1.0.0", "1.1.0", "2.0.0", "2.1.0", "3.0.0-rc.1"]
    full = metric_series_svg(
        [MetricSeries("tx@2025-Q4 (test)", tuple(POINTS))], versions, title="auc", goal="maximize"
    )
    sparse = metric_series_svg(
        [MetricSeries("tx@2025-Q4 (test)", (POINTS[0], POINTS[3]))],
        versions,
        title="log loss",
        goal="minimize",
    )
    first, second = parse(full), parse(sparse)
    assert x_of_versions(first) == x_of_versions(second)
    assert list(x_of_versions(first)) == versions  # a version without a value keeps its place
    xs = x_of_versions(first)
    assert [x for x, _ in circle_positions(second)] == [xs["1.0.0"], xs["2.1.0"]]


def test_every_point_names_its_dataset_version_and_split() -> None:
    one = parse(
        metric_series_svg(
            [MetricSeries("tx@2025-Q4 (test)", tuple(POINTS[:2]))],
            ["1.0.0", "1.1.0"],
            title="auc",
            goal="maximize",
        )
    )
    plotted = [p for p in by_class(one, "mc-point") if p.find(f"{SVG}title") is not None]
    assert [tooltip(p) for p in plotted] == [
        "1.0.0: 0.91 [0.9, 0.92] on tx@2025-Q4 (test)",
        "1.1.0: 0.93 on tx@2025-Q4 (test)",
    ]
    assert assert_accessible(one)[0] == "auc on tx@2025-Q4 (test)"
    assert texts(one)[0] == "auc"  # the place is in the legend, the visible title stays short
    assert "tx@2025-Q4 (test)" in [e.text for e in by_class(one, "mc-legend-label")]


def test_many_versions_are_slanted_then_thinned_but_the_last_is_always_named() -> None:
    versions = [f"1.{k}.0" for k in range(40)]
    root = parse(
        metric_series_svg(
            [
                MetricSeries(
                    "", tuple(MetricPoint(v, 0.5 + k / 100) for k, v in enumerate(versions))
                )
            ],
            versions,
            title="auc",
            goal="maximize",
        )
    )
    named = list(x_of_versions(root))
    assert named[0] == "1.0.0" and named[-1] == "1.39.0" and len(named) < 40
    xs = list(x_of_versions(root).values())
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 18  # slanted labels clear
    assert len(by_class(root, "mc-point")) == 40  # every value is still drawn


def smallest_text(svg: str) -> float:
    """The smallest text of a figure at its narrowest, in CSS pixels."""
    root = parse(svg)
    width = float(root.get("viewBox", "").split()[2])
    narrowest = float(re.search(r"min-width:([\d.]+)px", root.get("style", "")).group(1))  # type: ignore[union-attr]
    sizes = [
        float(e.get("font-size") or root.get("font-size") or "nan") for e in root.iter(f"{SVG}text")
    ]
    return min(sizes) * narrowest / width


def test_no_figure_shrinks_its_text_below_eleven_pixels() -> None:
    figures = [
        metric_chart_svg(POINTS, title="auc", goal="maximize"),
        metric_chart_svg([MetricPoint("1.0.0", math.nan)], title="auc", goal=None),
        monitoring_chart_svg(
            "psi", observations_by_metric(MONITORED.card, METRICS)["psi"], goal="minimize"
        ),
        lifecycle_timeline_svg(spans_from_lifecycle([V1, V2], TODAY), today=TODAY),
    ]
    for svg in figures:
        assert smallest_text(svg) >= MIN_TEXT_PX - 0.01


# ---- lifecycle timeline ----------------------------------------------------------------------


def version(
    name: str, events: list[dict[str, Any]], observations: list[dict[str, Any]] | None = None
) -> ModelVersion:
    card = VersionCard.model_validate(
        {
            "version": name,
            "released": events[0]["date"],
            "summary": "s",
            "lifecycle": [{"by": "alice", **e} for e in events],
            "monitoring": {"observations": observations or []},
        }
    )
    return ModelVersion("fraud", name, card, Path(f"models/fraud/{name}.yaml"))


V1 = version(
    "1.0.0",
    [
        {"stage": "development", "date": date(2026, 1, 5)},
        {"stage": "production", "date": date(2026, 1, 20), "approved_by": ["carol"]},
        {"stage": "deprecated", "date": date(2026, 6, 1), "reason": "old", "replaced_by": "2.0.0"},
        {"stage": "retired", "date": date(2026, 9, 1)},
    ],
)
V2 = version(
    "2.0.0",
    [
        {"stage": "staging", "date": date(2026, 5, 1)},
        {"stage": "production", "date": date(2026, 6, 1), "traffic": 90},
    ],
)


def test_spans_follow_the_lifecycle_events() -> None:
    spans = spans_from_lifecycle([V1, V2], TODAY, lambda v: f"../{v.version}/")
    assert [(s.version, s.stage, s.start, s.end, s.traffic) for s in spans] == [
        ("1.0.0", "development", date(2026, 1, 5), date(2026, 1, 20), None),
        ("1.0.0", "production", date(2026, 1, 20), date(2026, 6, 1), None),
        ("1.0.0", "deprecated", date(2026, 6, 1), date(2026, 9, 1), None),
        ("1.0.0", "retired", date(2026, 9, 1), date(2026, 9, 1), None),  # a zero-length marker
        ("2.0.0", "staging", date(2026, 5, 1), date(2026, 6, 1), None),
        ("2.0.0", "production", date(2026, 6, 1), None, 90.0),  # still current
    ]
    assert {s.href for s in spans} == {"../1.0.0/", "../2.0.0/"}


def test_events_after_today_are_not_drawn_yet() -> None:
    spans = spans_from_lifecycle([V1], date(2026, 7, 1))
    assert [(s.stage, s.end) for s in spans][-1] == ("deprecated", None)
    assert len(spans) == 3


def rows(root: ET.Element) -> list[tuple[str, list[ET.Element]]]:
    found = []
    for row in by_class(root, "mc-row"):
        (label,) = by_class(row, "mc-row-label")
        found.append((label.text or "", by_class(row, "mc-bar")))
    return found


def test_timeline_has_one_row_per_version_newest_on_top() -> None:
    spans = spans_from_lifecycle([V1, V2], TODAY, lambda v: f"../{v.version}/")
    root = parse(lifecycle_timeline_svg(spans, today=TODAY))
    found = rows(root)
    assert [name for name, _ in found] == ["2.0.0", "1.0.0"]
    assert [len(bars) for _, bars in found] == [2, 4]
    tops = [float(by_class(r, "mc-row-label")[0].get("y", "nan")) for r in by_class(root, "mc-row")]
    assert tops[0] < tops[1]
    bars = found[1][1]
    assert [b.get("class") for b in bars] == [
        "mc-bar mc-stage-development",
        "mc-bar mc-stage-production",
        "mc-bar mc-stage-deprecated",
        "mc-bar mc-stage-retired",
    ]
    starts = [float(b.get("x", "nan")) for b in bars]
    assert starts == sorted(starts) and len(set(starts)) == 4
    assert tooltip(found[0][1][1]) == "2.0.0: production from 2026-06-01 to today (90% of traffic)"


def test_open_spans_reach_today() -> None:
    spans = spans_from_lifecycle([V2], TODAY)
    root = parse(lifecycle_timeline_svg(spans, today=TODAY))
    (today,) = by_class(root, "mc-today")
    (open_bar,) = by_class(root, "mc-open")
    end = float(open_bar.get("x", "nan")) + float(open_bar.get("width", "nan"))
    assert abs(end - float(today.get("x1", "nan"))) < 0.11


def test_production_traffic_is_labelled_below_100_only() -> None:
    spans = [
        TimelineSpan("1.0.0", "production", date(2026, 1, 1), None, 100.0),
        TimelineSpan("1.1.0", "production", date(2026, 2, 1), None, 90.0),
        TimelineSpan("1.2.0", "production", date(2026, 3, 1), None, 10.0),
        TimelineSpan("1.3.0", "staging", date(2026, 3, 1), None, 50.0),
    ]
    root = parse(lifecycle_timeline_svg(spans, today=TODAY))
    assert [e.text for e in by_class(root, "mc-traffic")] == ["10%", "90%"]
    # A label that does not fit inside its bar sits after it, marked so CSS can colour it.
    narrow = [TimelineSpan("1.0.0", "production", date(2026, 11, 20), None, 50.0)]
    wide = [TimelineSpan("1.0.0", "production", date(2026, 1, 1), None, 50.0)]
    early = TimelineSpan("0.1.0", "development", date(2025, 1, 1))  # sets the time scale
    for spans_, classes in ((narrow, "mc-traffic mc-outside"), (wide, "mc-traffic")):
        root = parse(lifecycle_timeline_svg([*spans_, early], today=TODAY))
        assert [e.get("class") for e in by_class(root, "mc-traffic")] == [classes]


def test_timeline_links_rows_and_bars() -> None:
    spans = spans_from_lifecycle([V2], TODAY, lambda v: f"../{v.version}/")
    root = parse(lifecycle_timeline_svg(spans, today=TODAY))
    assert [href for href, _ in links(root)] == ["../2.0.0/"] * 3


def test_time_ticks_pick_months_quarters_or_years() -> None:
    assert time_ticks(date(2026, 1, 15), date(2026, 5, 2)) == [
        (date(2026, m, 1), f"2026-0{m}") for m in (2, 3, 4, 5)
    ]
    assert [label for _, label in time_ticks(date(2025, 11, 1), date(2026, 11, 26))] == [
        "2026 Q1",
        "2026 Q2",
        "2026 Q3",
        "2026 Q4",
    ]
    assert [label for _, label in time_ticks(date(2020, 3, 1), date(2026, 1, 1))] == [
        str(y) for y in range(2021, 2027)
    ]
    assert time_ticks(date(2026, 1, 5), date(2026, 1, 20)) == [
        (date(2026, 1, 5), "2026-01-05"),
        (date(2026, 1, 20), "2026-01-20"),
    ]


def test_timeline_is_deterministic_and_escaped() -> None:
    spans = [TimelineSpan(EVIL, EVIL, date(2026, 1, 1), None, None, None)]
    svg = lifecycle_timeline_svg(spans, today=TODAY)
    assert svg == lifecycle_timeline_svg(spans, today=TODAY)
    root = parse(svg)
    assert not [e for e in root.iter() if tag(e) == "script"]
    assert [name for name, _ in rows(root)] == [EVIL]
    (bar,) = by_class(root, "mc-bar")
    assert bar.get("class") == "mc-bar mc-stage-script-alert-1-script mc-open"


def test_empty_timeline_says_so() -> None:
    root = parse(lifecycle_timeline_svg([], today=TODAY))
    assert texts(root) == ["No lifecycle events recorded"]


# ---- monitoring ------------------------------------------------------------------------------

OBSERVATIONS = [
    {"date": date(2026, 2, 1), "metric": "auc", "value": 0.95, "threshold": 0.93},
    {"date": date(2026, 2, 1), "metric": "psi", "value": 0.10, "threshold": 0.25},
    {"date": date(2026, 3, 1), "metric": "auc", "value": 0.92, "threshold": 0.93},
    {"date": date(2026, 3, 1), "metric": "psi", "value": 0.25, "threshold": 0.25},
    {"date": date(2026, 4, 1), "metric": "auc", "value": 0.93, "threshold": 0.93},
    {"date": date(2026, 4, 1), "metric": "psi", "value": 0.31, "threshold": 0.25},
    {"date": date(2026, 5, 1), "metric": "auc", "value": 0.90},
    {"date": date(2026, 5, 1), "metric": "psi", "value": 0.20, "threshold": 0.30},
    {"date": date(2026, 2, 1), "metric": "made_up", "value": 9.0, "threshold": 1.0},
]
MONITORED = version("2.0.0", [{"stage": "production", "date": date(2026, 1, 20)}], OBSERVATIONS)
METRICS = known_metrics(CatalogSettings())


def test_drift_is_a_threshold_crossed_in_the_bad_direction() -> None:
    grouped = observations_by_metric(MONITORED.card, METRICS)
    assert list(grouped) == ["auc", "psi", "made_up"]
    assert [p.drift for p in grouped["auc"]] == [False, True, False, False]  # maximize: below
    assert [p.drift for p in grouped["psi"]] == [False, False, True, False]  # minimize: above
    assert [p.drift for p in grouped["made_up"]] == [False]  # goal unknown


def test_monitoring_chart_marks_exactly_the_drifting_observations() -> None:
    for metric, goal, drifted in (
        ("auc", "maximize", "2026-03-01"),
        ("psi", "minimize", "2026-04-01"),
    ):
        points = observations_by_metric(MONITORED.card, METRICS)[metric]
        root = parse(monitoring_chart_svg(metric, points, goal=goal))
        drifts = by_class(root, "mc-drift")
        assert [tooltip(d).split(":")[0] for d in drifts] == [drifted]
        assert "drift" in tooltip(drifts[0])
        assert len(by_class(root, "mc-point")) == 4
        assert "drift (threshold crossed)" in texts(root)  # told in words, not colour alone


def test_monitoring_chart_without_drift_shows_no_drift_marker() -> None:
    points = [
        ObservationPoint(date(2026, 1, 1), 0.1, 0.25, False),
        ObservationPoint(date(2026, 2, 1), 0.2, None, False),
    ]
    root = parse(monitoring_chart_svg("psi", points, goal="minimize"))
    assert by_class(root, "mc-drift") == []
    assert not any("drift" in t for t in texts(root))
    assert len(by_class(root, "mc-threshold")) == 1


def test_thresholds_are_dashed_lines_at_their_value() -> None:
    points = observations_by_metric(MONITORED.card, METRICS)["psi"]
    root = parse(monitoring_chart_svg("psi", points, goal="minimize"))
    lines = by_class(root, "mc-threshold")
    assert len(lines) == 2  # 0.25 for three observations, then 0.30
    assert all(line.get("stroke-dasharray") for line in lines)
    first, second = (float(line.get("y1", "nan")) for line in lines)
    assert second < first  # 0.30 is above 0.25
    ys = [float(p.get("cy", "nan")) for p in by_class(root, "mc-point") if tag(p) == "circle"]
    assert ys[0] > first and ys[-1] > second  # 0.10 below the 0.25 line, 0.20 below 0.30


def test_monitoring_x_follows_dates() -> None:
    points = [
        ObservationPoint(date(2026, 1, 1), 1.0),
        ObservationPoint(date(2026, 1, 11), 2.0),
        ObservationPoint(date(2026, 1, 31), 3.0),
    ]
    root = parse(monitoring_chart_svg("mae", list(reversed(points)), goal="minimize"))
    xs = [float(c.get("cx", "nan")) for c in by_class(root, "mc-point")]
    assert xs[0] < xs[1] < xs[2]
    assert abs((xs[1] - xs[0]) * 3 - (xs[2] - xs[0])) < 0.2  # 10 of 30 days
    assert [e.text for e in by_class(root, "mc-better")] == ["↓ lower is better"]


def test_a_threshold_on_the_last_observation_only_is_a_labelled_line_across_the_plot() -> None:
    points = [
        ObservationPoint(date(2026, 3, 2), 0.954),
        ObservationPoint(date(2026, 6, 1), 0.951),
        ObservationPoint(date(2026, 10, 1), 0.941, 0.93),
    ]
    root = parse(monitoring_chart_svg("auc", points, goal="maximize"))
    (line,) = by_class(root, "mc-threshold")
    grid = sorted(
        float(g.get("y1", "nan")) for g in by_class(root, "mc-grid") if g.get("y1") == g.get("y2")
    )
    at = float(line.get("y1", "nan"))
    assert grid[0] < at < grid[-1]  # inside the plot, not on its edge
    x1, x2 = float(line.get("x1", "nan")), float(line.get("x2", "nan"))
    lefts = [
        float(g.get("x1", "nan")) for g in by_class(root, "mc-grid") if g.get("y1") == g.get("y2")
    ]
    assert x1 == min(lefts) and x2 - x1 > 300  # across the plot, not a dash at the last point
    (label,) = by_class(root, "mc-threshold-label")
    assert label.text == "threshold 0.93"
    assert float(label.get("x", "nan")) > x1 + 100  # inside the plot, clear of the y axis labels
    axis_ys = {float(e.get("y", "nan")) for e in by_class(root, "mc-axis-x")[0].iter(f"{SVG}text")}
    assert all(abs(float(label.get("y", "nan")) - y) > 14 for y in axis_ys)


def test_changing_thresholds_are_steps_that_meet_halfway() -> None:
    points = observations_by_metric(MONITORED.card, METRICS)["psi"]
    root = parse(monitoring_chart_svg("psi", points, goal="minimize"))
    first, second = by_class(root, "mc-threshold")
    xs = [
        float(c.get("cx") or re.findall(r"[\d.]+", c.get("d", ""))[0])
        for c in by_class(root, "mc-point")
    ]
    assert float(first.get("x2", "nan")) == float(second.get("x1", "nan"))
    assert xs[2] < float(first.get("x2", "nan")) < xs[3]


def test_monitoring_single_observation_and_escaping() -> None:
    svg = monitoring_chart_svg(EVIL, [ObservationPoint(date(2026, 1, 1), 5.0, 5.0)], goal=None)
    root = parse(svg)
    assert all(math.isfinite(n) for n in numbers(svg))
    assert not [e for e in root.iter() if tag(e) == "script"]
    assert assert_accessible(root) == (
        EVIL,
        f"{EVIL}: 1 observation on 2026-01-01, latest 5; 0 with drift; direction unknown",
    )
    assert svg == monitoring_chart_svg(
        EVIL, [ObservationPoint(date(2026, 1, 1), 5.0, 5.0)], goal=None
    )


# ---- status badge ----------------------------------------------------------------------------


def test_badge_is_labelled_and_sized_from_its_text() -> None:
    root = parse(status_badge_svg("fraud-detector", "production 2.1.0", "production"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "fraud-detector: production 2.1.0"
    assert texts(root) == ["fraud-detector", "production 2.1.0"]
    assert "mc-stage-production" in root.get("class", "").split()
    longer = parse(status_badge_svg("fraud-detector-edge", "production 2.1.0", "production"))
    assert int(longer.get("width", "0")) > int(root.get("width", "0"))
    label, status = by_class(root, "mc-badge-label")[0], by_class(root, "mc-badge-status")[0]
    assert status.get("width") == root.get("width")
    assert 0 < int(label.get("width", "0")) < int(root.get("width", "0"))


def test_badge_colour_follows_the_stage() -> None:
    def colour(stage: str) -> str | None:
        return by_class(parse(status_badge_svg("m", "s", stage)), "mc-badge-status")[0].get("fill")

    assert colour("production") == colour("mc-stage-production")
    assert len({colour(s) for s in ("production", "staging", "deprecated", "retired")}) == 4
    assert colour("none") == colour("unknown")


def test_badge_escapes_and_is_deterministic() -> None:
    svg = status_badge_svg(EVIL, EVIL, EVIL)
    assert svg == status_badge_svg(EVIL, EVIL, EVIL)
    root = parse(svg)
    assert not [e for e in root.iter() if tag(e) == "script"]
    assert root.get("aria-label") == f"{EVIL}: {EVIL}"


# ---- on a page -------------------------------------------------------------------------------


def test_a_model_pages_metric_charts_share_one_x_axis() -> None:

    page = site_files(EXAMPLE_CATALOG)["models/fraud-detector/index.html"].decode()
    svgs = re.findall(r'<svg[^>]*class="mc-chart mc-metric-chart".*?</svg>', page, re.S)
    axes = [x_of_versions(parse(svg)) for svg in svgs]
    assert len(axes) >= 3
    assert all(axis == axes[0] for axis in axes)
    assert list(axes[0]) == ["1.0.0", "2.0.0", "2.1.0", "2.2.0", "3.0.0-rc.1"]
    # log loss has no value for 3.0.0-rc.1, and still keeps its place for it
    assert any(
        "3.0.0-rc.1"
        not in "".join(
            tooltip(p)
            for p in by_class(parse(svg), "mc-point")
            if p.find(f"{SVG}title") is not None
        )
        for svg in svgs
    )
