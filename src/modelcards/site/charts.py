"""Pictures for the static site, drawn as inline SVG text at build time.

Every function here is pure: data in, SVG text out. No chart library and no script, so pages
work opened from disk; no clock and no randomness, and every number is written with a fixed
precision, so the same data always gives the same bytes.

Colours come from CSS classes and `currentColor`, so the site's style sheet (light and dark)
decides them; presentation attributes are only fallbacks that CSS overrides. The status badge
is the exception: it is a standalone file shown outside the site (a README), so it carries its
own colours.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from ..cards import MetricInfo, Stage, VersionCard
from ..catalog import ModelVersion
from ..metrics import crosses
from ..semver import version_key
from ..urls import link_target

# ---- shared SVG primitives (also used by lineage.py) -----------------------------------------


def esc(text: str) -> str:
    """Text made safe for an XML text node or attribute value."""
    return escape(text, quote=True)


def num(value: float, digits: int = 1) -> str:
    """A coordinate with fixed precision, never "-0.0", so output is byte-stable."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def value_text(value: float, unit: str | None = None) -> str:
    """A metric value as people read it: up to 6 significant digits, then the unit."""
    text = f"{value:.6g}"
    text = "0" if text == "-0" else text
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def linked(content: str, href: str | None) -> str:
    """`content` wrapped in a link when there is a target a page may link to (a page of the
    site, or a web address: urls.link_target)."""
    target = link_target(href)
    return f'<a href="{esc(target)}">{content}</a>' if target else content


def css_token(text: str) -> str:
    """A value made fit for a class name (mc-stage-<token>)."""
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "unknown"


MIN_TEXT_PX = 11  # no text of a figure is ever drawn smaller than this, in CSS pixels
TEXT = 12  # the default font size of a figure, in its own units


def figure(
    css_class: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: Iterable[str],
    text: float = TEXT,
    fixed: bool = False,
) -> str:
    """A complete, accessible, responsive <svg> element.

    It shrinks with a narrow column, but never below the width at which its smallest text
    (`text`, in the figure's units) would be drawn under MIN_TEXT_PX: a narrower column
    scrolls the figure sideways instead (figure.chart is a scroll box), and the page never
    does. Text is never smaller than `text` inside the figure, so that one width holds.
    A `fixed` figure is drawn at its own size (a page that pans and zooms it sets its size).

    The ids that tie aria-labelledby to <title> and <desc> come from a hash of the content,
    so several figures can sit on one page and the output stays deterministic.
    """
    content = "\n".join(body)
    digest = hashlib.sha256("\0".join((css_class, title, desc, content)).encode()).hexdigest()
    uid = f"mc-{digest[:12]}"
    narrowest = min(width, math.ceil(width * MIN_TEXT_PX / text))
    size = (
        f'width="{num(width)}" height="{num(height)}"'
        if fixed
        else f'width="100%" style="max-width:{num(width)}px;min-width:{num(narrowest)}px"'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" '
        f'viewBox="0 0 {num(width)} {num(height)}" {size} role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" fill="currentColor" '
        f'font-size="{num(text, 0)}">\n'
        f'<title id="{uid}-title">{esc(title)}</title>\n'
        f'<desc id="{uid}-desc">{esc(desc)}</desc>\n'
        f"{content}\n</svg>"
    )


def message_figure(css_class: str, title: str, message: str) -> str:
    """A small figure that only says something (no data to draw)."""
    text = f'<text class="mc-empty" x="8" y="24">{esc(message)}</text>'
    return figure(f"{css_class} mc-empty-figure", 320, 40, title, message, [text])


# ---- scales and axes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """Maps a data interval onto a pixel interval; a zero-width domain maps to the middle."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.hi == self.lo:
            return (self.start + self.end) / 2
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


