"""Property: after any edits (model, version and dataset cards, lifecycle, metrics, lineage,
catalog.yaml, a theme template, the day the build judges dates against), an incremental build
is byte for byte a cold build, and finds what a validation from scratch finds.

One small generated catalog (benchmarks/generate_catalog.py) is built once; each example puts
its files back, applies one to three random edits, builds on the site and cache the previous
example left, and compares with a build from scratch. An edit that makes the catalog invalid
(a lineage the rules refuse, a text a limit refuses) must leave the site as it was. The examples
are few; CI draws the same ones every run (the "ci" profile, tests/conftest.py).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelcards.site.build import BuildFailed, SiteConfig, build_site
from modelcards.validate import validate_catalog

from ..helpers.catalogs import snapshot
from ..helpers.site import TODAY
from ..helpers.site_properties import MODELS, VERSIONS, Edit, Workspace, cold, edits, make_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return make_workspace(tmp_path_factory.mktemp("incremental-properties"))


models, versions = st.integers(0, len(MODELS) - 1), st.integers(0, len(VERSIONS) - 1)


def test_after_any_edits_the_incremental_build_is_a_cold_build(workspace: Workspace) -> None:
    outcomes: list[str] = []

    @settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(changes=st.lists(edits, min_size=1, max_size=3))
    def check(changes: list[Edit]) -> None:
        outcomes.append(incremental_equals_cold(workspace, changes))

    check()
    # Most examples build: the property is about sites, not refusals.
    assert outcomes.count("built") > len(outcomes) // 2, outcomes


def incremental_equals_cold(workspace: Workspace, changes: list[Edit]) -> str:
    site, root = workspace.place / "site", workspace.root
    workspace.reset()
    today = TODAY
    for change in changes:
        change.apply(root)
        today = change.today or today
    before = snapshot(site) if site.exists() else None
    config = SiteConfig(root, site, today=today, cache=workspace.place / "cache")
    try:
        report = build_site(config)
    except BuildFailed:  # a template error: nothing built
        assert (snapshot(site) if site.exists() else None) == before
        return "template error"
    # The rules' findings, partly remembered from the last build, are a validation's.
    assert report.validation.problems == validate_catalog(root, today).problems
    if report.files is None:  # invalid after the edits: the last good site stays
        assert (snapshot(site) if site.exists() else None) == before
        return "invalid"
    assert snapshot(site) == cold(workspace.place, today)
    return "built"
