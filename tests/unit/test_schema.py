"""The committed JSON Schemas, used by third-party validators and editors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from ..helpers.catalogs import EXAMPLE_CATALOG, REPO

SCHEMAS = REPO / "schema"
SCHEMA_LINE = "# yaml-language-server: $schema="


def kind_of(card: Path) -> str:
    if card.name == "catalog.yaml":
        return "catalog"
    if card.parent.name == "datasets":
        return "dataset"
    return "model" if card.name == "model.yaml" else "version"


EXAMPLE_CARDS = sorted(EXAMPLE_CATALOG.rglob("*.yaml"))


class _Yaml12Loader(yaml.SafeLoader):
    """Reads dates as text, as YAML 1.2 editors (and the schemas' `format: date`) do."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(kind: str, data: Any) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(data)]


def test_schemas_declare_draft_2020_12() -> None:
    for kind in ("catalog", "model", "version", "dataset"):
        schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("card", EXAMPLE_CARDS, ids=lambda p: str(p.relative_to(EXAMPLE_CATALOG)))
def test_example_cards_pass_the_jsonschema_library(card: Path) -> None:
    data = yaml.load(card.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    assert errors(kind_of(card), data) == []


@pytest.mark.parametrize("card", EXAMPLE_CARDS, ids=lambda p: str(p.relative_to(EXAMPLE_CATALOG)))
def test_example_cards_point_editors_at_their_schema(card: Path) -> None:
    first = card.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_LINE)
    target = (card.parent / first.removeprefix(SCHEMA_LINE)).resolve()
    assert target == SCHEMAS / f"{kind_of(card)}.schema.json"


BAD_VERSION: dict[str, Any] = {
    "version": "1.0.0",
    "released": "2026-01-05",
    "summary": "ok",
    "lifecycle": [{"stage": "development", "date": "2026-01-05", "by": "alice"}],
}


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"metrcs": []}, "Additional properties are not allowed ('metrcs' was unexpected)"),
        ({"lifecycle": []}, "should be non-empty"),
        ({"version": "1.0"}, "does not match"),
        ({"artifacts": [{"uri": "s3://x", "sha256": "abc"}]}, "'abc' is not valid under any"),
        (
            {"lifecycle": [{"stage": "prod", "date": "2026-01-05", "by": "a"}]},
            "'prod' is not one of",
        ),
        ({"released": "yesterday"}, "is not a 'date'"),
        ({"summary": 3}, "3 is not of type 'string'"),
    ],
)
def test_structurally_bad_cards_are_rejected(change: dict[str, Any], fragment: str) -> None:
    found = errors("version", {**BAD_VERSION, **change})
    assert any(fragment in message for message in found), found


def test_missing_required_field_is_rejected() -> None:
    data = {key: value for key, value in BAD_VERSION.items() if key != "released"}
    assert errors("version", data) == ["'released' is a required property"]


def test_check_jsonschema_cli_accepts_the_example_and_rejects_a_bad_card(tmp_path: Path) -> None:
    tool = shutil.which("check-jsonschema")
    assert tool, "check-jsonschema is part of the test extra"
    versions = [c for c in EXAMPLE_CARDS if kind_of(c) == "version"]
    ok = subprocess.run(
        [tool, "--schemafile", str(SCHEMAS / "version.schema.json"), *map(str, versions)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "1.0.0.yaml"
    bad.write_text(versions[0].read_text().replace("released:", "relased:"))
    failed = subprocess.run(
        [tool, "--schemafile", str(SCHEMAS / "version.schema.json"), str(bad)],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1
    assert "relased" in failed.stdout
