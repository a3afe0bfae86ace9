"""Real Hugging Face model cards in, faithful cards out, measured on a corpus.

tests/interop/fixtures/hf holds real model-card READMEs from the Hub (sources.yaml says where each
came from and under which license). Each one is imported into an empty catalog with
`modelcards import hf` and exported again with `modelcards export --format hf`; what
huggingface_hub reads from both READMEs is compared. The test prints its report (with -s, or
always in the summary of a failure) and asserts the promises of docs/interop.md:

- no README makes the importer or the exporter crash (exit 0, or 1 with an error message);
- at least 95% of the model-index results that carry a reading come back equal, field by
  field, through huggingface_hub's eval_results (a result whose value is no reading, such as
  .nan or NA, is skipped by design and reported with its README line instead);
- at least 90% of the words of the README's body are kept in the cards;
- no name or summary starts with markup or is a template heading;
- the CycloneDX BOM of every imported version validates strictly against CycloneDX 1.6, and its
  dependency graph has an entry for every component.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from huggingface_hub import EvalResult

from modelcards.cli import cli

from ..helpers.catalogs import REPO
from ..helpers.hub import ModelCard

FIXTURES = REPO / "tests" / "interop" / "fixtures" / "hf"
READMES = sorted(FIXTURES.glob("*/README.md"))
TODAY = "2026-11-26"

# A value that states a reading: a finite number, or a number written as text ("73.8%",
# "12.5 ± 0.3", "-147.07 +/- 80.80"); .nan, NA and the like are not readings.
_READING_TEXT = re.compile(r"\s*-?\d+(\.\d+)?\s*(%|(±|\+/-)\s*\d+(\.\d+)?)?\s*")
_MARKUP_START = tuple("<>[]!#*_`|~\\{")
_TEMPLATE_NAMES = {
    "model card for model id",
    "model details",
    "table of contents",
    "model description",
    "model summary",
    "overview",
    "introduction",
    "contents",
}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STYLE = re.compile(r"<(style|script)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_FRONT_MATTER = re.compile(r"^\s*---[\r\n]+[\s\S]*?[\r\n]+---(\r\n|\n|$)")


def has_reading(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    return isinstance(value, str) and _READING_TEXT.fullmatch(value) is not None


def eval_results(text: str) -> list[EvalResult]:
    """What huggingface_hub reads as the README's evaluation results (none when it cannot)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = ModelCard(text, ignore_metadata_errors=True)
    return list(card.data.eval_results or [])


def result_fields(result: EvalResult) -> tuple[Any, ...]:
    return tuple(repr(v) for v in vars(result).values())


def body_words(text: str) -> Counter[str]:
    """The words a reader sees in a README's body: front matter, HTML comments, style sheets,
    scripts and template placeholders left out."""
    body = _FRONT_MATTER.sub("", text.replace("\r\n", "\n"), count=1)
    body = _COMMENT.sub("", body).replace("[More Information Needed]", "")
    body = _STYLE.sub("", body)
    return Counter(w.lower() for w in re.findall(r"\w+", body))


def card_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from card_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from card_strings(value)


def is_text(value: str) -> bool:
    """A name or summary a person would write: no leading markup, no template heading."""
    stripped = value.strip()
    return (
        bool(stripped)
        and not stripped.startswith(_MARKUP_START)
        and not stripped.lower().startswith(("http://", "https://"))
        and stripped.lower() not in _TEMPLATE_NAMES
    )


@dataclass
class Outcome:
    name: str
    import_exit: int
    export_exit: int | None = None
    crashed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    results: list[EvalResult] = field(default_factory=list)
    exported: list[EvalResult] = field(default_factory=list)
    words: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    name_and_summary: tuple[str, str] = ("", "")
    bom: str = ""

    @property
    def readings(self) -> list[EvalResult]:
        return [r for r in self.results if has_reading(r.metric_value)]

    @property
    def equal(self) -> int:
        exported = Counter(result_fields(r) for r in self.exported)
        found = 0
        for result in self.readings:
            key = result_fields(result)
            if exported[key]:
                exported[key] -= 1
                found += 1
        return found

    @property
    def words_kept(self) -> int:
        return sum(min(n, self.kept[w]) for w, n in self.words.items())


