"""`modelcards serve`: rebuilds on change, keeps the last good site when an edit breaks it."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.site.build import SiteConfig
from modelcards.site.serve import rebuild, start_server, watch_and_rebuild, watched_folders

from .conftest import CatalogMaker
from .test_rules import V1, V2, edit
from .test_site_fixtures import TODAY

PAGE = "models/fraud/2.0.0/index.html"


def _config(root: Path) -> SiteConfig:
    return SiteConfig(root, root.parent / "site", today=TODAY)


def test_rebuild_replaces_the_site_after_a_good_edit(make_catalog: CatalogMaker) -> None:
    config = _config(make_catalog())
    said: list[str] = []
    assert rebuild(config, said.append) is True
    make_catalog(edit(V2, "summary: Retrained on Q4 data.", "summary: Retrained on fresh data."))
    assert rebuild(config, said.append, [str(config.catalog / "models/fraud/2.0.0.yaml")]) is True
    assert "Retrained on fresh data." in (config.output / PAGE).read_text()
    assert said[0] == f"built 24 files into {config.output}"
    assert said[1] == f"changed: {config.catalog / 'models/fraud/2.0.0.yaml'}"


def test_rebuild_keeps_the_last_good_site_and_prints_the_errors(make_catalog: CatalogMaker) -> None:
    config = _config(make_catalog())
    assert rebuild(config, lambda _: None) is True
    before = (config.output / PAGE).read_bytes()
    make_catalog(edit(V1, "replaced_by: 2.0.0", "replaced_by: 9.9.9"))
    said: list[str] = []
    assert rebuild(config, said.append) is False
    assert "error MC025 replaced_by '9.9.9' does not resolve" in said[0]
    assert said[-1] == "the catalog is invalid; the last good site is still being served"
    assert (config.output / PAGE).read_bytes() == before


def test_watches_the_catalog_and_the_themes(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    (root.parent / "theme").mkdir()
    folders = watched_folders(_config(root))
    assert folders[:2] == [root.resolve(), (root.parent / "theme").resolve()]
    assert folders[2].name == "templates"


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def test_an_edited_card_shows_on_the_served_site(make_catalog: CatalogMaker) -> None:
    config = _config(make_catalog())
    said: list[str] = []
    assert rebuild(config, said.append)
    server = start_server(config.output, 0)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(config, said.append, stop))
    watcher.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{PAGE}"
    try:
        assert "Retrained on Q4 data." in _fetch(url)
        time.sleep(0.5)  # let the watcher start before the edit
        make_catalog(edit(V2, "summary: Retrained on Q4 data.", "summary: Served fresh."))
        deadline = time.monotonic() + 30
        while "Served fresh." not in _fetch(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "Served fresh." in _fetch(url)
    finally:
        stop.set()
        watcher.join(timeout=10)
        server.shutdown()
        server.server_close()
    assert not watcher.is_alive()


def test_serve_refuses_an_unsafe_output(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    result = CliRunner().invoke(cli, ["serve", str(root), "-o", str(root)])
    assert result.exit_code == 2
    assert "refusing to build into" in result.output
