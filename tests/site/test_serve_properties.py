"""Property: after any edits (the edits of tests/helpers/site_properties.py: model, version
and dataset cards, lifecycle, metrics, lineage, catalog.yaml, a theme template), `serve`
answers every address with what a cold build of the edited catalog writes there; after edits
that make the catalog invalid, with what it answered before.

One LiveSite is kept through all examples, as one `serve` session is kept through a day of
edits; each example puts the files back, applies one to three edits and tells the site which
files changed, as the watcher does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelcards.site.build import MARKER, SiteConfig
from modelcards.site.live import LiveSite

from ..helpers.site import TODAY
from ..helpers.site_properties import Edit, Workspace, cold, edits, make_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return make_workspace(tmp_path_factory.mktemp("serve-properties"))


def files(place: Path) -> dict[Path, bytes]:
    """The catalog's and the theme's files, by absolute path."""
    found = [*(place / "catalog").rglob("*"), *(place / "theme").rglob("*")]
    return {path.resolve(): path.read_bytes() for path in found if path.is_file()}


def served(live: LiveSite) -> dict[str, bytes]:
    generation = live.current()
    assert generation is not None
    return {path: data for path in generation.pages if (data := generation.file(path)) is not None}


def test_after_any_edits_serve_answers_what_a_cold_build_writes(workspace: Workspace) -> None:
    config = SiteConfig(workspace.root, workspace.place / "unused", today=TODAY, use_cache=False)
    live = LiveSite(config, lambda _: None)
    assert live.load()
    outcomes: list[str] = []
    state = {"files": files(workspace.place)}

    @settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    # Not the edits of the day a build is made on: serve judges dates as of its start.
    @given(changes=st.lists(edits.filter(lambda edit: edit.today is None), min_size=1, max_size=3))
    def check(changes: list[Edit]) -> None:
        workspace.reset()
        for change in changes:
            change.apply(workspace.root)
        before, now = state["files"], files(workspace.place)
        state["files"] = now
        changed = [str(p) for p in before.keys() | now.keys() if before.get(p) != now.get(p)]
        shown = served(live)
        if not live.load(changed):
            assert served(live) == shown  # the last good site
            outcomes.append("invalid")
            return
        built = cold(workspace.place, TODAY)
        assert served(live) == {name: data for name, data in built.items() if name != MARKER}
        outcomes.append("served")

    check()
    assert outcomes.count("served") > len(outcomes) // 2, outcomes
    assert not (workspace.place / "unused").exists()