def _crash(result: Any) -> list[str]:
    exception = result.exception
    if exception is None or isinstance(exception, SystemExit):
        return []
    return [f"{type(exception).__name__}: {exception}"]


def run_one(readme: Path, root: Path, runner: CliRunner) -> Outcome:
    model_id = readme.parent.name
    text = readme.read_text(encoding="utf-8")
    imported = runner.invoke(
        cli,
        [
            "import",
            "hf",
            str(readme),
            str(root),
            "--model",
            model_id,
            "--owner",
            "Corpus",
            "--today",
            TODAY,
        ],
    )
    outcome = Outcome(model_id, imported.exit_code, crashed=_crash(imported))
    outcome.warnings = [line for line in imported.output.splitlines() if "warning" in line]
    outcome.results = eval_results(text)
    outcome.words = body_words(text)
    folder = root / "models" / model_id
    if imported.exit_code != 0:
        return outcome
    cards = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))]
    outcome.kept = Counter(
        w.lower() for card in cards for s in card_strings(card) for w in re.findall(r"\w+", s)
    )
    model = yaml.safe_load((folder / "model.yaml").read_text(encoding="utf-8"))
    outcome.name_and_summary = (model["name"], model["summary"])
    out = root.parent / f"{model_id}.md"
    exported = runner.invoke(
        cli, ["export", f"{model_id}@1.0.0", str(root), "--format", "hf", "-o", str(out)]
    )
    outcome.export_exit = exported.exit_code
    outcome.crashed += _crash(exported)
    if exported.exit_code == 0:
        outcome.exported = eval_results(out.read_text(encoding="utf-8"))
    bom = runner.invoke(
        cli, ["export", f"{model_id}@1.0.0", str(root), "--format", "cyclonedx", "--today", TODAY]
    )
    outcome.crashed += _crash(bom)
    outcome.bom = bom.stdout if bom.exit_code == 0 else ""
    return outcome


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    root = tmp_path_factory.mktemp("corpus") / "catalog"
    (root / "models").mkdir(parents=True)
    runner = CliRunner()
    found = [run_one(readme, root, runner) for readme in READMES]
    shutil.rmtree(root)
    return found


def report(outcomes: list[Outcome]) -> str:
    lines = [
        f"{'README':46} {'import':>6} {'export':>6} {'results':>7} {'equal':>5} "
        f"{'words':>6} {'kept':>5}  name | summary"
    ]
    for o in outcomes:
        share = o.words_kept / sum(o.words.values()) if o.words else 1.0
        lines.append(
            f"{o.name:46} {o.import_exit:>6} {o.export_exit if o.export_exit is not None else '-':>6} "
            f"{len(o.readings):>3}/{len(o.results):<3} {o.equal:>5} {sum(o.words.values()):>6} "
            f"{share:>5.0%}  {o.name_and_summary[0][:30]} | {o.name_and_summary[1][:50]}"
        )
    readings = sum(len(o.readings) for o in outcomes)
    results = sum(len(o.results) for o in outcomes)
    equal = sum(o.equal for o in outcomes)
    words = sum(sum(o.words.values()) for o in outcomes)
    kept = sum(o.words_kept for o in outcomes)
    lines.append(
        f"{len(outcomes)} READMEs; model-index results: {results}, with a reading {readings}, "
        f"equal after import -> export {equal} ({equal / max(readings, 1):.1%} of readings, "
        f"{equal / max(results, 1):.1%} of all); body words kept {kept}/{words} "
        f"({kept / max(words, 1):.1%})"
    )
    return "\n".join(lines)


