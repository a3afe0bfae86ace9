"""A real MLflow tracking server for the import tests, and small fake servers for failures.

`mlflow server` (the `mlflow` package is a test-only dependency) runs on a free port with a
SQLite backend in a temporary folder, once per test session. Without the package the tests
skip on a laptop and fail under CI=true, where .ci/run installs it.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

START_TIMEOUT = 120.0  # seconds; the server imports a lot on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_mlflow() -> None:
    try:
        import mlflow  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("the mlflow package is missing; CI installs it with the test extra")
        pytest.skip("the mlflow package is not installed (pip install -e '.[test]')")


@dataclass
class MlflowServer:
    uri: str
    folder: Path
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _healthy(uri: str) -> bool:
    try:
        with urllib.request.urlopen(f"{uri}/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def start_mlflow_server(folder: Path) -> MlflowServer:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    uri = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mlflow",
                "server",
                "--backend-store-uri",
                f"sqlite:///{folder / 'mlflow.db'}",
                "--default-artifact-root",
                str(folder / "artifacts"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=folder,
            # MLflow's job runner (on by default since 3.x) is not used by the import and
            # leaves a folder in /dev/shm behind every server it starts.
            env={**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
            start_new_session=True,
        )
    server = MlflowServer(uri, folder, process, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _healthy(uri):
            return server
        time.sleep(0.5)
    server.stop()
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    pytest.fail(
        f"mlflow server did not come up on {uri} within {START_TIMEOUT:g} s "
        f"(exit code {process.returncode}); its log ends:\n{tail}"
    )


# ---- fake servers for the failures ----------------------------------------------------------


@dataclass
class FakeServer:
    uri: str
    requests: list[dict[str, Any]] = field(default_factory=list)


# status, content type, body, and optionally more headers
Answer = tuple[int, str, bytes] | tuple[int, str, bytes, dict[str, str]]
Route = Callable[[str], Answer]


def json_answer(data: Any, status: int = 200) -> Answer:
    return status, "application/json", json.dumps(data).encode()


@contextlib.contextmanager
def fake_server(route: Route) -> Iterator[FakeServer]:
    """An HTTP server on loopback answering each GET with route(path and query)."""
    fake = FakeServer("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append({"path": self.path, "headers": dict(self.headers)})
            status, kind, body, *more = route(self.path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for name, value in (more[0] if more else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(ConnectionError):  # a client that gave up waiting
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.uri = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def raw_server(reply: bytes) -> Iterator[str]:
    """A TCP server on loopback that answers any request with `reply`: not HTTP at all."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.recv(65536)
                connection.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
