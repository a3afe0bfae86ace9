"""`modelcards serve`: every address answers what `build` writes there, and an edit shows on
the next reload; an edit that breaks the catalog keeps the last good site."""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import watchfiles
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.rules.incremental import IncrementalCheck
from modelcards.site.build import MARKER, SiteConfig
from modelcards.site.live import LiveSite
from modelcards.site.render import DEFAULT_THEME
from modelcards.site.serve import (
    changed_paths,
    make_server,
    site_path,
    start_server,
    watched_folders,
)

from ..helpers.catalogs import SMALL, V1, V2, CatalogMaker, M, edit
from ..helpers.site import TODAY, site_files

PAGE = "models/fraud/2.0.0/index.html"
DATASET = "datasets/tx.yaml"
WITH_SITEMAP = edit(
    "catalog.yaml", "title: Test catalog", "title: Test catalog\nbase_url: https://models.example/"
)


def _live(root: Path, said: list[str] | None = None) -> LiveSite:
    config = SiteConfig(root, root.parent / "unused", today=TODAY, cache=root.parent / "cache")
    return LiveSite(config, (said if said is not None else []).append)


def _served(live: LiveSite) -> dict[str, bytes]:
    """Every file of the generation being served, rendered."""
    generation = live.current()
    assert generation is not None
    files = {path: generation.file(path) for path in generation.pages}
    return {path: data for path, data in files.items() if data is not None}


def _built(root: Path) -> dict[str, bytes]:
    return {name: data for name, data in site_files(root).items() if name != MARKER}


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status), dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), dict(error.headers), error.read()


@pytest.fixture
def serving(make_catalog: CatalogMaker) -> Iterator[tuple[LiveSite, str]]:
    live = _live(make_catalog(WITH_SITEMAP))
    assert live.load()
    server = start_server(live, 0)
    yield live, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_every_file_build_writes_is_served_with_the_same_bytes(
    serving: tuple[LiveSite, str],
) -> None:
    live, base = serving
    built = _built(live.config.catalog)
    assert "sitemap.xml" in built and "404.html" in built and "api/catalog.json" in built
    generation = live.current()
    assert generation is not None and set(generation.pages) == set(built)
    for name, data in built.items():
        status, headers, body = _get(base + name)
        assert (status, body) == (200, data), name
        assert headers["Content-Type"] == (mimetypes.guess_type(name)[0] or ""), name
        assert headers["Cache-Control"] == "no-store"
    # A folder's address is its index.html; without its slash, a redirect to it.
    assert _get(base)[2] == built["index.html"]
    assert _get(base + "models/fraud/2.0.0/?a=1")[2] == built[PAGE]
    request = urllib.request.Request(base + "models/fraud/2.0.0?a=1", method="HEAD")
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(request, timeout=10)
    assert moved.value.code == 301
    assert moved.value.headers["Location"] == "/models/fraud/2.0.0/?a=1"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({V2: "summary: Retrained on Q4 data.|summary: Served fresh."}, id="version"),
        pytest.param({M: "summary: Scores|summary: Now scores"}, id="model"),
        pytest.param({DATASET: "Card transactions|Every card transaction"}, id="dataset"),
        pytest.param({"catalog.yaml": "title: Test catalog|title: Edited catalog"}, id="catalog"),
        pytest.param({SMALL: None}, id="version deleted"),
        pytest.param(
            {
                "models/fraud/3.0.0.yaml": 'version: "3.0.0"\nreleased: 2026-03-01\nsummary: New.\n'
                "lifecycle:\n  - {stage: development, date: 2026-03-01, by: dana}\n"
            },
            id="version added",
        ),
        pytest.param(
            {"theme/version.html": "{% block breadcrumbs %}|{% block breadcrumbs %}<p>Themed.</p>"},
            id="theme template",
        ),
    ],
)
def test_after_an_edit_serve_answers_what_a_fresh_build_writes(
    make_catalog: CatalogMaker, changes: dict[str, str | None]
) -> None:
    root = make_catalog(WITH_SITEMAP)
    theme = root.parent / "theme"
    theme.mkdir()
    shutil.copy(DEFAULT_THEME / "version.html", theme / "version.html")
    live = _live(root)
    assert live.load()
    before = _served(live)
    assert before == _built(root)
    changed = []
    for name, change in changes.items():
        path = (theme / name.removeprefix("theme/")) if name.startswith("theme/") else root / name
        if change is None:
            path.unlink()
        elif "|" in change:
            old, new = change.split("|")
            text = path.read_text(encoding="utf-8")
            assert old in text
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        else:
            path.write_text(change, encoding="utf-8")
        changed.append(str(path.resolve()))
    assert live.load(changed)
    after = _served(live)
    assert after == {n: d for n, d in site_files(root, theme=theme).items() if n != MARKER}
    assert after != before


