"""Lineage graphs, laid out as layered graphs and drawn as inline SVG.

Two graphs per model:
- on the model page, `model_neighbourhood`: every version of the model, and the versions of
  other models (or external sources) that are direct parents or children of one of them.
  Siblings are not followed (a popular base model would pull in half the catalog), at most
  MAX_NEIGHBOURS on each side are drawn (a "+N more" node links to the full graph), and long
  chains fold (`fold_chains`): versions that only pass the line on, neither live nor first nor
  last, become one node that links to the full graph;
- on its own page, `lineage_subgraph` with no depth limit: every ancestor and descendant of
  the model's versions, nothing folded, at most MAX_NODES nodes (the nearest).

Layout, left to right (parents left, children right), a small Sugiyama-style layout:
1. Layer: the longest path to a node from a root, so every parent sits in a column strictly
   left of its children. Found by relaxing the edges at most once per node, which ends even
   on a cycle (a valid catalog has none; an invalid one must not hang us).
2. Route: an edge that skips columns gets a waypoint in each column it crosses (a "dummy"
   node, as Sugiyama has it), which takes a slot in that column like a node does: the edge
   passes between the nodes there, never through one.
3. Order: each column starts sorted by ref; a few sweeps then sort each column by the
   barycentre (mean position) of its neighbours in the column before (left-to-right sweep) or
   after (right-to-left), ties broken by ref, so the result is deterministic.
4. Place: nodes are stacked in order, then pulled towards their neighbours' height (a few
   sweeps, keeping order and spacing), so chains run straight.
Text is at least 12 units and the figure never scales below 11/12 (charts.figure), so no
label is drawn below 11 px; a graph wider than its column scrolls inside its figure.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..cards import Stage
from ..catalog import Catalog, LineageEdge
from ..urls import web_url
from .charts import css_token, esc, figure, linked, message_figure, num

MAX_NODES = 150  # on the full graph: a page stays well under 300 KB
MAX_NEIGHBOURS = 12  # cross-model parents, and children, on the model page
NO_LINEAGE = "No lineage recorded"
_SWEEPS = 4
_NODE_H, _GAP_X, _GAP_Y, _MARGIN, _CHAR = 40, 84, 16, 12, 7.4
_WAY_H, _WAY_GAP = 6, 8  # the slot an edge takes in a column it crosses
_MIN_W, _MAX_W, _MAX_CHARS = 110, 260, 32
_TEXT = 12
LIVE = frozenset({Stage.PRODUCTION, Stage.STAGING})


@dataclass(frozen=True)
class LineageNode:
    ref: str  # "model@version", an external id, or the key of a fold or "more" node
    hops: int  # distance from the nearest version of the focus model (0 for those)
    external: bool = False
    url: str | None = None  # an external parent's page, when the card gives one
    folded: tuple[str, ...] = ()  # a fold: the versions it stands for, in chain order
    more: int = 0  # a "+N more" node: how many neighbours it stands for


@dataclass(frozen=True)
class Link:
    """An edge as drawn: a lineage edge, or one to a fold or "more" node (relation None)."""

    parent: str
    child: str
    relation: str | None
    title: str


def _link(edge: LineageEdge) -> Link:
    relation = edge.relation.value
    return Link(edge.parent, edge.child, relation, f"{edge.child} {relation} from {edge.parent}")


# ---- which nodes -----------------------------------------------------------------------------


def _adjacency(edges: Iterable[LineageEdge]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for edge in edges:
        parents.setdefault(edge.child, []).append(edge.parent)
        children.setdefault(edge.parent, []).append(edge.child)
    return parents, children


@dataclass(frozen=True)
class LineageIndex:
    """The catalog's lineage edges indexed once, so each model page reads only its part
    (scanning every edge for every model made a large catalog's build quadratic)."""

    parents: Mapping[str, list[str]]
    children: Mapping[str, list[str]]
    edges_into: Mapping[str, list[LineageEdge]]  # child ref -> the edges to its parents


def index_lineage(edges: Sequence[LineageEdge]) -> LineageIndex:
    parents, children = _adjacency(edges)
    into: dict[str, list[LineageEdge]] = {}
    for edge in edges:
        into.setdefault(edge.child, []).append(edge)
    return LineageIndex(parents, children, into)


def _reach(starts: Iterable[str], step: Mapping[str, list[str]], depth: int) -> dict[str, int]:
    """Hops from `starts` to everything within `depth` steps along `step` (breadth first)."""
    seen = dict.fromkeys(starts, 0)
    frontier = sorted(seen)
    distance = 0
    while frontier and distance < depth:
        distance += 1
        frontier = sorted({n for ref in frontier for n in step.get(ref, ()) if n not in seen})
        seen.update(dict.fromkeys(frontier, distance))
    return seen


def _focus(catalog: Catalog, focus_model: str) -> list[str]:
    model = catalog.models.get(focus_model)
    return [v.ref for v in (model.versions if model else catalog.versions_of(focus_model))]


def _nodes_and_edges(
    hops: Mapping[str, int], index: LineageIndex
) -> tuple[list[LineageNode], list[LineageEdge]]:
    edges = sorted(
        {e for ref in hops for e in index.edges_into.get(ref, ()) if e.parent in hops},
        key=lambda e: (e.parent, e.child, e.relation.value),
    )
    externals = {e.parent for e in edges if e.external}
    urls = {e.parent: e.url for e in reversed(edges) if e.external and e.url}
    nodes = [
        LineageNode(ref, hops[ref], ref in externals, urls.get(ref))
        for ref in sorted(hops, key=lambda r: (hops[r], r))
    ]
    return nodes, edges


def lineage_subgraph(
    catalog: Catalog,
    focus_model: str,
    depth: int | None = None,
    index: LineageIndex | None = None,
) -> tuple[list[LineageNode], list[LineageEdge]]:
    """The nodes around `focus_model` (nearest first, then by ref) and the edges among them:
    its versions, their ancestors and their descendants, `depth` hops at most (None: all)."""
    index = index or index_lineage(catalog.lineage)
    focus = _focus(catalog, focus_model)
    most = depth if depth is not None else len(index.edges_into) + 1
    up, down = _reach(focus, index.parents, most), _reach(focus, index.children, most)
    far = most + 1
    hops = {ref: min(up.get(ref, far), down.get(ref, far)) for ref in {*up, *down}}
    return _nodes_and_edges(hops, index)


def keep_nearest(
    nodes: Sequence[LineageNode], edges: Sequence[LineageEdge], limit: int
) -> tuple[list[LineageNode], list[LineageEdge], int]:
    """At most `limit` nodes, nearest first (but always every focus version), and how many
    were left out."""
    keep = max(limit, sum(1 for n in nodes if n.hops == 0))
    ordered = sorted(nodes, key=lambda n: (n.hops, n.ref))
    kept = ordered[:keep]
    names = {n.ref for n in kept}
    kept_edges = [e for e in edges if e.child in names and e.parent in names]
    return kept, kept_edges, len(ordered) - len(kept)


@dataclass(frozen=True)
class Neighbourhood:
    """What the model page draws: nodes (with fold and "more" nodes) and the links among them."""

    nodes: list[LineageNode]
    links: list[Link]
    edges: list[LineageEdge] = field(default_factory=list)  # the lineage edges drawn or folded


def model_neighbourhood(
    catalog: Catalog,
    focus_model: str,
    index: LineageIndex | None = None,
    limit: int = MAX_NEIGHBOURS,
) -> Neighbourhood:
    """The model's versions, their direct parents and children in other models (at most
    `limit` on each side, nearest by ref; "+N more" nodes stand for the others), with long
    chains of versions folded."""
    index = index or index_lineage(catalog.lineage)
    focus = _focus(catalog, focus_model)
    mine = set(focus)

    def first(refs: Iterable[str]) -> list[str]:  # live versions first, then by ref
        return sorted(set(refs), key=lambda r: (not _live(catalog, r), r))

    up = first(p for ref in focus for p in index.parents.get(ref, ()) if p not in mine)
    down = first(c for ref in focus for c in index.children.get(ref, ()) if c not in mine)
    up, hidden_up = _cap(up, limit)
    down, hidden_down = _cap(down, limit)
    hops = {**dict.fromkeys(up, 1), **dict.fromkeys(down, 1), **dict.fromkeys(focus, 0)}
    nodes, edges = _nodes_and_edges(hops, index)
    links = [_link(e) for e in edges]
    for side, hidden in (("parents", hidden_up), ("children", hidden_down)):
        if not hidden:
            continue
        key = f"~{len(hidden)} more {side}"  # "~" sorts after every ref: drawn last
        nodes.append(LineageNode(key, 1, more=len(hidden)))
        # One link, from the latest version with a hidden child (to the earliest with a
        # hidden parent), puts the node in the right column without a bundle of lines.
        near = index.parents if side == "parents" else index.children
        owners = [ref for ref in focus if set(hidden) & set(near.get(ref, ()))]
        ref = owners[0] if side == "parents" else owners[-1]
        pair = (key, ref) if side == "parents" else (ref, key)
        links.append(Link(*pair, None, f"{len(hidden)} more {side} not shown"))
    folded_nodes, folded_links = fold_chains(catalog, nodes, links, focus_model)
    return Neighbourhood(folded_nodes, folded_links, edges)


def _live(catalog: Catalog, ref: str) -> bool:
    entry = catalog.versions.get(ref)
    return entry is not None and entry.stage in LIVE


def _cap(refs: list[str], limit: int) -> tuple[list[str], list[str]]:
    """The first refs to draw, and the others (one node fewer, for the "+N more" node)."""
    return (refs, []) if len(refs) <= limit else (refs[: limit - 1], refs[limit - 1 :])


def fold_chains(
    catalog: Catalog,
    nodes: Sequence[LineageNode],
    links: Sequence[Link],
    focus_model: str,
    shortest: int = 2,
) -> tuple[list[LineageNode], list[Link]]:
    """Runs of at least `shortest` versions of the focus model that only pass the line on,
    each replaced by one node.

    A version folds when it has exactly one parent and one child in the graph, both versions
    of the focus model, and it is neither the first nor the latest version, nor in production
    or staging: what a reader needs (where the line starts and ends, what is live, where
    other models branch off) stays drawn."""
    into: dict[str, list[Link]] = {}
    out: dict[str, list[Link]] = {}
    for one in links:
        into.setdefault(one.child, []).append(one)
        out.setdefault(one.parent, []).append(one)
    model = catalog.models.get(focus_model)
    ends = {model.versions[0].ref, model.versions[-1].ref} if model and model.versions else set()

    def quiet(ref: str) -> bool:
        entry = catalog.versions.get(ref)
        ins, outs = into.get(ref, []), out.get(ref, [])
        return (
            entry is not None
            and entry.model_id == focus_model
            and ref not in ends
            and entry.stage not in LIVE
            and len(ins) == 1
            and len(outs) == 1
            and _same_model(ins[0].parent, focus_model)
            and _same_model(outs[0].child, focus_model)
        )

    runs: list[list[str]] = []
    seen: set[str] = set()
    for node in sorted(nodes, key=lambda n: n.ref):
        ref = node.ref
        if ref in seen or not quiet(ref) or quiet(into[ref][0].parent):
            continue
        run = [ref]
        seen.add(ref)
        while quiet(nxt := out[run[-1]][0].child) and nxt not in seen:
            run.append(nxt)
            seen.add(nxt)
        if len(run) >= shortest:
            runs.append(run)
    if not runs:
        return list(nodes), list(links)
    replaced: dict[str, str] = {}
    folds = []
    for run in runs:
        key = f"{run[0]}…{run[-1].partition('@')[2]}"
        replaced.update(dict.fromkeys(run, key))
        folds.append(LineageNode(key, 0, folded=tuple(run)))
    kept_nodes = [n for n in nodes if n.ref not in replaced] + folds
    kept_links = []
    for one in links:
        parent, child = replaced.get(one.parent, one.parent), replaced.get(one.child, one.child)
        if parent == child:
            continue
        if parent != one.parent or child != one.child:
            one = replace(one, parent=parent, child=child, relation=None)
        kept_links.append(one)
    return kept_nodes, kept_links


def _same_model(ref: str, model_id: str) -> bool:
    return ref.partition("@")[0] == model_id


# ---- layout ----------------------------------------------------------------------------------


def assign_layers(
    refs: Iterable[str], edges: Sequence[LineageEdge] | Sequence[Link]
) -> dict[str, int]:
    """Each node's column: the longest path to it from a root (0 for roots)."""
    layer = dict.fromkeys(refs, 0)
    ceiling = max(len(layer) - 1, 0)  # no path is longer, unless there is a cycle
    for _ in range(len(layer)):
        changed = False
        for edge in edges:
            wanted = min(layer[edge.parent] + 1, ceiling)
            if wanted > layer[edge.child]:
                layer[edge.child] = wanted
                changed = True
        if not changed:
            break
    return layer


def _waypoint(parent: str, child: str, column: int) -> str:
    # "\x00" sorts first and never occurs in a ref: waypoints never collide with nodes.
    return f"\x00{parent}\x00{child}\x00{column:06d}"


def routes(
    layer: Mapping[str, int], edges: Sequence[LineageEdge] | Sequence[Link]
) -> dict[tuple[str, str], list[str]]:
    """Each edge's path through the columns: parent, a waypoint per column skipped, child."""
    found: dict[tuple[str, str], list[str]] = {}
    for edge in edges:
        start, end = layer[edge.parent], layer[edge.child]
        middle = [_waypoint(edge.parent, edge.child, c) for c in range(start + 1, end)]
        found[(edge.parent, edge.child)] = [edge.parent, *middle, edge.child]
    return found


def _segments(paths: Iterable[Sequence[str]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for path in paths:
        for left, right in itertools.pairwise(path):
            before.setdefault(right, []).append(left)
            after.setdefault(left, []).append(right)
    return before, after


def _centred_positions(columns: Sequence[Sequence[str]]) -> dict[str, float]:
    return {ref: i - (len(col) - 1) / 2 for col in columns for i, ref in enumerate(col)}


def _by_barycentre(
    column: Sequence[str], neighbours: Mapping[str, list[str]], position: Mapping[str, float]
) -> list[str]:
    def key(ref: str) -> tuple[float, str]:
        near = [position[n] for n in neighbours.get(ref, ()) if n in position]
        return (sum(near) / len(near) if near else position[ref], ref)

    return sorted(column, key=key)


def order_layers(
    layer: Mapping[str, int], edges: Sequence[LineageEdge] | Sequence[Link], sweeps: int = _SWEEPS
) -> list[list[str]]:
    """Columns of refs and waypoints, each ordered to keep edges short and uncrossed."""
    paths = routes(layer, edges)
    place = dict(layer)
    for path in paths.values():
        for step, ref in enumerate(path[1:-1], start=1):
            place[ref] = layer[path[0]] + step
    count = max(place.values(), default=-1) + 1
    columns = [sorted(r for r in place if place[r] == i) for i in range(count)]
    before, after = _segments(paths.values())
    for _ in range(sweeps):
        for index in range(1, count):
            columns[index] = _by_barycentre(columns[index], before, _centred_positions(columns))
        for index in range(count - 2, -1, -1):
            columns[index] = _by_barycentre(columns[index], after, _centred_positions(columns))
    return columns


def is_waypoint(ref: str) -> bool:
    return ref.startswith("\x00")


def _extent(ref: str) -> tuple[float, float]:
    """A slot's height and the gap it keeps below it."""
    return (_WAY_H, _WAY_GAP) if is_waypoint(ref) else (_NODE_H, _GAP_Y)


def _pack(column: Sequence[str], wanted: Mapping[str, float]) -> dict[str, float]:
    """Tops for the column's slots, in order and apart, as near their wanted tops as that
    allows: pushed down where they would overlap, then the whole column moved by the mean
    difference (which keeps them apart)."""
    tops: dict[str, float] = {}
    floor = float("-inf")
    for ref in column:
        height, gap = _extent(ref)
        tops[ref] = max(wanted[ref], floor)
        floor = tops[ref] + height + gap
    shift = sum(wanted[r] - tops[r] for r in column) / max(len(column), 1)
    return {ref: top + shift for ref, top in tops.items()}


def place(
    columns: Sequence[Sequence[str]], widths: Sequence[float], paths: Iterable[Sequence[str]] = ()
) -> dict[str, tuple[float, float]]:
    """The top-left corner of each slot: columns side by side, each slot pulled towards the
    height of what it connects to along `paths` (a few sweeps), then all moved inside the
    margin."""
    before, after = _segments(paths)
    tops: dict[str, float] = {}
    for column in columns:
        floor = 0.0
        for ref in column:
            height, gap = _extent(ref)
            tops[ref] = floor
            floor += height + gap
    tallest = max((tops[c[-1]] + _extent(c[-1])[0] for c in columns if c), default=0.0)
    for column in columns:  # centre each column on the tallest to start with
        if column:
            offset = (tallest - (tops[column[-1]] + _extent(column[-1])[0])) / 2
            for ref in column:
                tops[ref] += offset

    def centre(ref: str) -> float:
        return tops[ref] + _extent(ref)[0] / 2

    for sweep in range(_SWEEPS):
        order = range(1, len(columns)) if sweep % 2 == 0 else range(len(columns) - 2, -1, -1)
        near = before if sweep % 2 == 0 else after
        for index in order:
            wanted = {}
            for ref in columns[index]:
                others = [centre(n) for n in near.get(ref, ()) if n in tops]
                middle = sum(others) / len(others) if others else centre(ref)
                wanted[ref] = middle - _extent(ref)[0] / 2
            tops.update(_pack(columns[index], wanted))
    lowest = min(tops.values(), default=0.0)
    corners: dict[str, tuple[float, float]] = {}
    x = float(_MARGIN)
    for index, column in enumerate(columns):
        for ref in column:
            corners[ref] = (x, _MARGIN + tops[ref] - lowest)
        x += widths[index] + _GAP_X
    return corners


# ---- drawing ---------------------------------------------------------------------------------


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 1] + "…"


def _node_lines(catalog: Catalog, node: LineageNode) -> tuple[str, str]:
    """Two lines of text: the model (or external id), then the version and its stage."""
    if node.more:
        return f"+{node.more} more", node.ref.rpartition(" ")[2]
    if node.folded:
        first, last = (ref.partition("@")[2] for ref in (node.folded[0], node.folded[-1]))
        return f"{len(node.folded)} versions", _clip(f"{first} … {last}")
    if node.external:
        return _clip(node.ref), "external"
    model, _, version = node.ref.partition("@")
    entry = catalog.versions.get(node.ref)
    detail = f"{version} · {entry.stage.value}" if entry else version
    return _clip(model), _clip(detail)


def _node_classes(catalog: Catalog, node: LineageNode, focus_model: str) -> str:
    if node.more:
        return "mc-node mc-more-node"
    if node.folded:
        return "mc-node mc-focus mc-fold"
    if node.external:
        return "mc-node mc-external"
    classes = ["mc-node"]
    if node.ref.partition("@")[0] == focus_model:
        classes.append("mc-focus")
    entry = catalog.versions.get(node.ref)
    if entry is not None:
        classes.append(f"mc-stage-{css_token(entry.stage.value)}")
    return " ".join(classes)


def _node_tooltip(catalog: Catalog, node: LineageNode) -> str:
    if node.more:
        return f"{node.ref[1:]} not shown: the full lineage graph has them"
    if node.folded:
        names = ", ".join(ref.partition("@")[2] for ref in node.folded)
        return f"{node.folded[0].partition('@')[0]}: {len(node.folded)} versions folded ({names})"
    return node.ref


def _node_href(
    node: LineageNode, href: Callable[[str], str | None], full: str | None
) -> str | None:
    if node.folded or node.more:
        return full
    if node.external:
        return web_url(node.url)  # a protocol-relative //host or \\host is no link
    return href(node.ref)


def _node_svg(
    lines: tuple[str, str],
    classes: str,
    corner: tuple[float, float],
    width: float,
    tooltip: str,
    link: str | None,
) -> str:
    x, y = corner
    stroke = "2" if "mc-focus" in classes.split() else "1"
    group = (
        f'<g class="{classes}"><title>{esc(tooltip)}</title>'
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{_NODE_H}" rx="6" '
        f'fill="currentColor" fill-opacity="0.06" stroke="currentColor" stroke-width="{stroke}"/>'
        f'<text class="mc-node-name" x="{num(x + 10)}" y="{num(y + 17)}">{esc(lines[0])}</text>'
        f'<text class="mc-node-detail" x="{num(x + 10)}" y="{num(y + 33)}">'
        f"{esc(lines[1])}</text></g>"
    )
    return linked(group, link)


def _edge_path(points: Sequence[tuple[float, float, float]]) -> str:
    """A path through (x_in, x_out, y) stops: straight across each stop, curved between."""
    _, x1, y = points[0]
    d = [f"M{num(x1)} {num(y)}"]
    for (_, left_out, left_y), (right_in, right_out, right_y) in itertools.pairwise(points):
        middle = (left_out + right_in) / 2
        d.append(
            f"C{num(middle)} {num(left_y)} {num(middle)} {num(right_y)} "
            f"{num(right_in)} {num(right_y)}"
        )
        if right_out > right_in:
            d.append(f"H{num(right_out)}")
    return "".join(d)


def _edge_svg(
    link: Link,
    path: Sequence[str],
    corners: Mapping[str, tuple[float, float]],
    widths: Mapping[str, float],
) -> str:
    stops = []
    for step, ref in enumerate(path):
        x, y = corners[ref]
        height = _extent(ref)[0]
        width = widths[ref]
        if step == 0:
            stops.append((x + width, x + width, y + height / 2))
        elif step == len(path) - 1:
            stops.append((x - 7, x - 7, y + height / 2))
        else:
            stops.append((x, x + width, y + height / 2))
    end_x, _, end_y = stops[-1]
    relation = link.relation
    classes = f"mc-edge mc-rel-{css_token(relation)}" if relation else "mc-edge mc-link-more"
    parts = [
        f'<g class="{classes}"><title>{esc(link.title)}</title>',
        f'<path class="mc-edge-line" d="{_edge_path(stops)}" fill="none" stroke="currentColor"'
        + (' stroke-dasharray="4 3"' if relation is None else "")
        + "/>",
        f'<path class="mc-arrow" d="M{num(end_x + 7)} {num(end_y)}L{num(end_x - 1)} '
        f'{num(end_y - 4)}V{num(end_y + 4)}Z"/>',
    ]
    # A chain of retrained versions needs no words on every link; every other relation does.
    # Written just before the child, where the edge runs level: edges fanning out of one
    # parent meet there in a bunch, but reach their children apart.
    if relation and relation != "retrained":
        parts.append(
            f'<text class="mc-edge-label" x="{num(end_x - 2)}" y="{num(end_y - 6)}" '
            f'text-anchor="end">{esc(relation)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _describe(
    focus_model: str,
    nodes: Sequence[LineageNode],
    links: Sequence[Link],
    omitted: int,
    listed: bool = False,
) -> str:
    versions = sum(1 for n in nodes if not (n.external or n.folded or n.more))
    externals = sum(1 for n in nodes if n.external)
    folded = sum(len(n.folded) for n in nodes)
    text = f"Lineage of {focus_model}: {versions} model versions, {externals} external sources"
    if folded:
        text += f", {folded} versions folded"
    if listed:  # the page lists the links after the graph: say how many, not each again
        text += f", {len(links)} links (listed after the graph)"
        return text + (f"; {omitted} more not shown" if omitted else "")
    text += ". " + "; ".join(one.title for one in links)
    return text + (f"; {omitted} more not shown" if omitted else "")


def _node_width(lines: Iterable[str]) -> float:
    longest = max((len(text) for text in lines), default=0)
    return min(max(longest * _CHAR + 20, _MIN_W), _MAX_W)


def draw_lineage(
    catalog: Catalog,
    focus_model: str,
    nodes: Sequence[LineageNode],
    links: Sequence[Link],
    *,
    href: Callable[[str], str | None],
    full: str | None = None,
    omitted: int = 0,
    css: str = "mc-lineage",
    fixed: bool = False,
) -> str:
    """The graph of `nodes` and `links` as an <svg> element (see the module docstring)."""
    title = f"Lineage of {focus_model}"
    lines = {n.ref: _node_lines(catalog, n) for n in nodes}
    layer = assign_layers(lines, links)
    # "+N more" nodes end their column, whatever their neighbours say.
    columns = [
        sorted(col, key=lambda ref: ref.startswith("~")) for col in order_layers(layer, links)
    ]
    # Each column is as wide as its widest node, so one long name does not widen them all.
    widths = [
        _node_width(t for ref in col if not is_waypoint(ref) for t in lines[ref])
        if any(not is_waypoint(r) for r in col)
        else _MIN_W
        for col in columns
    ]
    width_of = {ref: widths[i] for i, col in enumerate(columns) for ref in col}
    paths = routes(layer, links)
    corners = place(columns, widths, paths.values())
    graph_width = 2 * _MARGIN + sum(widths) + (len(columns) - 1) * _GAP_X
    graph_height = _MARGIN + max(
        (corners[r][1] + _extent(r)[0] for col in columns for r in col), default=0.0
    )
    body = [_edge_svg(one, paths[(one.parent, one.child)], corners, width_of) for one in links]
    body += [
        _node_svg(
            lines[n.ref],
            _node_classes(catalog, n, focus_model),
            corners[n.ref],
            width_of[n.ref],
            _node_tooltip(catalog, n),
            _node_href(n, href, full),
        )
        for n in nodes
    ]
    if omitted:
        body.append(
            f'<text class="mc-more" x="{_MARGIN}" y="{num(graph_height + 8)}">'
            f"+{omitted} more not shown</text>"
        )
        graph_height += 22
    return figure(
        css,
        graph_width,
        graph_height,
        title,
        _describe(focus_model, nodes, links, omitted, listed=fixed),
        body,
        text=_TEXT,
        fixed=fixed,
    )


def lineage_graph_svg(
    catalog: Catalog,
    focus_model: str,
    *,
    href: Callable[[str], str | None],
    index: LineageIndex | None = None,
    full: str | None = None,
) -> str:
    """The model page's graph (model_neighbourhood). `full` links the folded and "+N more"
    nodes to the full graph.

    With no lineage edge (nothing recorded), the result is still an <svg>: a small figure
    that says "No lineage recorded" (class mc-lineage mc-empty-figure)."""
    found = model_neighbourhood(catalog, focus_model, index)
    if not found.edges:
        return message_figure("mc-lineage", f"Lineage of {focus_model}", NO_LINEAGE)
    return draw_lineage(catalog, focus_model, found.nodes, found.links, href=href, full=full)


def full_lineage(
    catalog: Catalog, focus_model: str, index: LineageIndex | None = None
) -> tuple[list[LineageNode], list[LineageEdge], int]:
    """Every ancestor and descendant of the model's versions, at most MAX_NODES (the
    nearest), and how many more there are."""
    all_nodes, all_edges = lineage_subgraph(catalog, focus_model, None, index)
    return keep_nearest(all_nodes, all_edges, MAX_NODES)


def full_lineage_svg(
    catalog: Catalog,
    focus_model: str,
    *,
    href: Callable[[str], str | None],
    index: LineageIndex | None = None,
) -> str:
    """The full graph (full_lineage), nothing folded; a "+N more" note says how many nodes
    are not shown."""
    nodes, edges, omitted = full_lineage(catalog, focus_model, index)
    if not edges:
        return message_figure("mc-lineage", f"Lineage of {focus_model}", NO_LINEAGE)
    return draw_lineage(
        catalog,
        focus_model,
        nodes,
        [_link(e) for e in edges],
        href=href,
        omitted=omitted,
        css="mc-lineage mc-lineage-full",
        fixed=True,
    )


def has_lineage(catalog: Catalog, focus_model: str, index: LineageIndex) -> bool:
    """Whether any version of the model has a parent or a child."""
    return any(
        index.parents.get(ref) or index.children.get(ref) for ref in _focus(catalog, focus_model)
    )
