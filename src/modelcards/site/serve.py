"""`modelcards serve`: build, serve on 127.0.0.1, rebuild when a card or template changes.

The server serves whatever the output folder holds. A rebuild swaps a complete new site
in, and a failed one (an edit that breaks validation) leaves the last good site in place,
so the browser keeps working while the errors are printed.
"""

from __future__ import annotations

import contextlib
import functools
import io
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles

from ..reporters import report_text
from ..texts import capped
from ..writing import UnsafeOutput
from .build import BuildFailed, SiteConfig, build_site
from .paths import NOT_FOUND
from .render import DEFAULT_THEME

Echo = Callable[[str], None]
DEBOUNCE_MS = 300


def rebuild(
    config: SiteConfig, echo: Echo, changed: Iterable[str] = (), gate: RebuildGate | None = None
) -> bool:
    """Build once, saying what happened; True when a new site is in place. With a `gate`,
    requests for pages the site does not have wait until the build is over (see _Handler)."""
    names = sorted(set(changed))
    if names:
        echo("changed: " + capped(names))
    try:
        with gate.building() if gate is not None else contextlib.nullcontext():
            report = build_site(config)
    except (BuildFailed, UnsafeOutput, OSError) as error:
        echo(f"error: {error}")
        echo("the last good site is still being served")
        return False
    except Exception as error:  # a bug, or a limit we missed: the server must keep serving
        echo(f"error: the rebuild failed unexpectedly: {type(error).__name__}: {error}")
        echo("the last good site is still being served")
        return False
    if report.files is None:
        stream = io.StringIO()
        report_text(report.validation, stream, False)
        echo(stream.getvalue().rstrip("\n"))
        echo("the catalog is invalid; the last good site is still being served")
        return False
    echo(report.summary(config.output))
    return True


class RebuildGate:
    """Whether a rebuild is under way, and a count of rebuilds begun and ended.

    A rebuild moves the folders of unchanged models from the site being served into the new
    one just before the swap, and the output folder is briefly missing during it; a request
    that finds nothing then waits for the rebuild to end and looks again, so a page that both
    sites have never answers 404. The count tells a request whether a rebuild ran while it
    was looking, even one that has ended since."""

    WAIT_SECONDS = 60.0

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._building = False
        self._count = 0

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        with self._changed:
            self._building = True
            self._count += 1
        try:
            yield
        finally:
            with self._changed:
                self._building = False
                self._count += 1
                self._changed.notify_all()

    def stamp(self) -> int:
        with self._changed:
            return self._count

    def settled_since(self, stamp: int) -> bool:
        """No rebuild was under way at `stamp`, and none has begun since."""
        with self._changed:
            return not self._building and self._count == stamp and stamp % 2 == 0

    def wait(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: not self._building, self.WAIT_SECONDS)


def watched_folders(config: SiteConfig) -> list[Path]:
    """The catalog, the theme override folder and the default theme (edited in a checkout)."""
    folders = [config.catalog, config.theme_folder(), DEFAULT_THEME]
    return [folder.resolve() for folder in folders if folder is not None and folder.is_dir()]


def watch_and_rebuild(
    config: SiteConfig, echo: Echo, stop: threading.Event, gate: RebuildGate | None = None
) -> None:
    """Rebuild after every batch of changes until `stop` is set."""
    for changes in watchfiles.watch(
        *watched_folders(config),
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        raise_interrupt=False,
    ):
        rebuild(config, echo, (path for _, path in changes), gate)


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
BACKLOG = 256  # pending connections the kernel keeps (the default, 5, drops them under load)


class _NotYet(Exception):
    """A page not found while a rebuild was under way: look again once it is over."""


class _Handler(SimpleHTTPRequestHandler):
    """Static files, never cached (each rebuild must show), and no request log; a missing
    file is answered with the site's own 404.html (status 404), as static hosts do.

    Only requests addressed to this machine by name are answered: a page on another site
    that makes the browser resolve its own name to 127.0.0.1 (DNS rebinding) sends its own
    name as Host, and gets 421. A path the file system cannot take (a NUL byte) is a 400.
    """

    server: _Server
    _stamp: int | None = None

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        host = self.headers.get("Host")
        if host is not None and _host_name(host) not in LOCAL_HOSTS:
            self.send_error(
                HTTPStatus.MISDIRECTED_REQUEST,
                "This server answers requests for 127.0.0.1 or localhost only",
            )
            return False
        return True

    def send_head(self) -> Any:
        gate = self.server.gate
        try:
            self._stamp = gate.stamp() if gate is not None else None
            try:
                return super().send_head()
            except _NotYet:
                assert gate is not None
                gate.wait()
                self._stamp = None
                return super().send_head()
        except ValueError:  # a NUL byte, or text no file name can hold
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        gate, stamp = self.server.gate, self._stamp
        if (
            code == HTTPStatus.NOT_FOUND
            and gate is not None
            and stamp is not None
            and (not gate.settled_since(stamp))
        ):
            raise _NotYet
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(page)

    def _not_found_page(self) -> bytes | None:
        try:
            return (Path(self.directory) / NOT_FOUND).read_bytes()
        except OSError:
            return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


def _host_name(host: str) -> str:
    """The name in a Host header, without its port: `localhost:8000` -> `localhost`."""
    name = host.strip().lower()
    if name.startswith("["):
        return name.partition("]")[0] + "]"
    return name.rpartition(":")[0] if ":" in name else name


class _Server(ThreadingHTTPServer):
    request_queue_size = BACKLOG
    daemon_threads = True
    gate: RebuildGate | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, not a traceback, and nothing for a client that went away."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(
            f"error answering {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr
        )


def make_server(output: Path, port: int, gate: RebuildGate | None = None) -> _Server:
    """A server of `output` on 127.0.0.1 (port 0: any free port), not started yet. The
    folder is looked up by its path on every request, so a swapped-in site is served."""
    handler = functools.partial(_Handler, directory=str(output.absolute()))
    server = _Server(("127.0.0.1", port), handler)
    server.gate = gate
    return server


def start_server(output: Path, port: int, gate: RebuildGate | None = None) -> ThreadingHTTPServer:
    """Serve `output` on 127.0.0.1 from a background thread (port 0: any free port)."""
    server = make_server(output, port, gate)
    threading.Thread(target=server.serve_forever, name="modelcards-serve", daemon=True).start()
    return server


def serve(config: SiteConfig, port: int, echo: Echo, stop: threading.Event | None = None) -> None:
    """Build, serve and rebuild on changes until interrupted (or `stop` is set)."""
    gate = RebuildGate()
    rebuild(config, echo, gate=gate)
    config.output.mkdir(parents=True, exist_ok=True)
    server = start_server(config.output, port, gate)
    echo(
        f"serving {config.output} at http://127.0.0.1:{server.server_address[1]}/ "
        "(press Ctrl+C to stop)"
    )
    stop = stop or threading.Event()
    try:
        watch_and_rebuild(config, echo, stop, gate)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
