"""`modelcards build` at scale: cold against Hugo, incremental rebuilds, memory, linearity.

    python benchmarks/bench_build.py [--models 1000] [--versions 10] [--datasets 100] [--repeat 3]

Everything runs as fresh processes, as a CI job or a developer's shell would, so each run
pays its start-up. Before each timed run, whatever it needs removed (an earlier output
folder and cache) is removed and the disk cache flushed, untimed, so no run pays for
deleting or writing back another's files. Printed, each as a ratio measured in this run:

- cold build / hugo: `modelcards build` into an empty folder with an empty cache against Debian's
  `hugo` building, also into an empty folder, a site generated from the same catalog with the
  same content: every card's data in its page's front matter, a page per model, version and
  dataset rendering all of it, each version's Hugging Face README and CycloneDX BOM as Hugo
  output formats, the whole catalog as JSON (hugo_site.write_equivalent_site; about as many
  files as modelcards writes);
- cold build / hugo, minimal pages: the same against Hugo rendering one Markdown page per
  model and per version with a minimal layout (title, summary, the card's Markdown: a third
  of the files, a sixth of the bytes; hugo_site.write_minimal_site), the baseline issue 15
  was filed against, reported for comparison;
- no-op rebuild / cold build: `modelcards build` again with nothing changed;
- one-card rebuild / cold build: one version card's summary edited, then `modelcards build`;
  the result is compared byte for byte with a cold build of the edited catalog;
- the same after the site and the cache went through `tar --posix` and back (other inodes,
  same times), as the pages workflow's actions/cache step restores them on a fresh runner;
- peak memory: the largest resident set of the cold build or its worker processes
  (getrusage RUSAGE_CHILDREN, from a wrapper process that runs only the build);
- linearity: a cold build of the catalog against one of a quarter of its models and datasets;
- the median size of an HTML page of the built site.

The catalog is a copy of the generated one (benchmarks/out/), since one card gets edited.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import (
    OUT,
    Step,
    ensure_catalog,
    fresh_copy,
    hugo_binary,
    interleaved,
    interleaved_timings,
    size_arguments,
)
from hugo_site import write_equivalent_site, write_minimal_site
from modelcards.loading import load_catalog

TODAY = "2026-11-26"
BUILD = [sys.executable, "-c", "from modelcards.cli import main; main()", "build"]


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def build_command(catalog: Path, site: Path, *options: str) -> list[str]:
    return [*BUILD, str(catalog), "-o", str(site), "--today", TODAY, *options]


def cold_build(catalog: Path, site: Path) -> Step:
    """A first build, as on a fresh clone: no site and an empty cache (which it fills).
    Removing the previous run's site and cache is not timed."""
    cache = site.with_name(site.name + "-cache")

    def clear() -> None:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    return Step(lambda: run(build_command(catalog, site, "--cache", str(cache))), clear)


def peak_memory_mib(command: list[str]) -> float:
    """Largest resident set of `command` and its workers, from a wrapper that runs only it."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    return int(done.stdout.strip()) / 1024  # Linux reports KiB


def tree(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}


def same_trees(one: Path, two: Path) -> bool:
    first, second = tree(one), tree(two)
    return first.keys() == second.keys() and all(
        filecmp.cmp(first[name], second[name], shallow=False) for name in first
    )


def median_page_kib(site: Path) -> tuple[float, float]:
    sizes = [p.stat().st_size for p in site.rglob("*.html")]
    return statistics.median(sizes) / 1024, max(sizes) / 1024


@dataclass(frozen=True)
class BuildTimes:
    """One run's figures: wall and CPU seconds by measure, and what the built site is."""

    wall: dict[str, float]  # cold, hugo, hugo minimal, quarter, no-op, one card, restored
    cpu: dict[str, float]  # cold, hugo, hugo minimal, quarter
    identical: bool  # the incremental site equals a cold build of the edited catalog
    memory_mib: float  # peak resident set of a cold build (NaN when not measured)
    median_kib: float  # median HTML page
    largest_kib: float
    files: int  # in the built site
    hugo_files: int  # written by Hugo building the equivalent site
    minimal_files: int  # written by Hugo building the minimal one
    work: Path

    def ratio(self, measure: str, baseline: str = "cold") -> float:
        return self.wall[measure] / self.wall[baseline]


