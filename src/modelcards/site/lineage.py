"""The lineage graph around one model, laid out as a layered graph and drawn as inline SVG.

Which nodes: every version of the focus model, plus its ancestors (following parents) and its
descendants (following children) up to `depth` hops from any of those versions, across models
and out to external parents such as Hugging Face repos. Siblings (other children of a parent)
are not followed: a popular base model would otherwise pull in half the catalog.

Layout, left to right (parents left, children right), a small Sugiyama-style layout:
1. Layer: the longest path to a node from a root of the subgraph, so every parent sits in a
   column strictly left of its children. Found by relaxing the edges at most once per node,
   which ends even on a cycle (a valid catalog has none; an invalid one must not hang us).
2. Order: each column starts sorted by ref; a few sweeps then sort each column by the
   barycentre (mean vertical position) of its parents (left-to-right sweep) or its children
   (right-to-left sweep), ties broken by ref, so the result is deterministic.
3. Place: columns are centred vertically. An edge is a curve from the parent's right side to
   the child's left side, with an arrowhead and its relation; an edge that skips a column may
   pass behind a node (no dummy nodes: these graphs are small).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..catalog import Catalog, LineageEdge
from ..urls import web_url
from .charts import css_token, esc, figure, linked, message_figure, num

MAX_NODES = 40
NO_LINEAGE = "No lineage recorded"
_SWEEPS = 2
_NODE_H, _GAP_X, _GAP_Y, _MARGIN, _CHAR = 40, 72, 18, 12, 7.0
_MIN_W, _MAX_W, _MAX_CHARS = 110, 250, 32


@dataclass(frozen=True)
class LineageNode:
    ref: str  # "model@version", or an external id
    hops: int  # distance from the nearest version of the focus model (0 for those)
    external: bool = False
    url: str | None = None  # an external parent's page, when the card gives one


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
    for distance in range(1, depth + 1):
        frontier = sorted({n for ref in frontier for n in step.get(ref, ()) if n not in seen})
        seen.update(dict.fromkeys(frontier, distance))
    return seen


def lineage_subgraph(catalog: Catalog, focus_model: str, depth: int,
                     index: LineageIndex | None = None,
                     ) -> tuple[list[LineageNode], list[LineageEdge]]:
    """The nodes around `focus_model` (nearest first, then by ref) and the edges among them."""
    index = index or index_lineage(catalog.lineage)
    model = catalog.models.get(focus_model)
    focus = [v.ref for v in (model.versions if model else catalog.versions_of(focus_model))]
    up, down = _reach(focus, index.parents, depth), _reach(focus, index.children, depth)
    hops = {ref: min(up.get(ref, depth + 1), down.get(ref, depth + 1)) for ref in {*up, *down}}
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


def keep_nearest(nodes: Sequence[LineageNode], edges: Sequence[LineageEdge], limit: int
                 ) -> tuple[list[LineageNode], list[LineageEdge], int]:
    """At most `limit` nodes, nearest first (but always every focus version), and how many
    were left out."""
    keep = max(limit, sum(1 for n in nodes if n.hops == 0))
    ordered = sorted(nodes, key=lambda n: (n.hops, n.ref))
    kept = ordered[:keep]
    names = {n.ref for n in kept}
    kept_edges = [e for e in edges if e.child in names and e.parent in names]
    return kept, kept_edges, len(ordered) - len(kept)


# ---- layout ----------------------------------------------------------------------------------


def assign_layers(refs: Iterable[str], edges: Sequence[LineageEdge]) -> dict[str, int]:
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


def _centred_positions(columns: Sequence[Sequence[str]]) -> dict[str, float]:
    return {ref: i - (len(col) - 1) / 2 for col in columns for i, ref in enumerate(col)}


def _by_barycentre(column: Sequence[str], neighbours: Mapping[str, list[str]],
                   position: Mapping[str, float]) -> list[str]:
    def key(ref: str) -> tuple[float, str]:
        near = [position[n] for n in neighbours.get(ref, ()) if n in position]
        return (sum(near) / len(near) if near else position[ref], ref)

    return sorted(column, key=key)


def order_layers(layer: Mapping[str, int], edges: Sequence[LineageEdge],
                 sweeps: int = _SWEEPS) -> list[list[str]]:
    """Columns of refs, each ordered to keep edges short and uncrossed (barycentre sweeps)."""
    count = max(layer.values(), default=-1) + 1
    columns = [sorted(r for r in layer if layer[r] == i) for i in range(count)]
    parents, children = _adjacency(edges)
    for _ in range(sweeps):
        for index in range(1, count):
            columns[index] = _by_barycentre(columns[index], parents, _centred_positions(columns))
        for index in range(count - 2, -1, -1):
            columns[index] = _by_barycentre(columns[index], children, _centred_positions(columns))
    return columns


def place(columns: Sequence[Sequence[str]], node_width: float) -> dict[str, tuple[float, float]]:
    """The top-left corner of each node's box; columns centred on the tallest one."""
    tallest = max((len(c) for c in columns), default=0)
    pitch = _NODE_H + _GAP_Y
    corners: dict[str, tuple[float, float]] = {}
    for index, column in enumerate(columns):
        offset = (tallest - len(column)) * pitch / 2
        for row, ref in enumerate(column):
            corners[ref] = (_MARGIN + index * (node_width + _GAP_X), _MARGIN + offset + row * pitch)
    return corners


# ---- drawing ---------------------------------------------------------------------------------


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 1] + "…"


