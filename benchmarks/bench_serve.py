"""The edit loop: `modelcards serve` against `hugo server`, from saving a card to seeing it.

    python benchmarks/bench_serve.py [--models 1000] [--versions 10] [--datasets 100] [--repeat 10]

Both servers run side by side on copies of the same catalog: `modelcards serve` on the
generated catalog, Debian's `hugo server` on the equivalent Hugo site bench_build.py writes
(one Markdown page per model and per version, the card's fields as front matter). Then, in
turn for each, `--repeat` times: one version card's summary gets a new unique word (for Hugo,
the same version's content file), and its page is asked for every 10 ms until the word is in
it. The time is from just before the file is written to the answer that has the word: what a
user waits between saving and seeing the page on reload. Printed: the median and the largest
of each, and the ratio of the medians (serve / hugo); target: serve within 0.5 s, Hugo's figure.

`hugo server` runs with `--disableLiveReload` (no script injected into pages, no browser to
reload) and otherwise its defaults: "fast render" on (after an edit Hugo renders the changed
pages first), pages served from memory, watching the content folder. `modelcards serve` runs
as a user starts it, with its card cache in the work folder.

`edit_loop(catalog, repeat)` returns every figure as a dict; `measure(catalog, repeat)` the
two medians, for benchmarks/bench_all.py, which runs every comparison of issue 15 at once.
"""

from __future__ import annotations

import argparse
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import OUT, ensure_catalog, fresh_copy, hugo_binary, size_arguments
from hugo_site import write_minimal_site
from modelcards.catalog import ModelVersion
from modelcards.loading import load_catalog

TODAY = "2026-11-26"
POLL_SECONDS = 0.01
HUGO_FLAGS = ("--disableLiveReload",)


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return bytes(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return b""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, what: bytes, deadline: float) -> float:
    """Ask for `url` until its answer holds `what`; the moment it did."""
    while time.monotonic() < deadline:
        if what in _get(url):
            return time.perf_counter()
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{url} never showed {what!r}")


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_serve(catalog: Path, cache: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "modelcards", "serve", str(catalog), "--port", "0"]
    command += ["--today", TODAY, "--cache", str(cache)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # It is stopped as Ctrl+C would (SIGINT), which a shell leaves ignored in what it
        # runs in the background (`bench_all.py &`): Python then never raises
        # KeyboardInterrupt and serve would run on.
        preexec_fn=_interruptible,
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"serving .* at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1)
    raise RuntimeError(f"modelcards serve stopped before serving (exit {process.wait()})")


def _start_hugo(hugo: str, site: Path) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [hugo, "server", "-s", str(site), "--bind", "127.0.0.1", "--port", str(port)]
    command += ["--baseURL", base, "--appendPort=false", *HUGO_FLAGS]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
    )
    return process, base


class _Edited:
    """One file whose summary line gets a new word per edit; put back afterwards."""

    def __init__(self, path: Path, pattern: str) -> None:
        self.path, self.pattern = path, re.compile(pattern, re.M)
        self.original = path.read_text(encoding="utf-8")
        assert self.pattern.search(self.original), (path, pattern)

    def write(self, word: str) -> None:
        text = self.pattern.sub(lambda m: m.group(0) + word + " ", self.original, count=1)
        self.path.write_text(text, encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


def _time_edit(edited: _Edited, url: str, word: str) -> float:
    start = time.perf_counter()
    edited.write(word)
    return _wait_for(url, word.encode(), time.monotonic() + 120) - start


def measure(catalog: Path, repeat: int) -> tuple[float, float]:
    """The median seconds from saving a version card of `catalog` (a copy is edited) to its
    page showing the edit: under modelcards serve, and under hugo server."""
    found = edit_loop(catalog, repeat)
    return float(found["serve_median"]), float(found["hugo_median"])


def edit_loop(source: Path, repeat: int, work: Path = OUT) -> dict[str, float | int | str]:
    """Seconds from saving a version card to its page showing the edit, for modelcards serve
    and hugo server, measured in turns on a copy of the catalog `source`; medians, maxima and
    the ratio of the medians."""
    hugo = hugo_binary()
    place = work.resolve() / f"serve-{source.name}"
    catalog = fresh_copy(source, place)
    loaded, _ = load_catalog(catalog)
    write_minimal_site(loaded, place / "hugo")
    model = list(loaded.models.values())[len(loaded.models) // 2]  # one in the middle
    version: ModelVersion = model.versions[len(model.versions) // 2]
    serve_edit = _Edited(version.path, r"^summary: ")
    hugo_edit = _Edited(
        place / "hugo/content/models" / model.id / f"{version.version}.md", r'^ "summary": "'
    )
    page = f"models/{model.id}/{version.version}/"
    del loaded

    started = time.perf_counter()
    serve, serve_base = _start_serve(catalog, place / "serve-cache")
    _wait_for(serve_base + page + "index.html", b"<html", time.monotonic() + 600)
    serve_start = time.perf_counter() - started
    started = time.perf_counter()
    hugo_server, hugo_base = _start_hugo(hugo, place / "hugo")
    _wait_for(hugo_base + page, b"<html", time.monotonic() + 600)
    hugo_start = time.perf_counter() - started
    time.sleep(1.0)  # both watchers are up before the first edit
    times: dict[str, list[float]] = {"serve": [], "hugo": []}
    try:
        for number in range(repeat):
            word = f"edit{number}x{time.time_ns() % 10**9}"
            times["serve"].append(_time_edit(serve_edit, serve_base + page + "index.html", word))
            time.sleep(0.5)
            times["hugo"].append(_time_edit(hugo_edit, hugo_base + page, word))
            time.sleep(0.5)
    finally:
        serve_edit.restore()
        hugo_edit.restore()
        serve.send_signal(signal.SIGINT)
        hugo_server.terminate()
        serve.wait(timeout=60)
        hugo_server.wait(timeout=60)
    serve_median, hugo_median = (statistics.median(times[k]) for k in ("serve", "hugo"))
    return {
        "catalog": source.name,
        "repeat": repeat,
        "serve_median": serve_median,
        "serve_max": max(times["serve"]),
        "hugo_median": hugo_median,
        "hugo_max": max(times["hugo"]),
        "ratio": serve_median / hugo_median,
        "serve_start": serve_start,
        "hugo_start": hugo_start,
        "hugo_flags": " ".join(HUGO_FLAGS),
    }


def main() -> None:
    parser = size_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.set_defaults(repeat=10)  # an edit is quick: ten of each
    parser.add_argument("--work", type=Path, default=OUT, help="folder to work in")
    args = parser.parse_args()
    source = ensure_catalog(args.models, args.versions, args.datasets)
    found = edit_loop(source, args.repeat, args.work)
    print(f"catalog {found['catalog']}, {found['repeat']} edits each, in turns")
    print(
        f"modelcards serve: edit shown in {found['serve_median']:.3f} s median, "
        f"{found['serve_max']:.3f} s at most (first page after {found['serve_start']:.1f} s)"
    )
    print(
        f"hugo server:      edit shown in {found['hugo_median']:.3f} s median, "
        f"{found['hugo_max']:.3f} s at most (first page after {found['hugo_start']:.1f} s; "
        f"flags: {found['hugo_flags']})"
    )
    print(f"ratio serve / hugo: {found['ratio']:.2f}x (target: serve within 0.5 s)")


if __name__ == "__main__":
    main()
