"""No script, event handler or javascript: URL from a card reaches any page."""

from __future__ import annotations

import re

from modelcards.site.markup import render_markdown
from modelcards.urls import web_url

from ..helpers.catalogs import CatalogMaker
from ..helpers.site import INJECTION, elements, site_files

OUR_SCRIPTS = {
    "assets/site.js",
    "assets/search-index.js",
    "assets/lineage.js",
    "assets/compare.js",
    "/models.js",
}  # the last: compare/<task>/models.js


def _ours(path: str, tag: str, attrs: dict[str, str]) -> bool:
    """Our scripts, and the 404 page's inline style sheet and script (templates/404.html:
    served at any depth, it cannot link them; the test below shows no card text is in them)."""
    if tag == "script" and any(attrs.get("src", "").endswith(ours) for ours in OUR_SCRIPTS):
        return True
    return path == "404.html" and (tag == "style" or "data-folders" in attrs)


def _unsafe(path: str, data: bytes) -> list[str]:
    found = []
    for tag, attrs in elements(data):
        if tag in ("script", "iframe", "object", "embed", "style") and not _ours(path, tag, attrs):
            found.append(f"{path}: <{tag} {attrs}>")
        for name, value in attrs.items():
            squeezed = "".join(value.split()).lower()
            if name.startswith("on") or (name == "style" and "url(" in squeezed):
                found.append(f"{path}: <{tag}> has {name}={value!r}")
            if name in ("href", "src", "action", "xlink:href") and (
                squeezed.startswith(("javascript:", "data:", "vbscript:"))
            ):
                found.append(f"{path}: <{tag}> {name}={value!r}")
    return found


def test_injection_in_every_field_reaches_no_page(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog(INJECTION))
    pages = {p: d for p, d in files.items() if p.endswith((".html", ".svg", ".xml"))}
    assert "models/evil/1.0.0/index.html" in pages and "datasets/evil/index.html" in pages
    problems = [found for path, data in pages.items() for found in _unsafe(path, data)]
    assert problems == []
    # The 404 page's style sheet and script are the theme's alone, whatever the cards say.
    inline = re.compile(rb"<style>.*?</style>|<script data-base[^>]*>.*?</script>", re.S)
    plain = site_files(make_catalog())["404.html"]
    assert inline.findall(pages["404.html"]) == inline.findall(plain) != []
    version = pages["models/evil/1.0.0/index.html"].decode()
    # The attempts are still there, as visible text, so a reviewer can see them.
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in version
    assert '<code class="uri">javascript:alert(9)</code>' in version


def test_search_index_cannot_close_a_script(make_catalog: CatalogMaker) -> None:
    index = site_files(make_catalog(INJECTION))["assets/search-index.js"].decode()
    assert "<" not in index
    assert "\\u003cscript>alert('x')\\u003c/script>" in index


def test_markdown_keeps_safe_markup_and_marks_links_noopener() -> None:
    html = render_markdown("**bold** [site](https://example.org) `code`\n\n| a |\n|---|\n| 1 |")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener">site</a>' in html
    assert "<code>code</code>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_markdown_drops_scripts_handlers_and_script_urls() -> None:
    html = render_markdown(
        "<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=alert(3)>"
        ' <a href="JaVaScRiPt:alert(4)">y</a>'
    )
    assert "<script" not in html.lower() and "&lt;script&gt;" in html  # shown, as text
    assert "onerror" not in html and "<img" not in html
    assert "href" not in html.replace('href="https', "")
    link = render_markdown("[x](javascript:alert(2))")
    assert "javascript" not in link.lower() and "href" not in link


def test_only_web_addresses_become_links() -> None:  # urls.web_url, for every output
    assert web_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    assert web_url("HTTP://EXAMPLE.ORG") == "HTTP://EXAMPLE.ORG"
    for url in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "s3://bucket/model.onnx",
        "data:text/html,x",
        "//evil.example/x",
        "https://",
        None,
        "",
        'https://example.org/"onmouseover="alert(1)',
    ):
        assert web_url(url) is None, url


def test_compare_data_cannot_close_a_script_or_act_on_text(make_catalog: CatalogMaker) -> None:
    files = site_files(make_catalog(INJECTION))
    scripts = {
        p: d.decode()
        for p, d in files.items()
        if (p.endswith("/compare.js") and p.startswith("models/")) or p.endswith("/models.js")
    }
    assert "models/evil/compare.js" in scripts
    for path, text in scripts.items():
        assert "<" not in text, path
        assert text.isascii(), path
    assert "\\u003cscript>alert('x')\\u003c/script>" in scripts["models/evil/compare.js"]