def _node_lines(catalog: Catalog, node: LineageNode) -> tuple[str, str]:
    """Two lines of text: the model (or external id), then the version and its stage."""
    if node.external:
        return _clip(node.ref), "external"
    model, _, version = node.ref.partition("@")
    entry = catalog.versions.get(node.ref)
    detail = f"{version} · {entry.stage.value}" if entry else version
    return _clip(model), _clip(detail)


def _node_classes(catalog: Catalog, node: LineageNode, focus_model: str) -> str:
    if node.external:
        return "mc-node mc-external"
    classes = ["mc-node"]
    if node.ref.partition("@")[0] == focus_model:
        classes.append("mc-focus")
    entry = catalog.versions.get(node.ref)
    if entry is not None:
        classes.append(f"mc-stage-{css_token(entry.stage.value)}")
    return " ".join(classes)


def _node_href(node: LineageNode, href: Callable[[str], str | None]) -> str | None:
    if node.external:
        return web_url(node.url)  # a protocol-relative //host or \\host is no link
    return href(node.ref)


def _node_svg(lines: tuple[str, str], classes: str, corner: tuple[float, float], width: float,
              tooltip: str, link: str | None) -> str:
    x, y = corner
    stroke = "2" if "mc-focus" in classes.split() else "1"
    group = (
        f'<g class="{classes}"><title>{esc(tooltip)}</title>'
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{_NODE_H}" rx="6" '
        f'fill="currentColor" fill-opacity="0.06" stroke="currentColor" stroke-width="{stroke}"/>'
        f'<text class="mc-node-name" x="{num(x + 10)}" y="{num(y + 17)}">{esc(lines[0])}</text>'
        f'<text class="mc-node-detail" x="{num(x + 10)}" y="{num(y + 32)}" font-size="11">'
        f"{esc(lines[1])}</text></g>"
    )
    return linked(group, link)


def _edge_svg(edge: LineageEdge, corners: Mapping[str, tuple[float, float]], width: float) -> str:
    (px, py), (cx, cy) = corners[edge.parent], corners[edge.child]
    x1, y1, x2, y2 = px + width, py + _NODE_H / 2, cx, cy + _NODE_H / 2
    middle = (x1 + x2) / 2
    relation = edge.relation.value
    return (
        f'<g class="mc-edge mc-rel-{css_token(relation)}">'
        f"<title>{esc(f'{edge.child} {relation} from {edge.parent}')}</title>"
        f'<path class="mc-edge-line" d="M{num(x1)} {num(y1)}C{num(middle)} {num(y1)} '
        f'{num(middle)} {num(y2)} {num(x2 - 7)} {num(y2)}" fill="none" stroke="currentColor"/>'
        f'<path class="mc-arrow" d="M{num(x2)} {num(y2)}L{num(x2 - 8)} {num(y2 - 4)}'
        f'V{num(y2 + 4)}Z"/>'
        f'<text class="mc-edge-label" x="{num(middle)}" y="{num((y1 + y2) / 2 - 4)}" '
        f'text-anchor="middle" font-size="10">{esc(relation)}</text></g>'
    )


def _describe(focus_model: str, nodes: Sequence[LineageNode], edges: Sequence[LineageEdge],
              omitted: int) -> str:
    externals = sum(1 for n in nodes if n.external)
    links = "; ".join(f"{e.child} {e.relation.value} from {e.parent}" for e in edges)
    text = (f"Lineage of {focus_model}: {len(nodes) - externals} model versions, "
            f"{externals} external sources. {links}")
    return text + (f"; {omitted} more not shown" if omitted else "")


def lineage_graph_svg(catalog: Catalog, focus_model: str, *, depth: int = 2,
                      href: Callable[[str], str | None], index: LineageIndex | None = None,
                      ) -> str:
    """The lineage graph around `focus_model` as an <svg> element.

    With no lineage edge among the nodes (nothing recorded), the result is still an <svg>: a
    small figure that says "No lineage recorded" (class mc-lineage mc-empty-figure). Above
    MAX_NODES nodes, the nearest are kept and a "+N more" note says how many are not shown.
    """
    title = f"Lineage of {focus_model}"
    all_nodes, all_edges = lineage_subgraph(catalog, focus_model, depth, index)
    if not all_edges:
        return message_figure("mc-lineage", title, NO_LINEAGE)
    nodes, edges, omitted = keep_nearest(all_nodes, all_edges, MAX_NODES)
    lines = {n.ref: _node_lines(catalog, n) for n in nodes}
    longest = max(len(text) for pair in lines.values() for text in pair)
    width = min(max(longest * _CHAR + 20, _MIN_W), _MAX_W)
    columns = order_layers(assign_layers((n.ref for n in nodes), edges), edges)
    corners = place(columns, width)
    tallest = max(len(c) for c in columns)
    graph_width = 2 * _MARGIN + len(columns) * width + (len(columns) - 1) * _GAP_X
    graph_height = 2 * _MARGIN + tallest * (_NODE_H + _GAP_Y) - _GAP_Y
    body = [_edge_svg(e, corners, width) for e in edges]
    body += [
        _node_svg(lines[n.ref], _node_classes(catalog, n, focus_model), corners[n.ref], width,
                  n.ref, _node_href(n, href))
        for n in nodes
    ]
    if omitted:
        body.append(f'<text class="mc-more" x="{_MARGIN}" y="{num(graph_height + 6)}">'
                    f"+{omitted} more not shown</text>")
        graph_height += 20
    return figure("mc-lineage", graph_width, graph_height, title,
                  _describe(focus_model, nodes, edges, omitted), body)
