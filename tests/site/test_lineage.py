"""The lineage graph: which nodes, in which columns, drawn as well-formed, linked SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from modelcards.cards import Relation
from modelcards.catalog import Catalog, LineageEdge
from modelcards.loading import load_catalog
from modelcards.site.lineage import (
    MAX_NEIGHBOURS,
    MAX_NODES,
    NO_LINEAGE,
    assign_layers,
    full_lineage_svg,
    keep_nearest,
    lineage_graph_svg,
    lineage_subgraph,
    model_neighbourhood,
    order_layers,
)

from ..helpers.catalogs import EXAMPLE_CATALOG, CatalogMaker

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"


def model(model_id: str) -> dict[str, str]:
    return {
        f"models/{model_id}/model.yaml": f"""\
        name: {model_id}
        summary: A test model.
        owners: [{{name: ML}}]
        task: tabular-classification
        """
    }


def version(model_id: str, name: str, *lineage: str) -> dict[str, str]:
    entries = "".join(f"\n  - {entry}" for entry in lineage)
    return {
        f"models/{model_id}/{name}.yaml": f"""\
version: "{name}"
released: 2026-03-01
summary: A test version.
lineage:{entries or " []"}
lifecycle:
  - {{stage: development, date: 2026-03-01, by: dana}}