def measure(
    models: int,
    versions: int,
    datasets: int,
    repeat: int,
    work_root: Path = OUT,
    *,
    linearity: bool = True,
    memory: bool = True,
) -> BuildTimes:
    """Every measure of this script on the generated catalog of this size, built under
    `work_root`; `linearity`: also a cold build of a quarter of the catalog; `memory`: also
    a cold build under a wrapper that reads its peak memory."""
    hugo = hugo_binary()
    work = work_root.resolve() / f"build-{models}x{versions}x{datasets}"
    # a copy: the incremental runs edit one of its cards
    catalog = fresh_copy(ensure_catalog(models, versions, datasets), work)
    loaded, _ = load_catalog(catalog)
    write_equivalent_site(loaded, work / "hugo")
    write_minimal_site(loaded, work / "hugo-minimal")
    edited = next(iter(loaded.models.values())).versions[-1].path
    original = edited.read_text()
    site, public, cold_site = work / "site", work / "public", work / "cold"

    def hugo_build(source: Path) -> Step:
        output = public / source.name  # kept after the run, to count its files
        return Step(
            lambda: run([hugo, "--quiet", "-s", str(source), "-d", str(output)]),
            lambda: shutil.rmtree(output, ignore_errors=True),
        )

    colds: dict[str, Callable[[], object] | Step] = {
        "cold": cold_build(catalog, cold_site),
        "hugo": hugo_build(work / "hugo"),
        "hugo minimal": hugo_build(work / "hugo-minimal"),
    }
    if linearity:
        quarter = ensure_catalog(max(models // 4, 1), versions, max(datasets // 4, 1))
        colds["quarter"] = cold_build(quarter, work / "quarter")
    timings = interleaved_timings(colds, repeat)
    files = {name: len(tree(public / name)) for name in ("hugo", "hugo-minimal")}
    shutil.rmtree(public)

    incremental = [*build_command(catalog, site), "--cache", str(work / "cache")]
    run(incremental)  # prime the cache
    edits = iter(range(1, 1_000_000))

    def edit_one_card() -> None:
        edited.write_text(original.replace("summary: ", f"summary: Edit {next(edits)}. ", 1))

    def restore_and_edit() -> None:
        """What the pages workflow's cache step does between two runs (actions/cache: tar
        --posix of the site and the cache, extracted on a fresh runner at the same paths),
        then a merge that edits one card."""
        archive = work / "kept.tar"
        subprocess.run(
            ["tar", "--posix", "-cf", str(archive), "-P", "-C", str(work), "site", "cache"],
            check=True,
        )
        shutil.rmtree(site)
        shutil.rmtree(work / "cache")
        subprocess.run(["tar", "-xf", str(archive), "-P", "-C", str(work)], check=True)
        archive.unlink()
        edit_one_card()

    warm = interleaved(
        {
            "no-op": lambda: run(incremental),
            "one card": Step(lambda: run(incremental), edit_one_card),
            "restored": Step(lambda: run(incremental), restore_and_edit),
        },
        repeat,
    )
    from_scratch = cold_build(catalog, cold_site)  # the edited catalog
    from_scratch.setup()
    from_scratch.run()
    identical = same_trees(site, cold_site)
    edited.write_text(original)
    peak = (
        peak_memory_mib(build_command(catalog, work / "memory", "--no-cache"))
        if memory
        else float("nan")
    )
    shutil.rmtree(work / "memory", ignore_errors=True)
    median, largest = median_page_kib(site)
    return BuildTimes(
        wall={**{name: t.wall for name, t in timings.items()}, **warm},
        cpu={name: t.cpu for name, t in timings.items()},
        identical=identical,
        memory_mib=peak,
        median_kib=median,
        largest_kib=largest,
        files=len(tree(site)),
        hugo_files=files["hugo"],
        minimal_files=files["hugo-minimal"],
        work=work,
    )


def report(times: BuildTimes, repeat: int) -> None:
    cold, cpu = times.wall, times.cpu
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"built in:              {times.work}; {cpus} CPUs; median of {repeat}")
    print(
        f"cold modelcards build: {cold['cold']:.2f} s, {cpu['cold']:.2f} s of CPU "
        f"({times.files} files)"
    )
    print(
        f"hugo, same content:    {cold['hugo']:.2f} s, {cpu['hugo']:.2f} s of CPU "
        f"({times.hugo_files} files)"
    )
    print(
        f"ratio cold / hugo:        {times.ratio('cold', 'hugo'):.2f}x "
        f"(CPU time: {cpu['cold'] / cpu['hugo']:.2f}x)"
    )
    print(
        f"hugo, minimal pages:   {cold['hugo minimal']:.2f} s, {cpu['hugo minimal']:.2f} s of "
        f"CPU ({times.minimal_files} files)"
    )
    print(
        f"ratio cold / minimal:     {times.ratio('cold', 'hugo minimal'):.2f}x "
        f"(CPU time: {cpu['cold'] / cpu['hugo minimal']:.2f}x)"
    )
    print(f"no-op rebuild:         {cold['no-op']:.2f} s")
    print(f"ratio no-op / cold:       {times.ratio('no-op'):.3f}x")
    print(
        f"one card edited:       {cold['one card']:.2f} s "
        f"(output {'identical to' if times.identical else 'DIFFERS FROM'} a cold build)"
    )
    print(f"ratio one card / cold:    {times.ratio('one card'):.3f}x")
    print(f"one card, cache restored by tar as in CI: {cold['restored']:.2f} s")
    print(f"ratio restored / cold:    {times.ratio('restored'):.3f}x")
    if "quarter" in cold:
        print(f"quarter catalog cold:  {cold['quarter']:.2f} s")
        print(f"ratio full / quarter:     {times.ratio('cold', 'quarter'):.2f}x (4x the cards)")
    print(f"peak memory:           {times.memory_mib:.0f} MiB (largest process of the cold build)")
    print(
        f"median HTML page:      {times.median_kib:.1f} KiB (largest {times.largest_kib:.1f} KiB)"
    )


def main() -> None:
    parser = size_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument(
        "--work",
        type=Path,
        default=OUT,
        help="folder to build in (default: benchmarks/out); file creation costs "
        "differ between file systems, and even between folders of one",
    )
    args = parser.parse_args()
    times = measure(args.models, args.versions, args.datasets, args.repeat, args.work)
    print(f"catalog: {args.models} models x {args.versions} versions, {args.datasets} datasets")
    report(times, args.repeat)
    if not times.identical:
        sys.exit("the incremental build differs from a cold build")


if __name__ == "__main__":
    main()
