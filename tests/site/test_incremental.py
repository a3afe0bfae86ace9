"""Incremental builds: after any edit, the site is byte for byte what a cold build makes;
only the pages whose inputs changed are rendered; a cache that cannot be trusted is ignored."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelcards.cardcache import signature, signing_key
from modelcards.cli import cli
from modelcards.rules import references
from modelcards.site import parallel, swap
from modelcards.site.build import MARKER, BuildFailed, SiteConfig, build_site
from modelcards.site.cache import CACHE_FOLDER, manifest_path
from modelcards.site.pages import KINDS
from modelcards.site.render import DEFAULT_THEME
from modelcards.site.structure import site_pages
from modelcards.validate import ValidationResult, validate_catalog

from ..helpers.catalogs import BASE_SITE_FILES, V1, V2, CatalogMaker, edit, snapshot
from ..helpers.site import TODAY, build, cold
from ..helpers.site_edits import EDITS, NEW_VERSION, V3, from_base, write

ALL_FILES = BASE_SITE_FILES


@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_build_equals_a_cold_build(name: str, make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    first = build(root)
    assert first.rendered == ALL_FILES - 1
    change, most = EDITS[name]
    change(root)
    report = build(root)
    assert snapshot(root.parent / "site") == cold(root)
    assert 0 < report.rendered <= most
    if most < ALL_FILES - 1:
        assert report.rendered < len(report.files or ()) - 1  # some pages were kept


def test_a_chain_of_edits_stays_equal_to_cold_builds(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    build(root)
    for name in (
        "change a version",
        "add a version",
        "change lineage across models",
        "delete a version",
        "change a dataset",
    ):
        EDITS[name][0](root)
        build(root)
        assert snapshot(root.parent / "site") == cold(root), name


def test_nothing_changed_renders_nothing_and_leaves_the_site_alone(
    make_catalog: CatalogMaker,
) -> None:
    root = make_catalog()
    build(root)
    site = root.parent / "site"
    before = os.stat(site).st_ino, snapshot(site)
    report = build(root)
    assert report.rendered == 0 and len(report.files or ()) == ALL_FILES
    assert (os.stat(site).st_ino, snapshot(site)) == before


def inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in folder.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def test_the_standby_site_is_kept_when_the_cache_folder_is_given_relative(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`modelcards build catalog --cache cache` from the repository: each rebuild brings the
    standby site up to date instead of throwing it away (it was deleted and made again by
    hard links on every rebuild, 2 s at 1,000 x 10, when the cache folder's path was
    relative) and the site stays the cold build's."""
    root = make_catalog()
    monkeypatch.chdir(root.parent)
    removed: list[Path] = []
    remove = swap.remove

    def recording(folder: Path) -> None:
        removed.append(folder)
        remove(folder)

    monkeypatch.setattr(swap, "remove", recording)
    relative = SiteConfig(Path(root.name), Path("site"), today=TODAY, cache=Path("cache"))
    build_site(relative)
    before = "Retrained on Q4 data."
    for summary in ("First.", "Second.", "Third."):
        from_base(V2, f"summary: {before}", f"summary: {summary}")(root)
        assert build_site(relative).rendered < ALL_FILES - 1
        before = summary
    assert not [folder for folder in removed if folder.name.endswith(".standby")]
    build_site(SiteConfig(Path(root.name), Path("cold"), today=TODAY, use_cache=False))
    assert snapshot(root.parent / "site") == snapshot(root.parent / "cold")