"""
    }


# BASE has fraud@1.0.0 -> fraud@2.0.0 (retrained) -> small@0.1.0 (distilled). Added here:
# small@0.1.0 -> tiny@0.1.0 -> micro@0.1.0, a sibling other@1.0.0 of fraud@2.0.0, and asr,
# fine-tuned from an external Hugging Face model.
EXTRA = {
    **model("tiny"),
    **version("tiny", "0.1.0", "{model: small@0.1.0, relation: quantized}"),
    **model("micro"),
    **version("micro", "0.1.0", "{model: tiny@0.1.0, relation: converted}"),
    **model("other"),
    **version("other", "1.0.0", "{model: fraud@1.0.0, relation: distilled}"),
    **model("asr"),
    **version(
        "asr",
        "1.0.0",
        "{external: openai/whisper-small, relation: fine-tuned, "
        "url: 'https://huggingface.co/openai/whisper-small'}",
    ),
    **version("asr", "1.1.0", "{model: asr@1.0.0, relation: retrained}"),
    **model("solo"),
    **version("solo", "1.0.0"),
}


def load(make_catalog: CatalogMaker, files: Mapping[str, str | None] | None = None) -> Catalog:
    catalog, problems = load_catalog(make_catalog({**EXTRA, **(files or {})}))
    assert problems == []
    return catalog


def hops(catalog: Catalog, focus: str, depth: int) -> dict[str, int]:
    nodes, _ = lineage_subgraph(catalog, focus, depth)
    return {n.ref: n.hops for n in nodes}


def edge_set(edges: list[LineageEdge]) -> set[tuple[str, str, str]]:
    return {(e.parent, e.child, e.relation.value) for e in edges}


def page(ref: str) -> str | None:
    model_id, _, name = ref.partition("@")
    return None if model_id == "other" else f"../{model_id}/{name}/"


# ---- which nodes -----------------------------------------------------------------------------


def test_subgraph_holds_focus_versions_and_their_kin(make_catalog: CatalogMaker) -> None:
    catalog = load(make_catalog)
    nodes, edges = lineage_subgraph(catalog, "fraud", 2)
    assert {n.ref: n.hops for n in nodes} == {
        "fraud@1.0.0": 0,
        "fraud@2.0.0": 0,
        "other@1.0.0": 1,
        "small@0.1.0": 1,
        "tiny@0.1.0": 2,
    }
    assert [n.ref for n in nodes][:2] == ["fraud@1.0.0", "fraud@2.0.0"]  # nearest first
    assert edge_set(edges) == {
        ("fraud@1.0.0", "fraud@2.0.0", "retrained"),
        ("fraud@1.0.0", "other@1.0.0", "distilled"),
        ("fraud@2.0.0", "small@0.1.0", "distilled"),
        ("small@0.1.0", "tiny@0.1.0", "quantized"),
    }


def test_depth_limits_the_hops(make_catalog: CatalogMaker) -> None:
    catalog = load(make_catalog)
    assert set(hops(catalog, "fraud", 0)) == {"fraud@1.0.0", "fraud@2.0.0"}
    assert hops(catalog, "fraud", 3)["micro@0.1.0"] == 3
    assert hops(catalog, "small", 1) == {"small@0.1.0": 0, "fraud@2.0.0": 1, "tiny@0.1.0": 1}


def test_siblings_are_not_followed(make_catalog: CatalogMaker) -> None:
    # other@1.0.0 is a child of small's grandparent, not an ancestor or descendant of small.
    assert hops(load(make_catalog), "small", 2) == {
        "small@0.1.0": 0,
        "fraud@2.0.0": 1,
        "tiny@0.1.0": 1,
        "fraud@1.0.0": 2,
        "micro@0.1.0": 2,
    }


def test_external_parents_are_nodes_with_their_url(make_catalog: CatalogMaker) -> None:
    nodes, edges = lineage_subgraph(load(make_catalog), "asr", 2)
    external = [n for n in nodes if n.external]
    assert [(n.ref, n.hops, n.url) for n in external] == [
        ("openai/whisper-small", 1, "https://huggingface.co/openai/whisper-small"),
    ]
    assert edge_set(edges) == {
        ("openai/whisper-small", "asr@1.0.0", "fine-tuned"),
        ("asr@1.0.0", "asr@1.1.0", "retrained"),
    }


def test_keep_nearest_keeps_every_focus_version(make_catalog: CatalogMaker) -> None:
    nodes, edges = lineage_subgraph(load(make_catalog), "fraud", 2)
    kept, kept_edges, omitted = keep_nearest(nodes, edges, 1)
    assert ([n.ref for n in kept], omitted) == (["fraud@1.0.0", "fraud@2.0.0"], 3)
    assert edge_set(kept_edges) == {("fraud@1.0.0", "fraud@2.0.0", "retrained")}
    kept, _, omitted = keep_nearest(nodes, edges, 4)
    assert ([n.ref for n in kept], omitted) == (
        ["fraud@1.0.0", "fraud@2.0.0", "other@1.0.0", "small@0.1.0"],
        1,
    )


# ---- layout ----------------------------------------------------------------------------------


def edge(parent: str, child: str) -> LineageEdge:
    return LineageEdge(child, parent, Relation.RETRAINED)


def test_layers_are_longest_paths_from_the_roots() -> None:
    edges = [edge("a", "b"), edge("b", "c"), edge("a", "c"), edge("c", "d"), edge("x", "d")]
    assert assign_layers("abcdx", edges) == {"a": 0, "b": 1, "c": 2, "d": 3, "x": 0}


def test_a_cycle_does_not_hang_the_layout() -> None:
    layer = assign_layers("abc", [edge("a", "b"), edge("b", "c"), edge("c", "a")])
    assert set(layer) == {"a", "b", "c"} and all(0 <= v <= 2 for v in layer.values())
    columns = order_layers(layer, [edge("a", "b")])
    assert sorted(ref for column in columns for ref in column) == ["a", "b", "c"]


def test_barycentre_ordering_uncrosses_edges() -> None:
    # Sorted by name, column 1 would be [x, y] with x under b and y under a: two crossing edges.
    edges = [edge("a", "y"), edge("b", "x")]
    columns = order_layers(assign_layers(["a", "b", "x", "y"], edges), edges)
    assert columns == [["a", "b"], ["y", "x"]]


def test_ties_are_broken_by_ref() -> None:
    edges = [edge("p", "c3"), edge("p", "c1"), edge("p", "c2")]
    assert order_layers(assign_layers(["c2", "p", "c3", "c1"], edges), edges) == [
        ["p"],
        ["c1", "c2", "c3"],
    ]


# ---- drawing ---------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in e.get("class", "").split()]


def drawn_nodes(root: ET.Element) -> dict[str, ET.Element]:
    """Each node group by its ref (its <title>)."""
    return {g.findtext(f"{SVG}title") or "": g for g in by_class(root, "mc-node")}


def box(node: ET.Element) -> tuple[float, float, float]:
    rect = node.find(f"{SVG}rect")
    assert rect is not None
    return float(rect.get("x", "nan")), float(rect.get("y", "nan")), float(rect.get("width", "nan"))


def drawn_edges(root: ET.Element) -> list[tuple[str, str, str]]:
    """(parent, child, relation) from each edge's <title> "child relation from parent"; every
    relation but retrained is also written on the edge."""
    found = []
    for group in by_class(root, "mc-edge"):
        child, relation, parent = re.fullmatch(
            r"(\S+) (\S+) from (.+)", group.findtext(f"{SVG}title") or ""
        ).groups()  # type: ignore[union-attr]
        assert group.findtext(f"{SVG}text") == (None if relation == "retrained" else relation)
        found.append((parent, child, relation))
    return found


def test_model_page_graph_holds_the_versions_and_their_direct_kin(
    make_catalog: CatalogMaker,
) -> None:
    catalog = load(make_catalog)
    drawn = model_neighbourhood(catalog, "fraud")
    # tiny@0.1.0 is small@0.1.0's child: two steps away, on the full graph only
    assert {n.ref: n.hops for n in drawn.nodes} == {
        "fraud@1.0.0": 0,
        "fraud@2.0.0": 0,
        "other@1.0.0": 1,
        "small@0.1.0": 1,
    }
    root = parse(lineage_graph_svg(catalog, "fraud", href=page))
    assert set(drawn_nodes(root)) == {n.ref for n in drawn.nodes}
    assert sorted(drawn_edges(root)) == sorted(edge_set(drawn.edges))
    assert len(by_class(root, "mc-arrow")) == len(drawn.edges)
    small = model_neighbourhood(catalog, "small")
    assert {n.ref for n in small.nodes} == {"small@0.1.0", "fraud@2.0.0", "tiny@0.1.0"}


def test_parents_are_drawn_left_of_their_children(make_catalog: CatalogMaker) -> None:
    root = parse(full_lineage_svg(load(make_catalog), "small", href=page))
    boxes = {ref: box(node) for ref, node in drawn_nodes(root).items()}
    for parent, child, _ in drawn_edges(root):
        parent_x, _, width = boxes[parent]
        assert parent_x + width < boxes[child][0]
    assert boxes["fraud@1.0.0"][0] < boxes["fraud@2.0.0"][0] < boxes["small@0.1.0"][0]
    assert boxes["small@0.1.0"][0] < boxes["tiny@0.1.0"][0] < boxes["micro@0.1.0"][0]


def test_focus_and_stage_classes(make_catalog: CatalogMaker) -> None:
    root = parse(lineage_graph_svg(load(make_catalog), "fraud", href=page))
    classes = {ref: node.get("class") for ref, node in drawn_nodes(root).items()}
    assert classes == {
        "fraud@1.0.0": "mc-node mc-focus mc-stage-deprecated",
        "fraud@2.0.0": "mc-node mc-focus mc-stage-production",
        "other@1.0.0": "mc-node mc-stage-development",
        "small@0.1.0": "mc-node mc-stage-development",
    }


def test_nodes_link_where_href_gives_a_page(make_catalog: CatalogMaker) -> None:
    root = parse(lineage_graph_svg(load(make_catalog), "fraud", href=page))
    linked = {a[0].findtext(f"{SVG}title"): a.get("href") for a in root.iter(f"{SVG}a")}
    assert linked == {
        "fraud@1.0.0": "../fraud/1.0.0/",
        "fraud@2.0.0": "../fraud/2.0.0/",
        "small@0.1.0": "../small/0.1.0/",
    }


def test_external_nodes_link_to_their_url_only_when_it_is_http(make_catalog: CatalogMaker) -> None:
    catalog = load(make_catalog)
    root = parse(lineage_graph_svg(catalog, "asr", href=lambda ref: None))
    (external,) = by_class(root, "mc-external")
    assert [(a.get("href"), a[0] is external) for a in root.iter(f"{SVG}a")] == [
        ("https://huggingface.co/openai/whisper-small", True),
    ]
    assert [t.text for t in external.iter(f"{SVG}text")] == ["openai/whisper-small", "external"]
    evil = version(
        "asr", "1.0.0", "{external: base, relation: fine-tuned, url: 'javascript:alert(1)'}"
    )
    root = parse(lineage_graph_svg(load(make_catalog, evil), "asr", href=lambda ref: None))
    assert list(root.iter(f"{SVG}a")) == []


def test_no_lineage_is_said_in_words(make_catalog: CatalogMaker) -> None:
    catalog = load(make_catalog)
    for focus in ("solo", "missing"):
        root = parse(lineage_graph_svg(catalog, focus, href=page))
        assert by_class(root, "mc-node") == []
        assert [t.text for t in root.iter(f"{SVG}text")] == [NO_LINEAGE]


def test_labels_are_escaped(make_catalog: CatalogMaker) -> None:
    evil = version("asr", "1.0.0", f"{{external: '{EVIL}', relation: fine-tuned}}")
    svg = lineage_graph_svg(load(make_catalog, evil), "asr", href=lambda ref: ref)
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag == f"{SVG}script"]
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert EVIL in drawn_nodes(root)


def test_many_neighbours_are_capped_with_a_node_that_leads_to_the_full_graph(
    make_catalog: CatalogMaker,
) -> None:
    fans = {}
    for i in range(45):
        fans.update(version("fan", f"1.0.{i}", "{model: fraud@2.0.0, relation: distilled}"))
    catalog = load(make_catalog, {**model("fan"), **fans})
    root = parse(lineage_graph_svg(catalog, "fraud", href=page, full="lineage.html"))
    drawn = drawn_nodes(root)
    # 2 versions + other@1.0.0, small@0.1.0 and 45 fans: 47 children, 11 drawn, 36 behind one node
    assert len(drawn) == 2 + MAX_NEIGHBOURS
    (more,) = by_class(root, "mc-more-node")
    assert [t.text for t in more.iter(f"{SVG}text")] == ["+36 more", "children"]
    assert [a.get("href") for a in root.iter(f"{SVG}a") if a[0] is more] == ["lineage.html"]
    assert box(more)[1] == max(box(n)[1] for ref, n in drawn.items() if ref != "fraud@2.0.0")
    full = parse(full_lineage_svg(catalog, "fraud", href=page))
    assert len(drawn_nodes(full)) == 2 + 47 + 2  # the full graph has them all, and small's kin


def test_the_full_graph_keeps_the_nearest_nodes(make_catalog: CatalogMaker) -> None:
    files = {**model("chain")}
    for i in range(MAX_NODES + 5):
        lineage = f"{{model: chain@1.{i - 1}.0, relation: retrained}}" if i else ""
        files.update(version("chain", f"1.{i}.0", *([lineage] if lineage else [])))
    files.update(
        version("tiny", "0.1.0", f"{{model: chain@1.{MAX_NODES + 4}.0, relation: pruned}}")
    )
    catalog = load(make_catalog, files)
    root = parse(full_lineage_svg(catalog, "tiny", href=page))
    assert len(drawn_nodes(root)) == MAX_NODES
    assert [t.text for t in by_class(root, "mc-more")] == ["+7 more not shown"]  # and micro


def chain_catalog(
    make_catalog: CatalogMaker,
    stages: Mapping[int, str],
    tiny: tuple[str, ...] = ("{model: chain@1.4.0, relation: pruned}",),
) -> Catalog:
    """chain@1.0.0 .. 1.9.0, each retrained from the one before; `stages` overrides the stage
    of some versions (by index); tiny@0.1.0 has the parents `tiny`."""
    files = {**model("chain")}
    for i in range(10):
        stage = stages.get(i, "archived")
        before = f"[{{model: chain@1.{i - 1}.0, relation: retrained}}]" if i else "[]"
        files[f"models/chain/1.{i}.0.yaml"] = f"""\