def test_an_invalid_edit_keeps_the_last_good_pages_and_prints_the_problems(
    make_catalog: CatalogMaker,
) -> None:
    root = make_catalog()
    said: list[str] = []
    live = _live(root, said)
    assert live.load()
    before = _served(live)
    make_catalog(edit(V1, "replaced_by: 2.0.0", "replaced_by: 9.9.9"))
    assert not live.load([str((root / V1).resolve())])
    assert "error MC025 replaced_by '9.9.9' does not resolve" in said[-3]
    assert said[-2:] == ["the catalog is invalid", "the last good site is still being served"]
    assert _served(live) == before
    # Fixed again: served as a build of the fixed catalog.
    make_catalog()
    assert live.load([str((root / V1).resolve())])
    assert _served(live) == _built(root)


def test_a_theme_that_fails_keeps_the_last_good_theme(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    theme = root.parent / "theme"
    theme.mkdir()
    said: list[str] = []
    live = _live(root, said)
    assert live.load()
    before = _served(live)
    template = theme / "version.html"
    for broken in ("{% if %}", "{{ no_such_value.at_all }}"):  # does not compile; fails on pages
        template.write_text(broken, encoding="utf-8")
        assert not live.load([str(template.resolve())])
        assert said[-2].startswith("error: "), said[-2:]
        assert said[-1] == "the last good site is still being served"
        assert _served(live) == before
    template.unlink()
    assert live.load([str(template.resolve())])
    assert _served(live) == before


def test_a_missing_page_is_answered_with_the_sites_404_page(
    serving: tuple[LiveSite, str],
) -> None:
    live, base = serving
    page = _built(live.config.catalog)["404.html"]
    for method in ("GET", "HEAD"):
        for address in ("models/fraud/9.9.9/", "assets/", "models/", "nope.html"):
            request = urllib.request.Request(base + address, method=method)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=5)
            assert refused.value.code == 404
            assert refused.value.read() == (page if method == "GET" else b"")
            assert refused.value.headers["Content-Length"] == str(len(page))
            assert refused.value.headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_request_during_a_reload_waits_for_it(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules are made slow; a page asked for while they run is the edited one."""
    root = make_catalog()
    live = _live(root)
    assert live.load()
    server = start_server(live, 0)
    url = f"http://127.0.0.1:{server.server_address[1]}/{PAGE}"
    real = IncrementalCheck.check
    started = threading.Event()

    def slow(self: IncrementalCheck, *args: Any) -> Any:
        started.set()
        time.sleep(1.0)
        return real(self, *args)

    monkeypatch.setattr(IncrementalCheck, "check", slow)
    make_catalog(edit(V2, "summary: Retrained on Q4 data.", "summary: Served fresh."))
    loading = threading.Thread(target=live.load, args=([str((root / V2).resolve())],))
    try:
        loading.start()
        assert started.wait(10)
        asked = time.monotonic()
        status, _, body = _get(url)
        assert time.monotonic() - asked > 0.5  # it waited for the reload
        assert status == 200 and b"Served fresh." in body
    finally:
        loading.join(timeout=30)
        server.shutdown()
        server.server_close()


def test_watches_the_catalog_and_the_themes(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    (root.parent / "theme").mkdir()
    folders = watched_folders(SiteConfig(root, root.parent / "site"))
    assert folders[:2] == [root.resolve(), (root.parent / "theme").resolve()]
    assert folders[2].name == "templates"


def test_a_batch_of_changes_names_what_changed_between_batches(tmp_path: Path) -> None:
    """A file made and removed within one batch (an editor's temporary file) is no change;
    a card edited, added or deleted is one."""
    edited, new, gone = tmp_path / "1.0.0.yaml", tmp_path / "2.0.0.yaml", tmp_path / "old.yaml"
    edited.write_text("x")
    new.write_text("y")
    changes = {
        (watchfiles.Change.added, str(tmp_path / ".1.0.0.yaml.swp")),
        (watchfiles.Change.modified, str(tmp_path / ".1.0.0.yaml.swp")),
        (watchfiles.Change.deleted, str(tmp_path / ".1.0.0.yaml.swp")),
        (watchfiles.Change.modified, str(edited)),
        (watchfiles.Change.added, str(new)),
        (watchfiles.Change.deleted, str(gone)),
    }
    assert changed_paths(changes) == sorted([str(edited), str(new), str(gone)])
    assert changed_paths({(watchfiles.Change.added, str(tmp_path / "tmp"))}) == []


@pytest.mark.parametrize(
    ("address", "path"),
    [
        ("/", "index.html"),
        ("/models/fraud/", "models/fraud/index.html"),
        ("/models/fraud/index.html?x=1#y", "models/fraud/index.html"),
        ("/a/../models/./fraud/", "models/fraud/index.html"),
        ("/../../etc/passwd", "etc/passwd"),
        ("/..%2f..%2fetc%2fpasswd", "etc/passwd"),
        ("/datasets/tx/leaderboards/2025_20Q4.html", "datasets/tx/leaderboards/2025_20Q4.html"),
        ("/%E2%82%AC.html", "€.html"),
    ],
)
def test_an_address_names_a_file_of_the_site_and_nothing_outside(address: str, path: str) -> None:
    assert site_path(address, lambda _: False) == path


# ---- through the command line -----------------------------------------------------------------


@pytest.mark.timeout(120)
def test_serve_shows_an_edit_on_the_next_reload(make_catalog: CatalogMaker, tmp_path: Path) -> None:
    """The real command: it writes nothing, says -o is not used, and an edited card shows,
    named alone among the changes (not the editor's temporary file)."""
    root = make_catalog()
    command = [sys.executable, "-m", "modelcards", "serve", str(root), "--port", "0"]
    command += ["--today", TODAY.isoformat(), "-o", str(tmp_path / "out")]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        # Ctrl+C's signal at its default, as in a terminal (a shell without job control
        # leaves it ignored in what it starts in the background, and so would the server).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        lines: list[str] = []
        while not (lines and "serving" in lines[-1]):
            lines.append(process.stdout.readline())
            assert lines[-1], process.stderr.read()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[-1])
        assert found is not None, lines
        url = f"http://127.0.0.1:{found.group(1)}/{PAGE}"
        assert b"Retrained on Q4 data." in _get(url)[2]
        time.sleep(0.5)  # the watcher starts after the first answer can be given
        card = root / V2  # saved as `sed -i` saves: a temporary file renamed over the card
        saved = card.with_name("sedXy12ab")
        saved.write_text(card.read_text().replace("Retrained on Q4 data.", "Served fresh."))
        os.replace(saved, card)
        deadline = time.monotonic() + 30
        while b"Served fresh." not in _get(url)[2] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b"Served fresh." in _get(url)[2]
    finally:
        process.send_signal(signal.SIGINT)
        said, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert f"changed: {card.resolve()}\n" in said  # not the temporary file, come and gone
    assert "sedXy12ab" not in said + errors
    assert f"-o {tmp_path / 'out'} is not used" in errors
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors  # a quiet stop
    assert not (tmp_path / "out").exists() and not (tmp_path / "site").exists()


def test_serve_refuses_an_unsafe_cache_folder(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    result = CliRunner().invoke(cli, ["serve", str(root), "--cache", str(root)])
    assert result.exit_code == 2
    assert "refusing to keep the cache in" in result.output


def test_serve_on_a_port_in_use_says_so_before_loading(make_catalog: CatalogMaker) -> None:
    # At 1,000 models, loading takes seconds: a port in use is said first, and nothing loaded.
    root = make_catalog()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(root), "--port", str(port)])
    assert result.exit_code == 2
    assert result.output == (f"Error: cannot serve on 127.0.0.1:{port}: Address already in use\n")


# ---- under load and under attack (issue 18, item 13) -------------------------------------------


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def served(serving: tuple[LiveSite, str]) -> int:
    return int(serving[1].rsplit(":", 1)[1].strip("/"))


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/%00", 400),
        ("/models/%00/index.html", 400),
        ("/%ED%A0%80", 400),
        ("/../../../../etc/passwd", 404),
        ("/..%2f..%2f..%2fetc%2fpasswd", 404),
        ("/" + "a" * 5000, 404),
        ("/models/fraud/index.html", 200),
    ],
)
def test_malformed_paths_are_answered_without_a_traceback(
    served: int, capfd: pytest.CaptureFixture[str], path: str, status: int
) -> None:
    answer = _raw(served, f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert answer.startswith(f"HTTP/1.0 {status} ".encode()), answer[:200]
    assert b"root:" not in answer
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1", 200),
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
        ("LOCALHOST", 200),
        ("[::1]:{port}", 200),
        (None, 200),
        ("evil.example", 421),
        ("evil.example:{port}", 421),
        ("127.0.0.1.evil.example", 421),
        ("localhost.evil.example:{port}", 421),
        ("", 421),
    ],
)
def test_only_requests_addressed_to_this_machine_are_answered(
    served: int, host: str | None, status: int
) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name, which is the Host it sends."""
    header = "" if host is None else f"Host: {host.format(port=served)}\r\n"
    answer = _raw(served, f"GET /index.html HTTP/1.0\r\n{header}\r\n".encode())
    assert answer.startswith(f"HTTP/1.0 {status} ".encode()), answer[:200]
    if status == 421:
        assert b"Catalog" not in answer  # nothing of the site


@pytest.mark.timeout(60)
def test_two_hundred_clients_at_once_are_all_answered(make_catalog: CatalogMaker) -> None:
    """All connect before the server accepts a single one: the listen backlog keeps them."""
    live = _live(make_catalog())
    assert live.load()
    server = make_server(live, 0)
    port = server.server_address[1]
    clients = min(200, int(Path("/proc/sys/net/core/somaxconn").read_text()) - 1)
    sockets = [socket.socket() for _ in range(clients)]
    for client in sockets:
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", port))
    _, ready, _ = select.select([], sockets, [], 2.0)
    connected = [s for s in ready if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0]
    assert len(connected) == clients
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for client in sockets:
            client.setblocking(True)
            client.settimeout(30)
            client.sendall(b"GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n")
        answers = [client.recv(12) for client in sockets]
    finally:
        for client in sockets:
            client.close()
        server.shutdown()
        server.server_close()
    assert answers == [b"HTTP/1.0 200"] * clients


def test_an_invalid_catalog_at_start_is_answered_with_503_until_fixed(
    make_catalog: CatalogMaker,
) -> None:
    root = make_catalog(edit(V1, "replaced_by: 2.0.0", "replaced_by: 9.9.9"))
    live = _live(root)
    assert not live.load()
    server = start_server(live, 0)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        assert _get(url)[0] == 503
        make_catalog()
        assert live.load([str((root / V1).resolve())])
        assert _get(url)[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_card_edit_held_back_by_a_broken_theme_shows_once_the_theme_is_fixed(
    make_catalog: CatalogMaker,
) -> None:
    """One save breaks a template and another edits a card: neither shows; fixing the
    template alone shows both the fixed theme and the card as it is on disk."""
    root = make_catalog()
    theme = root.parent / "theme"
    theme.mkdir()
    template = theme / "version.html"
    live = _live(root)
    assert live.load()
    before = _served(live)
    make_catalog(edit(V2, "summary: Retrained on Q4 data.", "summary: Served fresh."))
    template.write_text("{{ no_such_value.at_all }}", encoding="utf-8")
    assert not live.load([str((root / V2).resolve()), str(template.resolve())])
    assert _served(live) == before
    template.unlink()
    assert live.load([str(template.resolve())])
    assert b"Served fresh." in _served(live)[PAGE]
    assert _served(live) == _built(root)


def test_past_midnight_the_next_reload_judges_the_catalog_as_of_the_new_day(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --today, the day is the clock's (here SOURCE_DATE_EPOCH) at each reload."""
    root = make_catalog()
    later = dt.date(2027, 6, 1)  # reviews overdue, sunsets passed: the governance page differs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 26).timestamp())))
    live = LiveSite(SiteConfig(root, root.parent / "unused", use_cache=False), lambda _: None)
    assert live.load()
    assert _served(live) == _built(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2027, 6, 1, 12).timestamp())))
    make_catalog(edit(V2, "summary: Retrained on Q4 data.", "summary: Served fresh."))
    assert live.load([str((root / V2).resolve())])
    after = {n: d for n, d in site_files(root, today=later).items() if n != MARKER}
    assert _served(live) == after
    assert after["governance/index.html"] != _built(root)["governance/index.html"]