def test_a_new_day_renders_only_the_pages_that_judge_dates(make_catalog: CatalogMaker) -> None:
    """The first publish of a day: the governance page (what needs attention as of the day),
    each model page (its lifecycle timeline runs to the day) and the feed are rendered again;
    every other file is kept, and the site is the one a cold build makes on that day."""
    root = make_catalog()
    site, later = root.parent / "site", dt.date(2027, 2, 1)
    build(root)
    before = inodes(site)
    report = build_site(SiteConfig(root, site, today=later, cache=root.parent / "cache"))
    assert report.files is not None
    after = inodes(site)
    rendered = {path for path in after if after[path] != before.get(path)}
    assert rendered == {
        "governance/index.html",
        "feed.xml",
        "models/fraud/index.html",
        "models/small/index.html",
    }
    assert report.rendered == len(rendered)
    assert isinstance(report.validation, ValidationResult)  # validated again: a new day
    dated = {p.path for p in site_pages(report.validation.catalog) if KINDS[p.kind].reads_today}
    assert rendered == dated
    cold_site = root.parent / "cold"
    build_site(SiteConfig(root, cold_site, today=later, use_cache=False))
    assert snapshot(site) == snapshot(cold_site)
    assert "as of 2027-02-01" in (site / "governance/index.html").read_text()
    assert "as of 2027-02-01" in (site / "models/fraud/index.html").read_text()
    assert "2027-02-01" not in (site / "models/fraud/2.0.0/index.html").read_text()


def _manifest(root: Path) -> Path:
    return manifest_path(root.parent / "cache", root.parent / "site")