def test_the_corpus_is_real_and_diverse() -> None:
    """At least 25 READMEs, each listed in sources.yaml with its source and license, and
    together the cases that matter."""
    sources = yaml.safe_load((FIXTURES / "sources.yaml").read_text(encoding="utf-8"))
    listed = {entry["fixture"] for entry in sources}
    assert listed == {str(p.relative_to(FIXTURES)) for p in READMES}
    assert len(READMES) >= 25
    assert all(
        entry["copied_from"].startswith("https://github.com/") and entry["license"]
        for entry in sources
    )
    raw = {p.parent.name: p.read_bytes() for p in READMES}
    texts = {name: data.decode("utf-8") for name, data in raw.items()}
    fronts = {name: _FRONT_MATTER.match(t) for name, t in texts.items()}
    metas = {
        name: yaml.safe_load(found.group(0).strip().strip("-")) if found else {}
        for name, found in fronts.items()
    }
    assert sum(found is None for found in fronts.values()) >= 1  # no front matter at all
    with_index = [n for n, m in metas.items() if m.get("model-index")]
    assert len(with_index) >= 10 and len(metas) - len(with_index) >= 5
    assert sum(b"\r\n" in data for data in raw.values()) >= 2  # CRLF
    assert sum(t.startswith("\n") for t in texts.values()) >= 2  # a blank line before ---
    assert sum(m.get("license") == "other" and "license_name" in m for m in metas.values()) >= 3
    assert (
        sum(
            isinstance(m.get("base_model"), list) and len(m["base_model"]) > 1
            for m in metas.values()
        )
        >= 2
    )
    bodies = [_FRONT_MATTER.sub("", t, count=1).lstrip() for t in texts.values()]
    assert sum(b.startswith("<") for b in bodies) >= 3  # HTML before any text
    values = [r.metric_value for t in texts.values() for r in eval_results(t)]
    assert any(isinstance(v, float) and math.isnan(v) for v in values)
    assert any(isinstance(v, str) and v.endswith("%") for v in values)
    configs = {
        (r.dataset_type, r.dataset_config, r.dataset_split)
        for t in texts.values()
        for r in eval_results(t)
    }
    assert len(configs) >= 30
    # One dataset, config and split told apart by display name only (MultiPL-E's languages).
    places = Counter(
        (n, r.metric_type, r.dataset_type, r.dataset_config, r.dataset_split, r.dataset_name)
        for n, t in texts.items()
        for r in eval_results(t)
    )
    by_name = Counter(place[:-1] for place in places)
    assert any(count > 1 for count in by_name.values())


def test_no_readme_crashes_the_import_or_the_export(outcomes: list[Outcome]) -> None:
    print("\n" + report(outcomes))
    assert [(o.name, o.crashed) for o in outcomes if o.crashed] == []
    assert [o.name for o in outcomes if o.import_exit != 0 or o.export_exit != 0] == []


def test_model_index_results_survive_import_and_export(outcomes: list[Outcome]) -> None:
    readings = sum(len(o.readings) for o in outcomes)
    equal = sum(o.equal for o in outcomes)
    assert readings >= 100
    assert equal / readings >= 0.95, report(outcomes)


def test_results_without_a_reading_are_reported_with_their_line(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        skipped = [r for r in outcome.results if not has_reading(r.metric_value)]
        reported = [w for w in outcome.warnings if "not a number" in w]
        assert len(reported) == len(skipped), (outcome.name, reported)
        assert all(re.match(r"warning: .*README\.md:\d+: ", w) for w in reported), reported


def test_the_body_is_kept(outcomes: list[Outcome]) -> None:
    words = sum(sum(o.words.values()) for o in outcomes)
    kept = sum(o.words_kept for o in outcomes)
    assert kept / words >= 0.90, report(outcomes)


def test_names_and_summaries_are_text_not_markup(outcomes: list[Outcome]) -> None:
    bad = [
        (o.name, o.name_and_summary)
        for o in outcomes
        if not all(is_text(v) for v in o.name_and_summary)
    ]
    assert bad == [], report(outcomes)


def test_every_imported_version_exports_a_valid_bom_with_a_complete_graph(
    outcomes: list[Outcome],
) -> None:
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    for outcome in outcomes:
        assert outcome.bom, outcome.name
        assert validator.validate_str(outcome.bom) is None, outcome.name
        bom = json.loads(outcome.bom)
        refs = [bom["metadata"]["component"]["bom-ref"], *(c["bom-ref"] for c in bom["components"])]
        assert [d["ref"] for d in bom["dependencies"]] == refs, outcome.name
        assert len(set(refs)) == len(refs), outcome.name
