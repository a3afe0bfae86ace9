"""`modelcards serve`: the site on 127.0.0.1, each page rendered when asked for (live.py), the
catalog loaded again when a card or template changes.

Nothing is written: the answer at each address is the file `modelcards build` writes there,
byte for byte. An edit that breaks validation prints the problems and the last good catalog
goes on being served; a request that arrives while a reload runs waits for it.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import sys
import threading
import urllib.parse
from collections.abc import Callable, Collection
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles

from ..texts import capped
from .build import SiteConfig
from .errors import BuildFailed
from .live import Echo, LiveSite
from .paths import HOME, NOT_FOUND
from .render import DEFAULT_THEME

# watchfiles hands over a batch of changes once none came for STEP_MS (an editor's save is a
# few events within a millisecond or two), and after DEBOUNCE_MS at the latest.
STEP_MS = 20
DEBOUNCE_MS = 300
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
BACKLOG = 256  # pending connections the kernel keeps (the default, 5, drops them under load)


def watched_folders(config: SiteConfig) -> list[Path]:
    """The catalog, the theme override folder and the default theme (edited in a checkout)."""
    folders = [config.catalog, config.theme_folder(), DEFAULT_THEME]
    return [folder.resolve() for folder in folders if folder is not None and folder.is_dir()]


def watch_and_reload(live: LiveSite, stop: threading.Event) -> None:
    """Load again after every batch of changes until `stop` is set."""
    for changes in watchfiles.watch(
        *watched_folders(live.config),
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        raise_interrupt=True,  # serve's own KeyboardInterrupt ends it, without a log line
    ):
        names = changed_paths(changes)
        if names:
            live.echo("changed: " + capped(names))
            live.load(names)


def changed_paths(changes: Collection[tuple[watchfiles.Change, str]]) -> list[str]:
    """The paths of a batch of changes, less the files that came and went within it: an
    editor's or `sed -i`'s temporary file, made, written and renamed over the card it saves
    (the card is among the changes; the temporary file was never there between batches)."""
    added = {path for change, path in changes if change == watchfiles.Change.added}
    paths = {path for _, path in changes}
    return sorted(path for path in paths if path not in added or os.path.lexists(path))


class Redirect(Exception):
    """The address of a folder without its final slash: the folder's address is `location`."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def site_path(address: str, exists: Callable[[str], bool]) -> str:
    """The site file an address asks for ("" for the root's index.html), as a static host
    reads it: query and fragment dropped, percent-decoded, `.` and `..` resolved within the
    site, a folder's address (ending in /) meaning its index.html. Raises ValueError for a path
    no file name can hold (a NUL byte, bytes that are not UTF-8) and Redirect for a folder
    named without its slash."""
    raw = address.split("?", 1)[0].split("#", 1)[0]
    text = urllib.parse.unquote(raw, errors="surrogatepass")
    text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    if "\0" in text:
        raise ValueError("NUL in path")
    parts = [p for p in posixpath.normpath("/" + text).split("/") if p not in ("", ".", "..")]
    path = "/".join(parts)
    if not path or text.endswith("/"):
        return posixpath.join(path, HOME)
    folder_index = posixpath.join(path, HOME)
    if not exists(path) and exists(folder_index):
        query = address.partition("?")[2]
        raise Redirect("/" + urllib.parse.quote(path) + "/" + (f"?{query}" if query else ""))
    return path


class _Handler(SimpleHTTPRequestHandler):
    """The site's files, never cached (each edit must show), and no request log; a missing
    file is answered with the site's own 404.html (status 404), as static hosts do.

    Only requests addressed to this machine by name are answered: a page on another site
    that makes the browser resolve its own name to 127.0.0.1 (DNS rebinding) sends its own
    name as Host, and gets 421. A path no file name can hold (a NUL byte) is a 400. An address
    is only ever looked up among the pages of the site: no path reaches the file system.
    """

    server: _Server

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
        live = self.server.live
        generation = live.current()
        if generation is None:
            self.send_error(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "The catalog has errors (see the terminal); the site shows once they are fixed",
            )
            return None
        try:
            path = site_path(self.path, generation.pages.__contains__)
            body = generation.file(path)
        except Redirect as redirect:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", redirect.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        except ValueError:  # a NUL byte, or text no file name can hold
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed path")
            return None
        except BuildFailed as error:  # a theme template that fails on this page
            live.echo(f"error: {error}")
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, "A template failed on this page")
            return None
        status, kind = HTTPStatus.OK, self.guess_type(path)
        if body is None:
            status, kind = HTTPStatus.NOT_FOUND, "text/html; charset=utf-8"
            body = generation.file(NOT_FOUND)
            if body is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

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

    def __init__(self, address: tuple[str, int], handler: Any, live: LiveSite) -> None:
        super().__init__(address, handler)
        self.live = live

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, not a traceback, and nothing for a client that went away."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(
            f"error answering {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr
        )


def make_server(live: LiveSite, port: int) -> _Server:
    """A server of `live`'s site on 127.0.0.1 (port 0: any free port), not started yet."""
    handler = functools.partial(_Handler, directory=str(Path.cwd()))  # no file is ever read
    return _Server(("127.0.0.1", port), handler, live)


def start_server(live: LiveSite, port: int) -> _Server:
    """Serve `live`'s site on 127.0.0.1 from a background thread (port 0: any free port)."""
    return _in_background(make_server(live, port))


def _in_background(server: _Server) -> _Server:
    threading.Thread(target=server.serve_forever, name="modelcards-serve", daemon=True).start()
    return server


def serve(config: SiteConfig, port: int, echo: Echo, stop: threading.Event | None = None) -> None:
    """Load, serve and load again on changes until interrupted (or `stop` is set)."""
    live = LiveSite(config, echo)
    # Bound first, so a port in use is said at once rather than after loading the catalog;
    # a browser that connects meanwhile waits in the listen queue until the site is loaded.
    server = make_server(live, port)
    try:
        live.load()
    except BaseException:
        server.server_close()
        raise
    _in_background(server)
    echo(
        f"serving {config.catalog} at http://127.0.0.1:{server.server_address[1]}/ "
        "(press Ctrl+C to stop)"
    )
    stop = stop or threading.Event()
    try:
        watch_and_reload(live, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
