"""`modelcards serve`: build, serve on 127.0.0.1, rebuild when a card or template changes.

The server serves whatever the output folder holds. A rebuild swaps a complete new site
in, and a failed one (an edit that breaks validation) leaves the last good site in place,
so the browser keeps working while the errors are printed.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles

from ..reporters import report_text
from ..texts import capped
from .build import BuildFailed, SiteConfig, UnsafeOutput, build_site
from .render import DEFAULT_THEME

Echo = Callable[[str], None]
DEBOUNCE_MS = 300


def rebuild(config: SiteConfig, echo: Echo, changed: Iterable[str] = ()) -> bool:
    """Build once, saying what happened; True when a new site is in place."""
    names = sorted(set(changed))
    if names:
        echo("changed: " + capped(names))
    try:
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


def watched_folders(config: SiteConfig) -> list[Path]:
    """The catalog, the theme override folder and the default theme (edited in a checkout)."""
    folders = [config.catalog, config.theme_folder(), DEFAULT_THEME]
    return [folder.resolve() for folder in folders if folder is not None and folder.is_dir()]


def watch_and_rebuild(config: SiteConfig, echo: Echo, stop: threading.Event) -> None:
    """Rebuild after every batch of changes until `stop` is set."""
    for changes in watchfiles.watch(
        *watched_folders(config), stop_event=stop, debounce=DEBOUNCE_MS, raise_interrupt=False,
    ):
        rebuild(config, echo, (path for _, path in changes))


class _Handler(SimpleHTTPRequestHandler):
    """Static files, never cached (each rebuild must show), and no request log."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


def start_server(output: Path, port: int) -> ThreadingHTTPServer:
    """Serve `output` on 127.0.0.1 from a background thread (port 0: any free port)."""
    handler = functools.partial(_Handler, directory=str(output.resolve()))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="modelcards-serve", daemon=True).start()
    return server


def serve(config: SiteConfig, port: int, echo: Echo, stop: threading.Event | None = None) -> None:
    """Build, serve and rebuild on changes until interrupted (or `stop` is set)."""
    rebuild(config, echo)
    config.output.mkdir(parents=True, exist_ok=True)
    server = start_server(config.output, port)
    echo(f"serving {config.output} at http://127.0.0.1:{server.server_address[1]}/ "
         "(press Ctrl+C to stop)")
    stop = stop or threading.Event()
    try:
        watch_and_rebuild(config, echo, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
