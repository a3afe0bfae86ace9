"""`modelcards serve`: rebuilds on change, keeps the last good site when an edit breaks it."""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.site import swap
from modelcards.site.build import SiteConfig
from modelcards.site.serve import (
    RebuildGate,
    make_server,
    rebuild,
    start_server,
    watch_and_rebuild,
    watched_folders,
)

from ..helpers.catalogs import BASE_SITE_FILES, V1, V2, CatalogMaker, edit
from ..helpers.site import TODAY

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
    assert said[0] == f"built {BASE_SITE_FILES} files into {config.output}"
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


# ---- under load and under attack (issue 18, item 13) -------------------------------------------


SOLO = {
    "models/solo/model.yaml": """\
        name: Solo
        summary: A model no other card mentions.
        owners: [{name: Solo team}]
        task: tabular-classification
        """,
    "models/solo/1.0.0.yaml": """\
        version: "1.0.0"
        released: 2026-02-01
        summary: The only version.
        lifecycle:
          - {stage: development, date: 2026-02-01, by: dana}
        """,
}


def _status(url: str, host: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("exchange", [True, False], ids=["one exchange", "two renames"])
def test_pages_of_unchanged_models_never_answer_404_during_a_rebuild(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    """Where the build cannot switch the sites in one atomic exchange (not Linux, or a file
    system without renameat2), the output folder is missing between two renames; a request in
    that moment waits for the rebuild to end instead of answering 404. Every rename of the
    rebuild is stretched, and an unchanged model's page asked for in each of them."""
    config = _config(make_catalog(SOLO))
    gate = RebuildGate()
    assert rebuild(config, lambda _: None, gate=gate)
    server = start_server(config.output, 0, gate)
    url = f"http://127.0.0.1:{server.server_address[1]}/models/solo/index.html"
    answers: list[int] = []
    asking: list[threading.Thread] = []
    renamed: list[str] = []

    def stretched(real: Callable[..., None]) -> Callable[..., None]:
        def rename(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
            real(source, target, *args, **kwargs)
            renamed.append(os.fspath(source))
            asking.append(threading.Thread(target=lambda: answers.append(_status(url))))
            asking[-1].start()
            time.sleep(0.3)  # long enough for a request to be answered, were it not held

        return rename

    make_catalog(edit(V2, "summary: Retrained on Q4 data.", "summary: Retrained again."))
    if not exchange:
        monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    try:
        assert _status(url) == 200
        monkeypatch.setattr(os, "rename", stretched(os.rename))
        monkeypatch.setattr(os, "replace", stretched(os.replace))
        assert rebuild(config, lambda _: None, gate=gate)
        monkeypatch.undo()
        for thread in asking:
            thread.join(timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    if not exchange:
        assert str(config.output.resolve()) in renamed  # the site was away for a moment
    assert answers and set(answers) == {200}, answers


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def served(make_catalog: CatalogMaker) -> Iterator[int]:
    config = _config(make_catalog())
    assert rebuild(config, lambda _: None)
    server = start_server(config.output, 0, RebuildGate())
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


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
    config = _config(make_catalog())
    assert rebuild(config, lambda _: None)
    server = make_server(config.output, 0)
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


def test_a_missing_page_is_answered_with_the_sites_404_page(make_catalog: CatalogMaker) -> None:
    config = _config(make_catalog())
    assert rebuild(config, lambda _: None)
    server = start_server(config.output, 0)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for method in ("GET", "HEAD"):
            request = urllib.request.Request(base + "models/fraud/9.9.9/", method=method)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=5)
            assert refused.value.code == 404
            body = refused.value.read()
            page = (config.output / "404.html").read_bytes()
            assert body == (page if method == "GET" else b"")
            assert refused.value.headers["Content-Length"] == str(len(page))
            assert refused.value.headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.shutdown()
        server.server_close()