def nice_ticks(values: Iterable[float], count: int = 5) -> tuple[list[float], int]:
    """About `count` round ticks covering every value (steps of 1, 2 or 5 times 10^n).

    Returns the ticks and how many decimals their labels need. Equal values get a small
    range around them, so nothing divides by zero.
    """
    finite = [v for v in values if math.isfinite(v)] or [0.0]
    lo, hi = min(finite), max(finite)
    if lo == hi:
        pad = abs(lo) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    fraction = raw / power
    step = power * (1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return [i * step for i in range(first, last + 1)], decimals


@dataclass(frozen=True)
class Frame:
    """The plotting area inside a figure of `width` x `height`."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def x_end(self) -> float:
        return self.width - self.right

    @property
    def y_end(self) -> float:
        return self.height - self.bottom


def y_axis(frame: Frame, ticks: Sequence[float], decimals: int, y: Scale) -> list[str]:
    """Horizontal grid lines with their value labels on the left."""
    parts = ['<g class="mc-axis mc-axis-y">']
    for tick in ticks:
        at = num(y(tick))
        parts.append(
            f'<line class="mc-grid" x1="{num(frame.left)}" y1="{at}" x2="{num(frame.x_end)}" '
            f'y2="{at}" stroke="currentColor" stroke-opacity="0.15"/>'
        )
        parts.append(
            f'<text x="{num(frame.left - 6)}" y="{at}" dy="0.32em" text-anchor="end">'
            f"{tick:.{decimals}f}</text>"
        )
    parts.append("</g>")
    return parts


def direction_text(goal: str | None) -> str:
    if goal == "maximize":
        return "↑ higher is better"
    if goal == "minimize":
        return "↓ lower is better"
    return "direction unknown"


CHART_TEXT = 13  # font size of the charts' text, in their units
_CHAR = 8.0  # a generous width of one character at CHART_TEXT (digits are the widest)


def text_width(text: str, size: float = CHART_TEXT) -> float:
    """An estimate that errs wide: layouts that use it leave room rather than overlap."""
    return len(text) * _CHAR * size / CHART_TEXT


def clipped(text: str, room: float, size: float = CHART_TEXT) -> str:
    """`text`, cut with an ellipsis to fit `room` (the full text stays in the figure's title)."""
    most = max(int(room / (_CHAR * size / CHART_TEXT)), 4)
    return text if len(text) <= most else text[: most - 1] + "…"


def heading(frame: Frame, title: str, goal: str | None, unit: str | None = None) -> list[str]:
    """The visible title, then which direction is better and the unit, above the plot."""
    note = direction_text(goal) + (f" · in {unit}" if unit else "")
    room = frame.width - 4
    return [
        f'<text class="mc-chart-title" x="2" y="16" font-weight="bold">'
        f"{esc(clipped(title, room))}</text>",
        f'<text class="mc-better" x="2" y="34">{esc(clipped(note, room))}</text>',
    ]


def polyline(points: Sequence[tuple[float, float]]) -> list[str]:
    if len(points) < 2:
        return []
    coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return [
        f'<polyline class="mc-line" points="{coords}" fill="none" stroke="currentColor" '
        'stroke-width="2"/>'
    ]


# ---- a metric over versions, one line per dataset version and split -------------------------


@dataclass(frozen=True)
class MetricPoint:
    label: str  # the version
    value: float
    lower: float | None = None
    upper: float | None = None
    href: str | None = None


@dataclass(frozen=True)
class MetricSeries:
    """The values of one metric measured on one dataset version and split, version by version."""

    label: str  # where: "tx@2025-Q4 (test)"; empty when the entries name no dataset or split
    points: tuple[MetricPoint, ...]


# Narrow enough for a phone (390 px less the page's margins) at MIN_TEXT_PX, and three to a row
# on a laptop: the width is fixed, so one version sits at the same place in every chart.
METRIC_WIDTH = 400
_LEFT, _RIGHT, _PLOT_TOP, _PLOT_HEIGHT = 58, 14, 58, 160
_SERIES_STYLES = 6  # colours (CSS classes mc-series-1..6) and dash patterns, reused in turn
_DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
_LEGEND_ROW = 20
_SLANT = 45  # degrees, when version labels do not fit side by side
_LINE = CHART_TEXT * 1.3


def metric_chart_svg(
    points: Sequence[MetricPoint], *, title: str, goal: str | None, unit: str | None = None
) -> str:
    """A line chart of one metric over versions, in the given order, evenly spaced."""
    axis = list(dict.fromkeys(p.label for p in points))
    return metric_series_svg(
        [MetricSeries("", tuple(points))], axis, title=title, goal=goal, unit=unit
    )


def metric_series_svg(
    series: Sequence[MetricSeries],
    versions: Sequence[str],
    *,
    title: str,
    goal: str | None,
    unit: str | None = None,
) -> str:
    """A metric over versions, one line per dataset version and split, with a legend: values
    measured on different data are never joined by one line.

    `versions` is the x axis, every one of them in that order, with or without a value here:
    charts of one model's metrics given the same versions place each version at the same x,
    so they can be read side by side. A confidence interval is drawn (as an error bar) where
    both bounds are given; values that are not finite are left out, and a chart left with
    none says so.
    """
    drawn = [s for s in series if any(math.isfinite(p.value) for p in s.points)]
    only = drawn[0].label if len(drawn) == 1 else ""
    named = f"{title} on {only}" if only else title
    if not drawn:
        return message_figure("mc-chart mc-metric-chart", title, f"{title}: no values recorded")
    axis = [*versions, *(p.label for s in drawn for p in s.points if p.label not in versions)]
    axis = list(dict.fromkeys(axis))
    labels = _version_axis(axis)
    legend = _series_legend_rows(drawn) if any(s.label for s in drawn) else []
    bottom = labels.depth + len(legend) * _LEGEND_ROW + (8 if legend else 0)
    frame = Frame(METRIC_WIDTH, _PLOT_TOP + _PLOT_HEIGHT + bottom, _LEFT, _PLOT_TOP, _RIGHT, bottom)
    values = [
        v
        for s in drawn
        for p in s.points
        for v in (p.value, p.lower, p.upper)
        if v is not None and math.isfinite(v)
    ]
    ticks, decimals = nice_ticks(values)
    y = Scale(ticks[0], ticks[-1], frame.y_end, frame.top)
    slot = (frame.x_end - frame.left) / len(axis)
    x = {label: frame.left + (i + 0.5) * slot for i, label in enumerate(axis)}
    body = [
        *heading(frame, title, goal, unit),
        *y_axis(frame, ticks, decimals, y),
        *labels.draw(frame, x),
    ]
    for index, one in enumerate(drawn):
        body += _series(index, one, x, y, unit)
    body += _series_legend(frame, legend)
    desc = (
        _metric_desc(named, drawn[0], goal, unit)
        if len(drawn) == 1
        else _series_desc(title, drawn, goal, unit)
    )
    return figure(
        "mc-chart mc-metric-chart", frame.width, frame.height, named, desc, body, text=CHART_TEXT
    )


@dataclass(frozen=True)
class VersionAxis:
    """How the versions are written under the plot: side by side, slanted when they do not
    fit, and only every `every`-th one (the last always) when even slanted they would touch."""

    labels: tuple[str, ...]
    slanted: bool
    every: int
    depth: float  # the room the labels take below the plot

    def shown(self) -> list[str]:
        last = len(self.labels) - 1
        return [
            label
            for i, label in enumerate(self.labels)
            if i == last or (i % self.every == 0 and last - i >= self.every / 2)
        ]

    def draw(self, frame: Frame, x: Mapping[str, float]) -> list[str]:
        at_y = num(frame.y_end + CHART_TEXT + 6)
        parts = ['<g class="mc-axis mc-axis-x">']
        for label in self.shown():
            at = num(x[label])
            turn = f' transform="rotate(-{_SLANT} {at} {at_y})"' if self.slanted else ""
            anchor = "end" if self.slanted else "middle"
            parts.append(
                f'<text x="{at}" y="{at_y}" text-anchor="{anchor}"{turn}>{esc(label)}</text>'
            )
        parts.append("</g>")
        return parts


def _version_axis(labels: Sequence[str]) -> VersionAxis:
    slot = (METRIC_WIDTH - _LEFT - _RIGHT) / max(len(labels), 1)
    widest = max((text_width(label) for label in labels), default=0.0)
    if widest + 8 <= slot:
        return VersionAxis(tuple(labels), False, 1, CHART_TEXT + 16)
    every = max(1, math.ceil(_LINE / math.sin(math.radians(_SLANT)) / slot))
    depth = CHART_TEXT + 8 + 0.8 * widest * math.sin(math.radians(_SLANT))
    return VersionAxis(tuple(labels), True, every, depth)


def _has_ci(point: MetricPoint) -> bool:
    return (
        point.lower is not None
        and point.upper is not None
        and math.isfinite(point.lower)
        and math.isfinite(point.upper)
    )


def metric_tooltip(point: MetricPoint, unit: str | None = None, where: str = "") -> str:
    """ "2.1.0: 0.947 [0.941, 0.953] on tx@2025-Q4 (test)"."""
    text = f"{point.label}: {value_text(point.value, unit)}"
    if _has_ci(point):
        assert point.lower is not None and point.upper is not None
        text += f" [{value_text(point.lower)}, {value_text(point.upper)}]"
    return f"{text} on {where}" if where else text


def _ci_bar(x: float, point: MetricPoint, y: Scale) -> str:
    assert point.lower is not None and point.upper is not None
    top, bottom = num(y(point.upper)), num(y(point.lower))
    left, right = num(x - 5), num(x + 5)
    return (
        f'<path class="mc-ci" d="M{num(x)} {top}V{bottom}M{left} {top}H{right}M{left} {bottom}'
        f'H{right}" fill="none" stroke="currentColor" stroke-opacity="0.6"/>'
    )


def _metric_desc(title: str, series: MetricSeries, goal: str | None, unit: str | None) -> str:
    better = direction_text(goal).lstrip("↑↓ ")
    points = [p for p in series.points if math.isfinite(p.value)]
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"{title} for 1 version: {value_text(first.value, unit)} ({first.label}); {better}"
    return (
        f"{title} over {len(points)} versions, from {value_text(first.value, unit)} "
        f"({first.label}) to {value_text(last.value, unit)} ({last.label}); {better}"
    )


def _series(
    index: int, series: MetricSeries, x: Mapping[str, float], y: Scale, unit: str | None
) -> list[str]:
    style = index % _SERIES_STYLES
    shown = [p for p in series.points if math.isfinite(p.value)]
    parts = [f'<g class="mc-series mc-series-{style + 1}">']
    if len(shown) > 1:
        coords = " ".join(f"{num(x[p.label])},{num(y(p.value))}" for p in shown)
        dash = f' stroke-dasharray="{_DASHES[style]}"' if _DASHES[style] else ""
        parts.append(
            f'<polyline class="mc-line" points="{coords}" fill="none" '
            f'stroke="currentColor" stroke-width="2"{dash}/>'
        )
    parts += [_ci_bar(x[p.label], p, y) for p in shown if _has_ci(p)]
    for point in shown:
        tip = metric_tooltip(point, unit, series.label)
        marker = _marker(style, x[point.label], y(point.value), f"<title>{esc(tip)}</title>")
        parts.append(linked(marker, point.href))
    parts.append("</g>")
    return parts


def _marker(style: int, cx: float, cy: float, content: str = "") -> str:
    """A point's mark; its shape differs from series to series, so they are told apart
    without colour."""
    shape = style % 4
    if shape == 0:
        return f'<circle class="mc-point" cx="{num(cx)}" cy="{num(cy)}" r="4">{content}</circle>'
    if shape == 1:
        return (
            f'<rect class="mc-point" x="{num(cx - 4)}" y="{num(cy - 4)}" width="8" '
            f'height="8">{content}</rect>'
        )
    if shape == 2:
        return (
            f'<path class="mc-point" d="M{num(cx)} {num(cy - 5)}L{num(cx + 5)} '
            f'{num(cy + 4)}H{num(cx - 5)}Z">{content}</path>'
        )
    return (
        f'<path class="mc-point" d="M{num(cx)} {num(cy - 5)}L{num(cx + 5)} {num(cy)}'
        f'L{num(cx)} {num(cy + 5)}L{num(cx - 5)} {num(cy)}Z">{content}</path>'
    )


def _series_legend_rows(series: Sequence[MetricSeries]) -> list[list[tuple[int, str]]]:
    """The legend's entries (series index, label), wrapped into rows that fit the width."""
    rows: list[list[tuple[int, str]]] = [[]]
    used = 0.0
    room = METRIC_WIDTH - 8
    for index, one in enumerate(series):
        label = clipped(one.label or "no named dataset", room - 30)
        width = _legend_width(label)
        if rows[-1] and used + width > room:
            rows.append([])
            used = 0.0
        rows[-1].append((index, label))
        used += width
    return rows


def _legend_width(label: str) -> float:
    return 30 + text_width(label) + 14


def _series_legend(frame: Frame, rows: Sequence[Sequence[tuple[int, str]]]) -> list[str]:
    if not rows:
        return []
    parts = ['<g class="mc-legend">']
    for number, row in enumerate(rows):
        y = frame.height - 12 - (len(rows) - 1 - number) * _LEGEND_ROW
        at = 4.0
        for index, label in row:
            style = index % _SERIES_STYLES
            dash = f' stroke-dasharray="{_DASHES[style]}"' if _DASHES[style] else ""
            parts.append(
                f'<g class="mc-series mc-series-{style + 1}"><line class="mc-line" '
                f'x1="{num(at)}" y1="{num(y)}" x2="{num(at + 24)}" y2="{num(y)}" '
                f'stroke="currentColor" stroke-width="2"{dash}/>'
                f"{_marker(style, at + 12, y)}</g>"
            )
            parts.append(
                f'<text class="mc-legend-label" x="{num(at + 30)}" y="{num(y)}" '
                f'dy="0.32em">{esc(label)}</text>'
            )
            at += _legend_width(label)
    parts.append("</g>")
    return parts


def _series_desc(
    title: str, series: Sequence[MetricSeries], goal: str | None, unit: str | None
) -> str:
    better = direction_text(goal).lstrip("↑↓ ")
    parts = []
    for one in series:
        shown = [p for p in one.points if math.isfinite(p.value)]
        first, last = shown[0], shown[-1]
        where = one.label or "no named dataset"
        if len(shown) == 1:
            parts.append(f"on {where}, {value_text(first.value, unit)} ({first.label})")
        else:
            parts.append(
                f"on {where}, from {value_text(first.value, unit)} ({first.label}) "
                f"to {value_text(last.value, unit)} ({last.label})"
            )
    return (
        f"{title} over versions, one line per dataset version and split: "
        + "; ".join(parts)
        + f"; {better}"
    )


# ---- time axis -------------------------------------------------------------------------------


def _month_starts(first: date, last: date, every: int) -> list[date]:
    """First days of months (every `every` months, aligned to January) within [first, last]."""
    months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    starts = (date(m // 12, m % 12 + 1, 1) for m in months if m % every == 0)
    return [d for d in starts if first <= d <= last]


def time_ticks(first: date, last: date, most: int = 8) -> list[tuple[date, str]]:
    """Month, quarter or year ticks, whichever gives at most `most` of them."""
    labels: tuple[tuple[int, Callable[[date], str]], ...] = (
        (1, lambda d: f"{d.year}-{d.month:02d}"),
        (3, lambda d: f"{d.year} Q{(d.month - 1) // 3 + 1}"),
        (12, lambda d: str(d.year)),
    )
    for every, label in labels:
        ticks = _month_starts(first, last, every)
        if len(ticks) <= most:
            if not ticks:  # less than a month: label both ends instead
                ends = [first] if first == last else [first, last]
                return [(d, d.isoformat()) for d in ends]
            return [(d, label(d)) for d in ticks]
    years = _month_starts(first, last, 12)
    return [(d, str(d.year)) for d in years[:: math.ceil(len(years) / most)]]


def time_axis(
    frame: Frame, x: Scale, ticks: Sequence[tuple[date, str]], top: float, bottom: float
) -> list[str]:
    """Vertical grid lines from `top` to `bottom` with date labels below."""
    parts = ['<g class="mc-axis mc-axis-x">']
    for when, label in ticks:
        at = num(x(when.toordinal()))
        parts.append(
            f'<line class="mc-grid" x1="{at}" y1="{num(top)}" x2="{at}" '
            f'y2="{num(bottom)}" stroke="currentColor" stroke-opacity="0.15"/>'
        )
        parts.append(
            f'<text x="{at}" y="{num(bottom + 16)}" text-anchor="middle">{esc(label)}</text>'
        )
    parts.append("</g>")
    return parts


# ---- lifecycle timeline ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineSpan:
    version: str
    stage: str
    start: date
    end: date | None = None  # None: still the current stage
    traffic: float | None = None
    href: str | None = None


def spans_from_lifecycle(
    versions: Sequence[ModelVersion], today: date, href: Callable[[ModelVersion], str] | None = None
) -> list[TimelineSpan]:
    """One span per lifecycle event, ending where the next event starts.

    The last span stays open (end None) unless its stage is retired: retirement is final, so
    it is a zero-length end marker. Events dated after `today` have not happened yet and are
    left out (the span before them stays open).
    """
    spans: list[TimelineSpan] = []
    for entry in versions:
        events = [e for e in entry.card.lifecycle if e.date <= today]
        link = href(entry) if href else None
        for event, following in zip(events, [*events[1:], None], strict=True):
            end = following.date if following else None
            if following is None and event.stage is Stage.RETIRED:
                end = event.date
            spans.append(
                TimelineSpan(entry.version, event.stage.value, event.date, end, event.traffic, link)
            )
    return spans


STAGE_ORDER = [stage.value for stage in Stage]
# Fallback shading when no style sheet colours the stages: later stages fade out.
_STAGE_OPACITY = {
    "development": 0.3,
    "staging": 0.45,
    "production": 0.6,
    "archived": 0.2,
    "deprecated": 0.2,
    "retired": 0.1,
}
_ROW, _BAR, _LABELS, _AXIS, _LEGEND, _TOP = 26, 16, 110, 28, 26, 28
_TIMELINE_WIDTH = 720


def lifecycle_timeline_svg(spans: Sequence[TimelineSpan], *, today: date) -> str:
    """A Gantt-like timeline: one row per version, newest on top, bars coloured by stage.

    Rows are ordered by SemVer precedence when every version is SemVer, else by first
    appearance in `spans`, newest (last) on top. Open spans are drawn up to `today`.
    """
    title = "Lifecycle timeline"
    if not spans:
        return message_figure("mc-chart mc-timeline", title, "No lifecycle events recorded")
    rows = _timeline_rows(spans)
    first = min(s.start for s in spans)
    last = max([today, *(s.start for s in spans), *(s.end for s in spans if s.end)])
    last = max(last, first + timedelta(days=1))
    height = _TOP + len(rows) * _ROW + _AXIS + _LEGEND
    frame = Frame(_TIMELINE_WIDTH, height, _LABELS, _TOP, 44, _AXIS + _LEGEND)
    x = Scale(first.toordinal(), last.toordinal(), frame.left, frame.x_end)
    body = [
        *time_axis(frame, x, time_ticks(first, last), frame.top, frame.y_end),
        *_today_marker(frame, x, today),
        *(
            part
            for index, (version, row) in enumerate(rows)
            for part in _timeline_row(frame, index, version, row, x, today)
        ),
        *_stage_legend(frame, spans),
    ]
    return figure(
        "mc-chart mc-timeline", frame.width, frame.height, title, _timeline_desc(rows, today), body
    )


def _timeline_rows(spans: Sequence[TimelineSpan]) -> list[tuple[str, list[TimelineSpan]]]:
    rows: dict[str, list[TimelineSpan]] = {}
    for span in spans:
        rows.setdefault(span.version, []).append(span)
    names = list(rows)
    with contextlib.suppress(ValueError):  # not all SemVer: keep the order given
        names = sorted(names, key=version_key)
    return [(name, rows[name]) for name in reversed(names)]


def _today_marker(frame: Frame, x: Scale, today: date) -> list[str]:
    at = num(x(today.toordinal()))
    return [
        f'<line class="mc-today" x1="{at}" y1="{num(frame.top - 6)}" x2="{at}" '
        f'y2="{num(frame.y_end)}" stroke="currentColor" stroke-dasharray="3 3"/>',
        f'<text class="mc-today-label" x="{at}" y="{num(frame.top - 10)}" text-anchor="middle">'
        "today</text>",
    ]


def _timeline_row(
    frame: Frame, index: int, version: str, spans: Sequence[TimelineSpan], x: Scale, today: date
) -> list[str]:
    top = frame.top + index * _ROW
    href = next((s.href for s in spans if s.href), None)
    label = (
        f'<text class="mc-row-label" x="{num(frame.left - 8)}" y="{num(top + _ROW / 2)}" '
        f'dy="0.32em" text-anchor="end">{esc(version)}</text>'
    )
    bars = [_timeline_bar(span, x, top + (_ROW - _BAR) / 2, today) for span in spans]
    return [f'<g class="mc-row">{linked(label, href)}', *bars, "</g>"]


def traffic_text(traffic: float) -> str:
    return f"{traffic:g}%"


def _timeline_bar(span: TimelineSpan, x: Scale, top: float, today: date) -> str:
    end = max(span.end or today, span.start)
    left = x(span.start.toordinal())
    width = max(x(end.toordinal()) - left, 3.0)  # a zero-length span still shows as a marker
    stage = css_token(span.stage)
    classes = f"mc-bar mc-stage-{stage}" + (" mc-open" if span.end is None else "")
    until = "today" if span.end is None else span.end.isoformat()
    tip = f"{span.version}: {span.stage} from {span.start.isoformat()} to {until}"
    show_traffic = span.stage == "production" and span.traffic is not None and span.traffic < 100
    if span.traffic is not None:
        tip += f" ({traffic_text(span.traffic)} of traffic)"
    parts = [
        f'<rect class="{classes}" x="{num(left)}" y="{num(top)}" width="{num(width)}" '
        f'height="{_BAR}" rx="2" fill-opacity="{_STAGE_OPACITY.get(stage, 0.3)}">'
        f"<title>{esc(tip)}</title></rect>"
    ]
    if show_traffic:
        assert span.traffic is not None
        # Inside a wide bar; after a narrow one (the right margin leaves room at "today").
        inside = width >= 40
        at, where = (left + 4, "") if inside else (left + width + 3, " mc-outside")
        parts.append(
            f'<text class="mc-traffic{where}" x="{num(at)}" y="{num(top + _BAR / 2)}" '
            f'dy="0.32em">{traffic_text(span.traffic)}</text>'
        )
    return linked("".join(parts), span.href)


def _stage_legend(frame: Frame, spans: Sequence[TimelineSpan]) -> list[str]:
    present = {s.stage for s in spans}
    stages = [s for s in STAGE_ORDER if s in present] + sorted(present - set(STAGE_ORDER))
    y, at = frame.height - 16, frame.left
    parts = ['<g class="mc-legend">']
    for stage in stages:
        token = css_token(stage)
        parts.append(
            f'<rect class="mc-legend-swatch mc-stage-{token}" x="{num(at)}" '
            f'y="{num(y - 5)}" width="12" height="10" rx="2" '
            f'fill-opacity="{_STAGE_OPACITY.get(token, 0.3)}"/>'
        )
        parts.append(f'<text x="{num(at + 16)}" y="{num(y)}" dy="0.32em">{esc(stage)}</text>')
        at += 16 + 7 * len(stage) + 16
    parts.append("</g>")
    return parts


def _timeline_desc(rows: Sequence[tuple[str, Sequence[TimelineSpan]]], today: date) -> str:
    current = []
    for version, spans in rows:
        span = spans[-1]
        since = f" since {span.start.isoformat()}"
        current.append(
            f"{version} {span.stage}{since}" if span.end is None else f"{version} {span.stage}"
        )
    return (
        f"Lifecycle of {len(rows)} version{'s' if len(rows) != 1 else ''} up to "
        f"{today.isoformat()}: " + "; ".join(current)
    )


# ---- monitoring observations -----------------------------------------------------------------


@dataclass(frozen=True)
class ObservationPoint:
    when: date
    value: float
    threshold: float | None = None
    drift: bool = False


def observations_by_metric(
    card: VersionCard, metrics: Mapping[str, MetricInfo]
) -> dict[str, list[ObservationPoint]]:
    """A version's monitoring observations per metric (first-seen order), oldest first.

    An observation drifts when it crosses its threshold in the metric's bad direction; with no
    threshold, or a metric whose goal is unknown, it does not.
    """
    grouped: dict[str, list[ObservationPoint]] = {}
    observations = card.monitoring.observations if card.monitoring else []
    for observation in observations:
        info = metrics.get(observation.metric)
        drift = (
            observation.threshold is not None
            and info is not None
            and crosses(info.goal, observation.value, observation.threshold)
        )
        grouped.setdefault(observation.metric, []).append(
            ObservationPoint(observation.date, observation.value, observation.threshold, drift)
        )
    return {name: sorted(points, key=lambda p: p.when) for name, points in grouped.items()}


_MONITOR_AXIS = CHART_TEXT + 20  # the date labels under the plot


def monitoring_chart_svg(
    metric: str, points: Sequence[ObservationPoint], *, goal: str | None, unit: str | None = None
) -> str:
    """Observations of one metric over time, thresholds dashed, drift marked by shape.

    Drift points are triangles (class mc-drift) and the legend names them, so drift is not
    told by colour alone.
    """
    shown = sorted((p for p in points if math.isfinite(p.value)), key=lambda p: p.when)
    if not shown:
        return message_figure("mc-chart mc-monitoring", metric, f"{metric}: no observations")
    legend = _monitoring_legend_items(shown)
    rows = _wrap(legend, METRIC_WIDTH - 8)
    bottom = _MONITOR_AXIS + len(rows) * _LEGEND_ROW + 4
    frame = Frame(METRIC_WIDTH, _PLOT_TOP + _PLOT_HEIGHT + bottom, _LEFT, _PLOT_TOP, _RIGHT, bottom)
    ticks, decimals = _ticks_clear_of(
        [v for p in shown for v in (p.value, p.threshold) if v is not None],
        [p.threshold for p in shown if p.threshold is not None],
    )
    y = Scale(ticks[0], ticks[-1], frame.y_end, frame.top)
    first, last = shown[0].when, shown[-1].when
    x = Scale(first.toordinal(), last.toordinal(), frame.left + 12, frame.x_end - 12)
    most = max(2, int((frame.x_end - frame.left) // text_width("2026 Q1 ")))
    body = [
        *heading(frame, metric, goal, unit),
        *y_axis(frame, ticks, decimals, y),
        *time_axis(frame, x, time_ticks(first, last, most), frame.top, frame.y_end),
        *polyline([(x(p.when.toordinal()), y(p.value)) for p in shown]),
        *_threshold_lines(frame, shown, x, y, unit),
        *(_observation(p, x, y, unit) for p in shown),
        *_monitoring_legend(frame, rows),
    ]
    return figure(
        "mc-chart mc-monitoring",
        frame.width,
        frame.height,
        metric,
        _monitoring_desc(metric, shown, goal, unit),
        body,
        text=CHART_TEXT,
    )


def _ticks_clear_of(values: Sequence[float], lines: Sequence[float]) -> tuple[list[float], int]:
    """Ticks covering `values`, with one more step where a line would lie on the edge of the
    plot (a threshold drawn on the axis reads as part of it)."""
    ticks, decimals = nice_ticks(values)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    finite = [v for v in lines if math.isfinite(v)]
    if any(math.isclose(v, ticks[0], abs_tol=step * 1e-6) for v in finite):
        ticks.insert(0, ticks[0] - step)
    if any(math.isclose(v, ticks[-1], abs_tol=step * 1e-6) for v in finite):
        ticks.append(ticks[-1] + step)
    return ticks, decimals


def _threshold_runs(points: Sequence[ObservationPoint]) -> list[list[ObservationPoint]]:
    """Consecutive observations that share the same threshold."""
    runs: list[list[ObservationPoint]] = []
    previous: float | None = None
    for point in points:
        threshold = point.threshold
        if threshold is None or not math.isfinite(threshold):
            previous = None
            continue
        if threshold == previous:
            runs[-1].append(point)
        else:
            runs.append([point])
        previous = threshold
    return runs


def _threshold_lines(
    frame: Frame, points: Sequence[ObservationPoint], x: Scale, y: Scale, unit: str | None
) -> list[str]:
    """Each threshold as a dashed line with its value written at its right end.

    One threshold for the whole chart (however many observations state it, even only the
    last) is a line across the plot. Thresholds that change are steps: each holds from
    halfway after the observation before it to halfway before the next one, the first from
    the plot's left edge, the last to its right edge.
    """
    runs = _threshold_runs(points)
    if not runs:
        return []
    places = [x(p.when.toordinal()) for p in points]
    index = {id(p): i for i, p in enumerate(points)}

    def halfway(i: int, j: int, edge: float) -> float:
        return (places[i] + places[j]) / 2 if 0 <= j < len(places) else edge

    if len({run[0].threshold for run in runs}) == 1:
        spans = [(runs[0][0], frame.left, frame.x_end)]
    else:
        spans = []
        for number, run in enumerate(runs):
            first, last = index[id(run[0])], index[id(run[-1])]
            start = frame.left if number == 0 else halfway(first, first - 1, frame.left)
            end = frame.x_end if number == len(runs) - 1 else halfway(last, last + 1, frame.x_end)
            spans.append((run[0], start, end))
    parts = []
    for point, start, end in spans:
        assert point.threshold is not None
        at = y(point.threshold)
        text = f"threshold {value_text(point.threshold, unit)}"
        parts.append(
            f'<line class="mc-threshold" x1="{num(start)}" y1="{num(at)}" x2="{num(end)}" '
            f'y2="{num(at)}" stroke="currentColor" stroke-dasharray="6 4"><title>'
            f"{esc(text)}</title></line>"
        )
        if end - start >= text_width(text) + 4:
            above = at - 5 if at - frame.top > CHART_TEXT + 4 else at + CHART_TEXT + 3
            parts.append(
                f'<text class="mc-threshold-label" x="{num(end - 2)}" '
                f'y="{num(above)}" text-anchor="end">{esc(text)}</text>'
            )
    return parts


def observation_tooltip(point: ObservationPoint, unit: str | None = None) -> str:
    """ "2026-03-01: 0.31 (threshold 0.25, drift)"."""
    text = f"{point.when.isoformat()}: {value_text(point.value, unit)}"
    notes = [] if point.threshold is None else [f"threshold {value_text(point.threshold, unit)}"]
    notes += ["drift"] if point.drift else []
    return f"{text} ({', '.join(notes)})" if notes else text


def _observation(point: ObservationPoint, x: Scale, y: Scale, unit: str | None) -> str:
    cx, cy = x(point.when.toordinal()), y(point.value)
    tip = f"<title>{esc(observation_tooltip(point, unit))}</title>"
    if point.drift:
        return (
            f'<path class="mc-point mc-drift" d="M{num(cx)} {num(cy - 7)}L{num(cx + 6)} '
            f'{num(cy + 4)}H{num(cx - 6)}Z">{tip}</path>'
        )
    return f'<circle class="mc-point" cx="{num(cx)}" cy="{num(cy)}" r="4">{tip}</circle>'


def _monitoring_legend_items(points: Sequence[ObservationPoint]) -> list[tuple[str, float]]:
    items = ["observation"]
    if any(p.threshold is not None for p in points):
        items.append("threshold")
    if any(p.drift for p in points):
        items.append("drift (threshold crossed)")
    return [(item, 30 + text_width(item)) for item in items]


def _wrap(items: Sequence[tuple[str, float]], room: float) -> list[list[tuple[str, float]]]:
    """Legend entries (text, width) in rows no wider than `room`."""
    rows: list[list[tuple[str, float]]] = [[]]
    used = 0.0
    for item in items:
        if rows[-1] and used + item[1] > room:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += item[1]
    return rows


def _monitoring_legend(frame: Frame, rows: Sequence[Sequence[tuple[str, float]]]) -> list[str]:
    parts = ['<g class="mc-legend">']
    for number, row in enumerate(rows):
        middle = frame.height - 12 - (len(rows) - 1 - number) * _LEGEND_ROW
        y, left = num(middle), 4.0
        for item, width in row:
            if item == "observation":
                parts.append(f'<circle class="mc-point-key" cx="{num(left + 8)}" cy="{y}" r="4"/>')
            elif item == "threshold":
                parts.append(
                    f'<line class="mc-threshold-key" x1="{num(left)}" y1="{y}" '
                    f'x2="{num(left + 20)}" y2="{y}" stroke="currentColor" '
                    'stroke-dasharray="6 4"/>'
                )
            else:
                parts.append(
                    f'<path class="mc-drift-key" d="M{num(left + 8)} {num(middle - 6)}'
                    f'L{num(left + 14)} {num(middle + 5)}H{num(left + 2)}Z"/>'
                )
            parts.append(f'<text x="{num(left + 26)}" y="{y}" dy="0.32em">{esc(item)}</text>')
            left += width
    parts.append("</g>")
    return parts


def _monitoring_desc(
    metric: str, points: Sequence[ObservationPoint], goal: str | None, unit: str | None
) -> str:
    drifts = sum(p.drift for p in points)
    better = direction_text(goal).lstrip("↑↓ ")
    span = (
        f"on {points[0].when.isoformat()}"
        if len(points) == 1
        else f"from {points[0].when.isoformat()} to {points[-1].when.isoformat()}"
    )
    count = f"{len(points)} observation{'s' if len(points) != 1 else ''}"
    return (
        f"{metric}: {count} {span}, latest {value_text(points[-1].value, unit)}; "
        f"{drifts} with drift; {better}"
    )


# ---- status badge ----------------------------------------------------------------------------

# White text on these colours has a contrast ratio of at least 4.5:1.
BADGE_COLOURS = {
    "production": "#2e7d32",
    "staging": "#1565c0",
    "development": "#6a1b9a",
    "archived": "#616161",
    "deprecated": "#b45309",
    "retired": "#b71c1c",
}
_BADGE_LABEL_COLOUR, _BADGE_OTHER_COLOUR = "#555", "#757575"
_CHAR_WIDTH, _BADGE_PADDING = 6.5, 12  # Verdana 11px, estimated: the same text, the same width


def badge_text_width(text: str) -> int:
    return math.ceil(len(text) * _CHAR_WIDTH) + _BADGE_PADDING


def status_badge_svg(label: str, status: str, stage_class: str) -> str:
    """A shields.io-style flat badge, "fraud-detector | production 2.1.0", as a standalone file.

    `stage_class` is a stage name ("production") or its class ("mc-stage-production"); it picks
    the colour of the status half. Widths come from a fixed per-character estimate.
    """
    token = css_token(stage_class.removeprefix("mc-stage-"))
    colour = BADGE_COLOURS.get(token, _BADGE_OTHER_COLOUR)
    left, right = badge_text_width(label), badge_text_width(status)
    total = left + right
    spoken = esc(f"{label}: {status}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mc-badge mc-stage-{token}" '
        f'width="{total}" height="20" viewBox="0 0 {total} 20" role="img" aria-label="{spoken}">'
        f"<title>{spoken}</title>"
        f'<rect class="mc-badge-status" width="{total}" height="20" rx="3" fill="{colour}"/>'
        f'<rect class="mc-badge-label" width="{left}" height="20" rx="3" '
        f'fill="{_BADGE_LABEL_COLOUR}"/>'
        f'<rect x="{left - 3}" width="3" height="20" fill="{_BADGE_LABEL_COLOUR}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'font-size="11">'
        f'<text x="{num(left / 2)}" y="14">{esc(label)}</text>'
        f'<text x="{num(left + right / 2)}" y="14">{esc(status)}</text>'
        "</g></svg>\n"
    )