version: "1.{i}.0"
released: 2026-03-01
summary: A test version.
lineage: {before}
lifecycle:
  - {{stage: development, date: 2026-03-01, by: dana}}
  - {{stage: {stage}, date: 2026-03-02, by: dana{", approved_by: [erin]" if stage == "production" else ""}}}
"""
    files.update(version("tiny", "0.1.0", *tiny))
    return load(make_catalog, files)


def test_long_chains_fold_and_what_matters_stays_drawn(make_catalog: CatalogMaker) -> None:
    catalog = chain_catalog(make_catalog, {7: "staging", 9: "production"})
    root = parse(lineage_graph_svg(catalog, "chain", href=page, full="lineage.html"))
    drawn = drawn_nodes(root)
    # first, last and live versions stay, and 1.4.0, where tiny branches off; 1.8.0 alone
    # between 1.7.0 and 1.9.0 is not worth a fold
    kept = {ref for ref in drawn if ref.startswith("chain@") and "…" not in ref}
    assert kept == {"chain@1.0.0", "chain@1.4.0", "chain@1.7.0", "chain@1.8.0", "chain@1.9.0"}
    folds = by_class(root, "mc-fold")
    assert [[t.text for t in f.iter(f"{SVG}text")] for f in folds] == [
        ["3 versions", "1.1.0 … 1.3.0"],
        ["2 versions", "1.5.0 … 1.6.0"],
    ]
    assert all(a.get("href") == "lineage.html" for a in root.iter(f"{SVG}a") if a[0] in folds)
    assert "chain: 3 versions folded (1.1.0, 1.2.0, 1.3.0)" in [
        f.findtext(f"{SVG}title") for f in folds
    ]
    boxes = sorted(box(n)[0] for n in [*kept_nodes(drawn, kept), *folds])
    assert len(set(boxes)) == len(boxes)  # one column each: the chain reads left to right


def kept_nodes(drawn: Mapping[str, ET.Element], refs: set[str]) -> list[ET.Element]:
    return [drawn[ref] for ref in refs]


def test_edges_that_skip_columns_pass_between_the_nodes(make_catalog: CatalogMaker) -> None:
    # chain@1.0.0 -> ... -> 1.9.0 in the full graph, and tiny from 1.0.0 and 1.9.0: the edge
    # from 1.0.0 to tiny crosses nine columns of chain versions.
    catalog = chain_catalog(
        make_catalog,
        {},
        ("{model: chain@1.0.0, relation: pruned}", "{model: chain@1.9.0, relation: merged}"),
    )
    root = parse(full_lineage_svg(catalog, "chain", href=page))
    boxes = [box(n) for n in drawn_nodes(root).values()]
    (skipping,) = [
        g
        for g in by_class(root, "mc-edge")
        if (g.findtext(f"{SVG}title") or "").startswith("tiny@0.1.0 pruned")
    ]
    path = next(e for e in skipping if "mc-edge-line" in e.get("class", ""))
    d = path.get("d", "")
    runs = re.findall(r"([\d.]+) ([\d.]+)H([\d.]+)", d)  # level runs: from x, at y, to x
    assert len(runs) == 9  # level across each of the nine columns between 1.0.0 and tiny
    for start, at, end in runs:
        for x, y, width in boxes:
            across = float(start) < x + width and x < float(end)
            assert not (across and y <= float(at) <= y + 40), (start, at, end, x, y)


def test_graph_is_deterministic(make_catalog: CatalogMaker) -> None:
    catalog = load(make_catalog)
    assert lineage_graph_svg(catalog, "fraud", href=page) == lineage_graph_svg(
        catalog, "fraud", href=page
    )


def test_every_model_of_the_example_catalog_draws() -> None:
    catalog, problems = load_catalog(EXAMPLE_CATALOG)
    assert problems == []
    drawn = 0
    for model_id in sorted(catalog.models):
        root = parse(lineage_graph_svg(catalog, model_id, href=page))
        boxes = {ref: box(node) for ref, node in drawn_nodes(root).items()}
        for parent, child, _ in drawn_edges(root):
            assert boxes[parent][0] + boxes[parent][2] < boxes[child][0]
        drawn += bool(boxes)
    assert drawn >= 1
