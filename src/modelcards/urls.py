r"""The one URL policy of every output: web addresses become links, anything else is text.

Card URLs (links, repositories, dashboards, artifact and dataset URIs, external lineage, the
destinations of Markdown links) may hold anything. Browsers are lenient in ways an attacker
counts on: they ignore tabs and newlines inside a scheme (`java\tscript:`), read `//host` as
"the same scheme, another host" and `\\host` as `//host`. So a URL becomes a link (in the
site, the Hugging Face README and the CycloneDX BOM) only when it is plainly an absolute
http(s) address: `http://` or `https://`, a host, and no whitespace, control, quote, angle
bracket or backslash anywhere. Everything else is shown as text, or left out where a
format only takes URLs.

A link written in Markdown may also be relative (`../complaint-detector/index.html`): the
site's own pages link that way, and a relative path stays on the site. It must be plainly
one: no scheme (no `:` before the first `/`, `?` or `#`), not starting with `/` (which
leaves a site served under a sub-path, and `/\host` is `//host` to browsers), and none of
the characters refused above.

A CycloneDX BOM records where things are rather than linking to them, so it also keeps other
absolute URIs (`s3://bucket/model.onnx`, MLflow's `models:/name/3`), when they are
well-formed IRIs the schema accepts (a tab in a scheme once made a BOM fail it), and never
a script or data scheme.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Characters no web address here may hold: whitespace, controls, invisible format
# characters, quotes, angle brackets, backquote, backslash.
_REFUSED = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    r"\ufeff\"'<>`\\]"
)
_WEB = re.compile(r"https?://[^/?#]", re.IGNORECASE)
_ABSOLUTE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):[^:]")
_NOT_IRI = re.compile(r"[{}|^\[\]]")  # outside a host, an IRI has none of these
_SCRIPTS = {"javascript", "vbscript", "data", "file"}


def web_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) address that is safe as a link, else None."""
    if not url or _REFUSED.search(url) or not _WEB.match(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def link_target(url: str | None) -> str | None:
    """`url` when a page may link to it: a web address, or a path relative to the page (a
    Markdown link's destination, or a link the site makes between its own pages)."""
    if web_url(url) is not None:
        return url
    if not url or _REFUSED.search(url) or url.startswith("/"):
        return None
    first = re.split(r"[/?#]", url, maxsplit=1)[0]
    return None if ":" in first else url


def recorded_uri(uri: str | None) -> str | None:
    """`uri` as a CycloneDX external reference may hold it: a web address, or another
    absolute URI that is a well-formed IRI; None for anything else (the BOM then keeps the
    text elsewhere, never as a URL)."""
    if not uri or _REFUSED.search(uri) or _NOT_IRI.search(uri):
        return None
    if web_url(uri) is not None:
        return uri
    scheme = _ABSOLUTE.match(uri)
    if scheme is None or scheme.group(1).lower() in _SCRIPTS:
        return None
    return uri