def _resign(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the manifest's JSON and sign it again with this machine's key: what is left
    to refuse it is what the JSON says, not its signature."""
    _, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data)
    body = json.dumps(data).encode()
    header = json.dumps({"signature": signature(signing_key() or b"", body)})
    path.write_bytes(header.encode() + b"\n" + body)


def _spoil_unsigned(path: Path) -> None:
    """Anyone without the key (a file committed to the repository): not signed by it."""
    header, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(header + b"\n" + body.replace(b'"inputs":"', b'"inputs":"0'))


def _spoil_corrupted(path: Path) -> None:
    path.write_bytes(b"\x00not json{")


def _spoil_truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _spoil_foreign(path: Path) -> None:
    _resign(path, lambda data: data.update(modelcards="0.0.0-another"))


def _spoil_wrong_types(path: Path) -> None:
    _resign(
        path,
        lambda data: data.update(
            pages={name: [key, str(size)] for name, (key, size) in data["pages"].items()}
        ),
    )


def _spoil_inputs(path: Path) -> None:
    _resign(path, lambda data: data.update(inputs=0))


def _spoil_findings(path: Path) -> None:
    _resign(
        path,
        lambda data: data.update(
            problems=[["models/fraud/model.yaml", "7", 16, "MC051", "warning", "x"]]
        ),
    )


def _spoil_other_output(path: Path) -> None:
    _resign(path, lambda data: data.update(output="/elsewhere/site"))


@pytest.mark.parametrize(
    "spoil",
    [
        _spoil_unsigned,
        _spoil_corrupted,
        _spoil_truncated,
        _spoil_foreign,
        _spoil_wrong_types,
        _spoil_inputs,
        _spoil_findings,
        _spoil_other_output,
    ],
)
def test_a_cache_that_cannot_be_trusted_is_ignored(
    spoil: Callable[[Path], None], make_catalog: CatalogMaker
) -> None:
    root = make_catalog()
    build(root)
    EDITS["change a version"][0](root)
    spoil(_manifest(root))
    report = build(root)
    assert report.rendered == ALL_FILES - 1  # everything rendered again
    assert snapshot(root.parent / "site") == cold(root)
    assert build(root).rendered == 0  # and the cache is good again


def _archive_and_restore(place: Path, names: list[str], archive: Path) -> None:
    """What actions/cache does between two jobs: `tar --posix` of the folders at the end of
    one, extracted at the same paths on a fresh runner (other inode numbers, same times)."""
    subprocess.run(
        ["tar", "--posix", "-cf", str(archive), "-P", "-C", str(place), *names], check=True
    )
    for name in names:
        shutil.rmtree(place / name)
    subprocess.run(["tar", "-xf", str(archive), "-P", "-C", str(place)], check=True)


@pytest.mark.parametrize("key", ["restored with the cache", "not restored"])
def test_a_cache_restored_on_another_machine_is_used_only_with_its_key(
    key: str, make_catalog: CatalogMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages workflow keeps the site, the cache and the key that signs it between runs
    (action.yml). With the key, the next run renders only what the edit changed; without it
    (a cache someone else wrote), the cache is not believed and every page is rendered."""
    root = make_catalog()
    place = root.parent
    monkeypatch.setenv("XDG_CACHE_HOME", str(place / "runner-temp"))
    build(root)
    _archive_and_restore(place, ["site", "cache", "runner-temp"], tmp_path.parent / "kept.tar")
    if key == "not restored":
        shutil.rmtree(place / "runner-temp")
    EDITS["change a version"][0](root)
    report = build(root)
    assert snapshot(place / "site") == cold(root)
    if key == "not restored":
        assert report.rendered == ALL_FILES - 1
    else:
        assert 0 < report.rendered <= EDITS["change a version"][1] < ALL_FILES - 1


def test_a_cache_moved_with_its_catalog_to_another_folder_is_not_used(
    make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    """Pages name where the catalog is (the repository link, the site's own paths), and the
    manifest names the folder it describes: elsewhere, every page is rendered again."""
    root = make_catalog()
    build(root)
    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    shutil.copytree(tmp_path, moved, symlinks=True)  # times kept, as `cp -a` does
    report = build(moved / root.relative_to(tmp_path))
    assert report.rendered == ALL_FILES - 1
    assert snapshot(moved / "site") == cold(moved / root.relative_to(tmp_path))


def test_a_site_replaced_by_another_build_is_not_trusted(make_catalog: CatalogMaker) -> None:
    """The cache describes the site it wrote; a --no-cache build of an edited catalog in
    between made another one, so the next build must not keep its pages."""
    root = make_catalog()
    build(root)
    EDITS["change a version"][0](root)
    build(root, use_cache=False)
    from_base(V2, "summary: Retrained on fresh data.", "summary: Retrained on Q4 data.")(root)
    report = build(root)
    assert report.rendered == ALL_FILES - 1
    assert snapshot(root.parent / "site") == cold(root)


def test_a_damaged_page_of_the_old_site_is_rendered_again(make_catalog: CatalogMaker) -> None:
    root = make_catalog()
    build(root)
    page = root.parent / "site/datasets/tx/index.html"
    page.write_text("truncated")
    (root.parent / "site/feed.xml").unlink()
    EDITS["change a version"][0](root)
    build(root)
    assert snapshot(root.parent / "site") == cold(root)


def test_a_damaged_page_is_rendered_again_when_nothing_else_changed(
    make_catalog: CatalogMaker,
) -> None:
    root = make_catalog()
    build(root)
    (root.parent / "site/datasets/tx/index.html").write_text("truncated")
    report = build(root)
    assert report.rendered == 1
    assert snapshot(root.parent / "site") == cold(root)


def test_parallel_rendering_makes_the_same_site(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(parallel, "CHUNK", 4)
    assert parallel.workers_for(ALL_FILES - 1, 2) == 2  # the pool really is used below
    build(root, use_cache=False, jobs=2)
    assert snapshot(root.parent / "site") == cold(root)


def test_a_template_error_in_a_worker_fails_the_build_and_keeps_the_site(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    build(root)
    before = snapshot(root.parent / "site")
    theme = root.parent / "theme"
    theme.mkdir()
    text = (DEFAULT_THEME / "version.html").read_text()
    (theme / "version.html").write_text(
        text.replace("{% block main %}", "{% block main %}{{ no_such_value }}", 1)
    )
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(parallel, "CHUNK", 4)
    with pytest.raises(
        BuildFailed,
        match=r"rendering models/fraud/\S+/index.html failed: "
        r"\S+/theme/version.html:\d+: "
        r"UndefinedError: 'no_such_value' is undefined",
    ):
        build(root, jobs=2)
    assert snapshot(root.parent / "site") == before
    assert sorted(p.name for p in root.parent.iterdir()) == ["cache", "catalog", "site", "theme"]


def _spy_on_ahead(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """Forking pays from the first page on, and what each build rendered ahead."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    seen: list[frozenset[str]] = []
    real = parallel.Ahead.finish

    def finish(self: parallel.Ahead, target: Path, wanted: Any) -> dict[str, int]:
        seen.append(self.paths)
        return real(self, target, wanted)

    monkeypatch.setattr(parallel.Ahead, "finish", finish)
    return seen


WHOLE_CATALOG_PAGES = {
    "api/catalog.json",
    "index.html",
    "feed.xml",
    "assets/search-index.js",
    "datasets/index.html",
    "governance/index.html",
}  # (and sitemap.xml, in a catalog that sets base_url)


def test_pages_listing_the_whole_catalog_are_rendered_ahead_when_any_card_changed(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They are rendered by another process while the build works out the rest, and the
    site is byte for byte a cold build's; when the standby site has them as they are (an
    edit undone), none is rendered ahead, and none is rendered at all."""
    seen = _spy_on_ahead(monkeypatch)
    root = make_catalog()
    build(root, jobs=2)
    assert seen.pop() == WHOLE_CATALOG_PAGES  # a cold build too
    change, _ = EDITS["change a version"]
    before = {p: p.read_bytes() for p in (root / "models").rglob("*.yaml")}
    change(root)
    report = build(root, jobs=2)
    assert seen.pop() == WHOLE_CATALOG_PAGES
    assert snapshot(root.parent / "site") == cold(root)
    assert set(report.files or ()) >= WHOLE_CATALOG_PAGES
    for path, data in before.items():  # undone: the standby holds every page as it is now
        path.write_bytes(data)
    report = build(root, jobs=2)
    assert seen.pop() == frozenset() and report.rendered == 0
    assert snapshot(root.parent / "site") == cold(root)


def test_a_template_error_in_a_page_rendered_ahead_fails_the_build_and_keeps_the_site(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    _spy_on_ahead(monkeypatch)
    root = make_catalog()
    build(root, jobs=2)
    before = snapshot(root.parent / "site")
    theme = root.parent / "theme"
    theme.mkdir()
    text = (DEFAULT_THEME / "index.html").read_text()
    (theme / "index.html").write_text(text.replace("{% block main %}", "{% block main %}{{ x.y }}"))
    with pytest.raises(
        BuildFailed, match=r"rendering index.html failed: \S+/theme/index.html:\d+: UndefinedError"
    ):
        build(root, jobs=2)
    assert snapshot(root.parent / "site") == before
    assert sorted(p.name for p in root.parent.iterdir()) == ["cache", "catalog", "site", "theme"]


def test_workers_for_small_sites_and_single_cpus() -> None:
    assert parallel.workers_for(10_000, 1) == 1
    assert parallel.workers_for(parallel.PARALLEL_MIN_PAGES - 1, 8) == 1
    assert parallel.workers_for(10_000, 2) == 2
    assert parallel.workers_for(parallel.PARALLEL_MIN_PAGES, 64) == -(
        -parallel.PARALLEL_MIN_PAGES // parallel.CHUNK
    )
    assert parallel.processes_allowed(1) == 1 and parallel.processes_allowed(3) == 3


def test_pages_listing_a_large_catalog_are_spread_over_the_workers() -> None:
    """After a one-card edit of a large catalog, a few pages that list everything are most
    of the work: they come first, each a piece of its own that the first free worker takes,
    and catalog.json does not share its piece."""
    from modelcards.site.structure import Page

    listing = [
        Page("api/catalog.json", "catalog-json"),
        Page("index.html", "home"),
        Page("feed.xml", "feed"),
    ]
    versions = [Page(f"models/m/{n}.0.0/index.html", "version", f"m@{n}.0.0") for n in range(30)]
    costs = parallel.page_costs([*versions, *listing], 10_000)
    assert costs[:30] == [1] * 30 and costs[30] > costs[31] > costs[32] > 1
    assert parallel.workers_for(sum(costs), 2) == 2
    cut = parallel.pieces([*versions, *listing], costs, 4)
    assert cut[:3] == [[listing[0]], [listing[1]], [listing[2]]]
    assert [page for piece in cut[3:] for page in piece] == versions  # in the site's order
    assert len(cut) <= 4
    assert parallel.page_costs(listing, 10) == [1, 1, 1]  # a small catalog: ordinary pages


def test_pieces_are_of_about_equal_cost_and_hold_every_page_once() -> None:
    from modelcards.site.structure import Page

    pages = [Page(f"p{n}.html", "version", str(n)) for n in range(1000)]
    costs = [1 + n % 7 for n in range(1000)]
    cut = parallel.pieces(pages, costs, 50)
    assert sorted(p.path for piece in cut for p in piece) == sorted(p.path for p in pages)
    loads = [sum(costs[int(p.subject)] for p in piece) for piece in cut]
    # each cut passes its mark by less than one page, so two pieces differ by two at most
    assert len(cut) == 50 and max(loads) - min(loads) <= 2 * 7
    assert parallel.pieces(pages[:3], costs[:3], 50) == [[pages[2]], [pages[1]], [pages[0]]]


OVERDUE = edit("models/fraud/model.yaml", "last_reviewed: 2026-06-01", "last_reviewed: 2025-01-01")


def test_a_no_op_build_repeats_the_last_findings_without_validating_again(
    make_catalog: CatalogMaker, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed since the site was built: the build reads the files, finds them as
    they were, and says what the validation of those very files said (a warning here)."""
    root = make_catalog(OVERDUE)
    first = runner.invoke(cli, ["build", "--today", "2026-11-26"])
    assert first.exit_code == 0 and " warning MC051 " in first.output

    def not_again(*args: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr("modelcards.site.build.load_catalog", not_again)
    again = runner.invoke(cli, ["build", str(root.resolve()), "--today", "2026-11-26"])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[:-1] == first.output.splitlines()[:-1]
    assert again.output.endswith(f"(0 rendered, {ALL_FILES - 1} unchanged)\n")


def _checked_cards(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Which versions and models the rules check from now on (their first family's calls)."""
    checked: dict[str, list[str]] = {"versions": [], "models": []}
    per_version, per_model = references.per_version, references.per_model

    def version_checked(context: Any, version: Any) -> Any:
        checked["versions"].append(version.ref)
        return per_version(context, version)

    def model_checked(context: Any, model: Any) -> Any:
        checked["models"].append(model.id)
        return per_model(context, model)

    monkeypatch.setattr(references, "per_version", version_checked)
    monkeypatch.setattr(references, "per_model", model_checked)
    return checked


def test_a_rebuild_checks_again_only_the_cards_an_edit_touches(make_catalog: CatalogMaker) -> None:
    """The rules' findings for unchanged cards come from the last build (rules/incremental.py):
    the same findings as a validation from scratch, worked out for the edited card only, and
    for every card when what they all read changes (a dataset card, the day)."""
    root = make_catalog(OVERDUE)  # a warning, MC051, on the fraud model

    def rebuild(today: dt.date = TODAY) -> dict[str, list[str]]:
        with pytest.MonkeyPatch.context() as patch:
            checked = _checked_cards(patch)
            report = build(root, today=today)
        assert report.validation.problems == validate_catalog(root, today).problems
        assert [p.code for p in report.validation.problems] == ["MC051"]
        return {scope: sorted(found) for scope, found in checked.items()}

    build(root)
    (root / V2).write_text((root / V2).read_text().replace("on Q4 data.", "again."))
    assert rebuild() == {"versions": ["fraud@2.0.0"], "models": ["fraud"]}
    with (root / "datasets/tx.yaml").open("a") as stream:
        stream.write("# checked\n")
    everything = {
        "versions": ["fraud@1.0.0", "fraud@2.0.0", "small@0.1.0"],
        "models": ["fraud", "small"],
    }
    assert rebuild() == everything
    assert rebuild(TODAY + dt.timedelta(days=1)) == everything
    assert rebuild(TODAY + dt.timedelta(days=1)) == {"versions": [], "models": []}


@pytest.mark.parametrize("change", ["stray file", "comment", "date"])
def test_a_build_validates_again_when_anything_changed(
    make_catalog: CatalogMaker, runner: CliRunner, change: str
) -> None:
    root = make_catalog()
    assert runner.invoke(cli, ["build", "--today", "2026-11-26"]).exit_code == 0
    today = "2026-11-26"
    if change == "stray file":
        (root / "models/fraud/notes.txt").write_text("a note\n")
    elif change == "comment":
        with (root / V1).open("a") as stream:
            stream.write("# reviewed\n")
    else:
        today = "2027-02-01"
    again = runner.invoke(cli, ["build", "--today", today])
    if change == "stray file":  # a problem only discovery sees, not in any card's text
        assert again.exit_code == 1 and " error MC009 'notes.txt' does not belong" in again.output
    else:
        assert again.exit_code == 0 and "(0 rendered" not in again.output


def test_cli_keeps_unchanged_pages_and_no_cache_renders_all(
    make_catalog: CatalogMaker, runner: CliRunner
) -> None:
    make_catalog()
    assert runner.invoke(cli, ["build", "--today", "2026-11-26"]).exit_code == 0
    assert Path(CACHE_FOLDER).is_dir()  # next to the catalog folder
    again = runner.invoke(cli, ["build", "--today", "2026-11-26"])
    assert again.output.endswith(
        f"built {ALL_FILES} files into site (0 rendered, {ALL_FILES - 1} unchanged)\n"
    )
    fresh = runner.invoke(cli, ["build", "--today", "2026-11-26", "--no-cache"])
    assert fresh.output.endswith(f"built {ALL_FILES} files into site\n")
    elsewhere = runner.invoke(cli, ["build", "--today", "2026-11-26", "--cache", "mine"])
    assert elsewhere.output.endswith(f"built {ALL_FILES} files into site\n")
    assert sorted(p.name[:5] for p in Path("mine").iterdir()) == [".giti", "cards", "site-"]
    assert Path("mine/.gitignore").read_text().endswith("\n*\n")  # never committed by mistake


def test_card_cache_gives_the_same_result_and_distrusts_bad_entries(
    make_catalog: CatalogMaker, tmp_path: Path
) -> None:
    from modelcards.cardcache import CardCache
    from modelcards.validate import validate_catalog

    root = make_catalog(edit(V1, "replaced_by: 2.0.0", "replaced_by: 2.1.0"))  # one error
    today = dt.date(2026, 11, 26)
    cold = validate_catalog(root, today)
    store = tmp_path / "cards.json"
    first = CardCache.open(store)
    assert validate_catalog(root, today, first).problems == cold.problems
    first.save()
    warm = CardCache.open(store)
    assert len(warm.entries) == 6  # every card but catalog.yaml; cross-file problems are no bar
    assert validate_catalog(root, today, warm).problems == cold.problems
    # A tampered entry fails pydantic's check and is parsed again; a foreign file is ignored.
    name = next(iter(warm.entries))
    warm.entries[name] = '{"version": 3}'
    assert validate_catalog(root, today, warm).problems == cold.problems
    store.write_text('{"identity": "someone else", "entries": {}}')
    assert CardCache.open(store).entries == {}
    store.write_text("not json")
    assert CardCache.open(store).entries == {}


def _fill_card_cache(root: Path, store: Path) -> dt.date:
    """Validate `root` with a card cache stored at `store`, save it; returns the date used."""
    from modelcards.cardcache import CardCache
    from modelcards.validate import validate_catalog

    today = dt.date(2026, 11, 26)
    cache = CardCache.open(store)
    validate_catalog(root, today, cache)
    cache.save()
    return today


def test_the_card_cache_is_not_rewritten_for_a_few_new_cards(
    make_catalog: CatalogMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a large catalog one edit leaves the 30 MB cache file alone: the next run parses
    that card again and gets the same result. (Here "large" is any size: every card may be
    new before a rewrite.)"""
    from modelcards import cardcache
    from modelcards.cardcache import CardCache
    from modelcards.validate import validate_catalog

    root, store = make_catalog(), tmp_path / "cards.json"
    today = _fill_card_cache(root, store)
    written = store.read_bytes()
    monkeypatch.setattr(cardcache, "REWRITE_SHARE", 1)
    from_base(V2, "summary: Retrained on Q4 data.", "summary: Retrained again.")(root)
    second = CardCache.open(store)
    result = validate_catalog(root, today, second)
    second.save()
    assert store.read_bytes() == written
    third = CardCache.open(store)
    assert (
        validate_catalog(root, today, third).catalog.versions["fraud@2.0.0"].card.summary
        == "Retrained again."
        == result.catalog.versions["fraud@2.0.0"].card.summary
    )
    monkeypatch.setattr(cardcache, "REWRITE_SHARE", 100)  # a catalog of 6 cards: rewritten
    third.save()
    assert store.read_bytes() != written and len(CardCache.open(store).entries) == 6


def test_a_card_cache_this_machine_did_not_sign_is_ignored(
    make_catalog: CatalogMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request could commit a cache mapping a card's digest to other contents."""
    from modelcards.cardcache import CardCache

    root, store = make_catalog(), tmp_path / "cards.json"
    _fill_card_cache(root, store)
    header, _, body = store.read_bytes().partition(b"\n")
    forged = body.replace(b"Retrained on Q4 data.", b"Looks fine.")
    assert forged != body
    store.write_bytes(header + b"\n" + forged)  # the signature no longer matches
    assert CardCache.open(store).entries == {}
    store.write_bytes(header + b"\n" + body)
    assert len(CardCache.open(store).entries) == 6  # the genuine file is trusted
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-machine"))
    assert CardCache.open(store).entries == {}  # signed with someone else's key
    assert (tmp_path / "another-machine/modelcards/cache-key").stat().st_mode & 0o077 == 0


def test_a_crash_in_a_worker_fails_the_build_cleanly(
    make_catalog: CatalogMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_catalog()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(parallel, "CHUNK", 4)

    def explode(site: object, page: object) -> dict[str, bytes]:
        raise MemoryError("no room")

    monkeypatch.setattr(parallel, "render_page", explode)
    with pytest.raises(BuildFailed, match="rendering failed: MemoryError: no room"):
        build(root, use_cache=False, jobs=2)
    assert not (root.parent / "site").exists()


def test_inputs_read_from_the_files_equal_those_of_the_loaded_catalog(
    make_catalog: CatalogMaker,
) -> None:
    """The no-op check digests the files without loading them; it must agree exactly with
    the digests of the catalog they load into, or no build would ever be a no-op (and a
    wrong agreement would skip a build that was needed)."""
    from modelcards.loading import load_catalog, read_catalog_files
    from modelcards.site.fingerprint import build_inputs, code_digest, read_inputs

    root = make_catalog(
        raw={"models/fraud/2.1.0.yaml": b"\xef\xbb\xbf" + textwrap.dedent(NEW_VERSION).encode()}
    )  # a byte-order mark: dropped from the text either way
    code = code_digest(DEFAULT_THEME)
    files = read_catalog_files(root)
    catalog, problems = load_catalog(root, None, files)
    assert problems == []
    read = read_inputs(root, files, TODAY, None, code)
    assert read == build_inputs(catalog, TODAY, None, code)
    (root / "models/fraud/notes.txt").write_text("stray\n")
    assert read_inputs(root, read_catalog_files(root), TODAY, None, code) is None


SIBLING = """\
    version: "2.1.0"
    released: 2026-03-01
    summary: Trained on another dataset.
    artifacts:
      - {uri: s3://m/fraud/2.1.0/model.onnx, sha256: %s}
    training:
      code: {repo: https://git.example/fraud, commit: "6b4c3d2e"}
      data: [other@2026-Q1]
    metrics:
      - {name: auc, value: 0.92, dataset: other@2026-Q1, split: test}
    lifecycle:
      - {stage: staging, date: 2026-03-01, by: alice}
    """ % ("c" * 64)
OTHER = """\
    name: Other transactions
    summary: Another source.
    owners: [{name: Data team}]
    versions:
      - {version: 2026-Q1, date: 2026-02-01}
    """


def test_a_share_of_traffic_follows_the_other_versions_of_its_model(
    make_catalog: CatalogMaker,
) -> None:
    """fraud@2.1.0 joins production at 0%: fraud@2.0.0, unchanged, now shows 100% on the page
    of the dataset it was trained on, which 2.1.0 does not name."""
    promoted = "approved_by: [carol]}"
    root = make_catalog(
        {
            V3: SIBLING,
            "datasets/other.yaml": OTHER,
            **edit(V2, promoted, "approved_by: [carol], traffic: 100}"),
        }
    )
    build(root)
    page = root.parent / "site/datasets/tx/index.html"
    assert b"(100%)" not in page.read_bytes()
    write(
        V3,
        SIBLING.replace(
            "by: alice}\n",
            "by: alice}\n      - {stage: production, date: 2026-03-05, by: bob, "
            "approved_by: [carol], traffic: 0, override: A dark launch takes no traffic}\n",
        ),
    )(root)
    build(root)
    assert snapshot(root.parent / "site") == cold(root)
    assert b"(100%)" in page.read_bytes()
