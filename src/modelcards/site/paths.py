"""Where each page lives in the built site, and links between pages.

Every internal link is relative to the page it appears on, so the site works under any
sub-path and straight from disk (file://). Links name `index.html` explicitly because a
browser opening files does not look for it in a folder.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from ..formats.files import version_export_path as version_export_path

HOME = "index.html"
GOVERNANCE = "governance/index.html"
DATASETS = "datasets/index.html"
NOT_FOUND = "404.html"
CATALOG_JSON = "api/catalog.json"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
STYLE = "assets/style.css"
SEARCH_INDEX = "assets/search-index.js"
# The folders at the site's root. The 404 page, served at any depth, finds the site root by
# them: every page but the root's own files lives in one of these (a test holds them true).
FOLDERS = ("api", "assets", "badges", "compare", "datasets", "governance", "models")


def model_path(model_id: str) -> str:
    return f"models/{model_id}/index.html"


def lineage_path(model_id: str) -> str:
    """The full lineage graph of a model (its own page: the model page folds and caps it)."""
    return f"models/{model_id}/lineage.html"


def version_path(ref: str) -> str:
    """The page of a `model@version` reference."""
    model_id, _, version = ref.partition("@")
    return f"models/{model_id}/{version}/index.html"


def dataset_path(dataset_id: str) -> str:
    return f"datasets/{dataset_id}/index.html"


# Pages link to the same few thousand places again and again (a version page makes 30 links):
# the pure functions of a name below are kept for the names seen last.
_SEEN = 1 << 16


@lru_cache(maxsize=_SEEN)
def segment(name: str) -> str:
    """A free-form name (a dataset version, a split, a metric) as one safe piece of a path or
    an id: letters, digits, "-" and "." are kept (not a leading "."), every other byte of
    its UTF-8 is "_" and two hex digits. Different names never give the same piece."""
    out = []
    for index, char in enumerate(name):
        if char.isascii() and (char.isalnum() or char == "-" or (char == "." and index)):
            out.append(char)
        else:
            out.extend(f"_{byte:02x}" for byte in char.encode("utf-8"))
    return "".join(out)


def leaderboard_path(dataset_ref: str) -> str:
    """The leaderboard of a dataset version (`dataset@version`)."""
    dataset_id, _, name = dataset_ref.partition("@")
    return f"datasets/{dataset_id}/leaderboards/{segment(name)}.html"


def compare_path(task: str) -> str:
    """The page that compares two versions of the models of a task."""
    return f"compare/{segment(task)}/index.html"


def compare_index_path(task: str) -> str:
    """The task's models, for the compare page's pickers (a script)."""
    return f"compare/{segment(task)}/models.js"


def compare_data_path(model_id: str) -> str:
    """What the compare page shows about each version of a model (a script)."""
    return f"models/{model_id}/compare.js"


def badge_path(model_id: str) -> str:
    return f"badges/{model_id}.svg"


def root_prefix(page: str) -> str:
    """The way back to the site root from `page` ('' at the root, '../' one level down)."""
    return "../" * page.count("/")


def relative(page: str, target: str) -> str:
    """The link from `page` to `target`, both paths from the site root."""
    return root_prefix(page) + _quoted(target)


@lru_cache(maxsize=_SEEN)
def _quoted(target: str) -> str:
    return quote(target)


def absolute(base_url: str, target: str) -> str:
    return base_url.rstrip("/") + "/" + quote(target)


# One address, no spaces, quotes or angle brackets: what a mail client takes after mailto:.
_EMAIL = re.compile(r"[^@\s<>\"'`\\(),;:]+@[^@\s<>\"'`\\(),;:]+\.[A-Za-z]{2,}")


def mail_href(text: str | None) -> str | None:
    """A mailto: link for an owner's contact that is one email address, else None."""
    if not text or _EMAIL.fullmatch(text) is None:
        return None
    return "mailto:" + quote(text, safe="@.+-_")
