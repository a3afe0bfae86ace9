"""One URL policy for every output (urls.py): web addresses become links, anything else is
text, in the site (Markdown, lineage graphs, card links), the Hugging Face README and the
CycloneDX BOM, which validates whatever the card's URIs are."""

from __future__ import annotations

import re
import textwrap

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcards.cardmarkdown import inert, to_html
from modelcards.formats import bom_json_text, render_cyclonedx_bom, render_hf_readme
from modelcards.site.markup import render_markdown
from modelcards.urls import link_target, recorded_uri, web_url
from modelcards.validate import validate_catalog

from ..helpers.catalogs import V2, CatalogMaker, M, edit
from ..helpers.site import TODAY, links, site_files
from ..helpers.text import repeated

OFF_SITE = [
    "//evil.example/x",
    "\\\\evil.example",
    "/\\evil.example",
    "java\tscript:alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "mailto:a@b.example",
    "https:evil.example",
    "http:///evil.example",
    "https://",
    "s3://bucket/model.onnx",
]


@pytest.mark.parametrize("url", OFF_SITE)
def test_only_plain_web_addresses_are_web_addresses(url: str) -> None:
    assert web_url(url) is None
    assert web_url("https://example.org/a_(b)?c=d#e") == "https://example.org/a_(b)?c=d#e"


def test_markdown_links_go_to_web_addresses_or_stay_on_the_site() -> None:
    for url in OFF_SITE:
        if url.startswith("s3:"):
            continue
        html = render_markdown(f"[x]({url.replace(chr(9), '&#9;')})")
        # cmark percent-encodes a backslash (%5C): a file name on the site, not a host
        assert re.findall(r'href="([^"]*)"', html) in ([], ["%5Cevil.example"]), url
    assert 'href="../other/index.html"' in render_markdown("[x](../other/index.html)")
    assert 'href="https://example.org"' in render_markdown("[x](https://example.org)")
    assert link_target("#section") == "#section"
    assert link_target("a:b/c") is None and link_target("/root") is None


EXTERNAL_PARENTS = {
    "//evil.example/x": False,
    "\\\\evil.example": False,
    "javascript:alert(1)": False,
    "https://huggingface.co/openai/whisper-small": True,
}


@pytest.mark.parametrize(("url", "linked"), list(EXTERNAL_PARENTS.items()))
def test_the_model_page_graph_and_the_version_page_agree(
    url: str, linked: bool, make_catalog: CatalogMaker
) -> None:
    quoted = url.replace("\\", "\\\\")
    root = make_catalog(
        edit(
            V2,
            "lineage:\n",
            f'lineage:\n  - {{external: org/base, url: "{quoted}", relation: fine-tuned}}\n',
        )
    )
    files = site_files(root)
    model_links = links(files["models/fraud/index.html"])
    version_links = links(files["models/fraud/2.0.0/index.html"])
    assert (url in model_links) == linked, model_links
    assert (url in version_links) == linked, version_links


HOSTILE_DESCRIPTION = textwrap.dedent("""\
    Fine. <script>alert(1)</script> <img src=x onerror=alert(2)>
    [click](javascript:alert(3)) [up](//evil.example/x) ![i](data:image/png,x)

    [ref]: javascript:alert(4)

    <div onclick="alert(5)">block</div>

    `<b>kept as code</b>` and [a web link](https://example.org/docs).
    """)


def _safe_render(markdown: str) -> str:
    """GitHub's own renderer, in its safe mode: raw HTML becomes a comment, unsafe links go."""
    return str(
        cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_DEFAULT)
    )


def test_the_hugging_face_readme_carries_no_raw_html_and_no_script_link(
    make_catalog: CatalogMaker,
) -> None:
    quoted = HOSTILE_DESCRIPTION.replace("\n", "\\n").replace('"', '\\"')
    files = edit(M, "task: ", f'description: "{quoted}"\ntask: ')
    files |= {M: files[M].replace("name: Fraud detector", 'name: "Fraud <b onmouseover=x>"')}
    root = make_catalog(
        files
        | {
            V2: edit(V2, "training:\n", "training:\n")[V2].replace(
                "code: {repo: https://git.example/fraud", 'code: {repo: "javascript:alert(6)"'
            ),
        }
    )
    result = validate_catalog(root, TODAY)
    assert result.errors == []
    readme = render_hf_readme(result.catalog, result.catalog.versions["fraud@2.0.0"])
    body = readme.split("\n---\n", 1)[1]
    rendered = _safe_render(body)
    assert "raw HTML omitted" not in rendered  # every < was text
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', rendered)
    # (GitHub-flavoured Markdown makes an e-mail address in text a mailto link by itself)
    assert hrefs and all(web_url(h) or h.startswith("mailto:") for h in hrefs), hrefs
    assert "https://example.org/docs" in hrefs and "`javascript:alert(6)`" in body
    shown = to_html(body)  # and what a renderer that lets HTML through would show
    assert re.search(r"<(script|img|div|b)\b", shown) is None  # as text, escaped, instead
    assert re.search(r"<[^>]*\son\w+=", shown) is None and "&lt;script&gt;" in shown
    assert "&lt;b&gt;kept as code&lt;/b&gt;" in shown  # code stays code


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="<>[]()!:`\\/ \n#*abhjtsvcript.-=\"'&;|~", max_size=80))
def test_inert_markdown_renders_no_raw_html_and_no_off_site_link(text: str) -> None:
    rendered = _safe_render(inert(text))
    assert "raw HTML omitted" not in rendered
    for target in re.findall(r'(?:href|src)="([^"]*)"', rendered):
        assert link_target(target.replace("&amp;", "&")) is not None, (text, target)


BOM = JsonStrictValidator(SchemaVersion.V1_6)


@pytest.mark.parametrize(
    "uri",
    [
        "s3://bucket/my model.onnx",
        "models/fraud.onnx",
        "//evil.example/x",
        "gs://b/{x}",
        "javascript:alert(1)",
    ],
)
def test_every_bom_validates_and_keeps_a_uri_it_cannot_link_as_text(
    uri: str, make_catalog: CatalogMaker
) -> None:
    root = make_catalog(edit(V2, "uri: s3://m/fraud/2.0.0/model.onnx", f'uri: "{uri}"'))
    result = validate_catalog(root, TODAY)
    assert result.errors == []
    bom = render_cyclonedx_bom(result.catalog, [result.catalog.versions["fraud@2.0.0"]])
    assert BOM.validate_str(bom_json_text(bom)) is None
    model = bom["metadata"]["component"]  # the BOM's subject: the version
    urls = [r["url"] for r in model.get("externalReferences", [])]
    assert uri not in urls
    assert {"name": "modelcards:uri", "value": f"artifact {uri}"} in model["properties"]


def test_a_tab_in_a_uri_is_refused_before_any_bom_is_made(make_catalog: CatalogMaker) -> None:
    root = make_catalog(edit(V2, "uri: s3://m/fraud/2.0.0/model.onnx", 'uri: "s3\\t://m/x"'))
    assert [p.code for p in validate_catalog(root, TODAY).errors] == ["MC019"]
    assert recorded_uri("s3://m/fraud/2.0.0/model.onnx") == "s3://m/fraud/2.0.0/model.onnx"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("pattern", ["[a](", "[", "`|", "](((((", "](<", "> [x]: j:a\n", "\\`"])
def test_making_markdown_inert_is_linear(pattern: str) -> None:

    text = repeated(pattern)  # the longest Markdown field that validates
    assert len(inert(text)) >= len(text)
