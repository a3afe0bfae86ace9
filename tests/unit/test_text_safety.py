"""Card text that would lie to machines and terminals: control, bidirectional and zero-width
characters are refused in names, identifiers and URIs (MC019), and shown escaped wherever
free text goes (terminal, pages, PR summary, feed, Hugging Face README)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelcards.cli import cli
from modelcards.codes import problem
from modelcards.texts import capped, json_text, one_line, shown, xml_text

from ..helpers.catalogs import TODAY, V1, V2, CatalogMaker, edit
from ..helpers.history import make_repo, prepared_change
from ..helpers.site import TODAY as TODAY_DATE
from ..helpers.site import site_files

RLO = "\u202e"


def test_a_newline_in_an_artifact_uri_is_refused_so_get_cannot_shift_lines(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    root = make_catalog(
        edit(
            V2,
            "uri: s3://m/fraud/2.0.0/model.onnx",
            'uri: "s3://m/fraud/2.0.0/model.onnx\\nsha256: forged"',
        )
    )
    result = runner.invoke(cli, ["get", "fraud@2.0.0", str(root), "--field", "uri"])
    assert result.exit_code == 1
    assert "error MC019 artifacts[0].uri: contains U+000A LINE FEED" in result.output
    assert "forged\n" not in result.output  # printed escaped, as \n, on the problem's line


@pytest.mark.parametrize(
    "value",
    [
        "al\u202eice",  # right-to-left override
        "car\u200dol",  # zero-width joiner
        "bob\x1b[2J",  # a terminal escape sequence
        "eve\u2066x\u2069",  # an isolate
        "dan\u00ad",  # a soft hyphen: invisible
    ],
)
def test_names_refuse_invisible_characters(value: str, make_catalog: CatalogMaker) -> None:
    from modelcards.validate import validate_catalog

    escaped = value.encode("unicode_escape").decode()
    root = make_catalog(edit(V1, "by: alice}", f'by: "{escaped}"}}'))
    codes = [(p.code, p.line) for p in validate_catalog(root, TODAY_DATE).problems]
    assert codes == [("MC019", 12)]


def test_free_text_may_hold_them_and_they_are_shown_escaped_everywhere(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    reason = "Superseded \\u202eevil\\u202c and \\x07 bell"
    root = make_catalog(edit(V1, "reason: Superseded", f'reason: "{reason}"'))
    files = site_files(root)
    page = files["models/fraud/1.0.0/index.html"].decode()
    assert "Superseded \\u202eevil\\u202c and \\x07 bell" in page
    assert RLO not in page and "\x07" not in page
    feed = files["feed.xml"]
    parsed = ET.fromstring(feed)  # well-formed: XML 1.0 forbids U+0007
    summaries = [e.text or "" for e in parsed.iter("{http://www.w3.org/2005/Atom}summary")]
    assert any("\\u202eevil" in text for text in summaries)
    readme = files["models/fraud/1.0.0/README.md"].decode()
    body = readme.split("\n---\n", 1)[1]
    assert RLO not in body and "\\u202eevil" in body


def test_a_reason_cannot_add_a_line_to_what_get_prints(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """A deploy job's log shows get's warning and refusal: card text in them stays on their
    line (a line of its own could be a GitHub workflow command, or a fake answer)."""
    forged = "Superseded\\n::error::forged\\x1b[2J"
    root = make_catalog(edit(V1, "reason: Superseded", f'reason: "{forged}"'))
    result = runner.invoke(cli, ["get", "fraud@1.0.0", str(root)])
    assert result.exit_code == 0
    assert (
        "warning: fraud@1.0.0 is deprecated (Superseded\\n::error::forged\\x1b[2J); use "
        "fraud@2.0.0 instead; sunset 2027-01-01\n"
    ) in result.stderr
    retired = make_catalog(
        edit(
            V1,
            "reason: Superseded, replaced_by: 2.0.0, sunset: 2027-01-01}",
            "reason: Superseded, replaced_by: 2.0.0}\n  - {stage: retired, "
            f'date: 2026-02-01, by: bob, reason: "{forged}"}}',
        )
    )
    refused = runner.invoke(cli, ["get", "fraud@1.0.0", str(retired)])
    assert refused.exit_code == 1, refused.output
    assert "(since 2026-02-01: Superseded\\n::error::forged\\x1b[2J)" in refused.stderr
    for text in (result.stderr, refused.stderr):
        assert "\x1b" not in text and "\n::error::" not in text


def test_json_outputs_escape_controls_and_keep_their_values(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    """The BOM and catalog.json are JSON, whose encoders leave C1 controls, bidirectional
    controls and line separators raw: written as escapes, they parse to the same text."""
    summary = "First \\x85 \\x9b2J \\u202eevil \\u2028 model"
    root = make_catalog(edit(V1, "summary: First model.", f'summary: "{summary}"'))
    bom = runner.invoke(
        cli, ["export", "fraud@1.0.0", str(root), "--format", "cyclonedx", "--today", TODAY]
    )
    assert bom.exit_code == 0, bom.output
    catalog_json = site_files(root)["api/catalog.json"].decode()
    value = "First \x85 \x9b2J \u202eevil \u2028 model"
    for text in (bom.stdout, catalog_json):
        assert "First \\u0085 \\u009b2J \\u202eevil \\u2028 model" in text
        assert not any(c in text for c in "\x85\x9b\u202e\u2028")
        assert value in json.dumps(json.loads(text), ensure_ascii=False)


def test_problem_messages_and_paths_reach_the_terminal_escaped(
    runner: CliRunner, make_catalog: CatalogMaker
) -> None:
    message = problem("MC004", Path("x.yaml"), (1, 1), f"got 'a\x1b[2Jb{RLO}c\nd'").message
    assert message == "got 'a\\x1b[2Jb\\u202ec\\nd'"
    root = make_catalog()
    (root / "models" / "fraud" / "notes\x1b[31m.txt").write_text("x")
    result = runner.invoke(cli, ["validate", str(root), "--today", TODAY])
    assert result.exit_code == 1
    assert "notes\\x1b[31m.txt" in result.output and "\x1b" not in result.output


def test_pr_summary_shows_bidirectional_controls_in_free_text_escaped(
    runner: CliRunner, tmp_path: Path
) -> None:

    prepared_change(make_repo(tmp_path))
    card = tmp_path / "repo/catalog/models/small/0.1.0.yaml"
    text = card.read_text().replace("reason: The edge runs", 'reason: "\\u202eThe edge runs')
    card.write_text(text.replace("fraud 2.1.0,", 'fraud 2.1.0",', 1))
    args = ["validate", "repo/catalog", "--base", "main", "--today", "2026-11-26"]
    runner.invoke(cli, [*args, "--summary", "summary.md"])
    written = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "\\u202eThe edge runs fraud 2.1.0" in written and RLO not in written


def test_text_helpers() -> None:
    assert one_line("a\tb\u2028c\u200bd\x85") == "a\\tb\\u2028c\\u200bd\\x85"
    assert shown("line\nnext\ttab \x1b[0m \u2067x") == "line\nnext\ttab \\x1b[0m \\u2067x"
    assert xml_text("ok\x00\ufffe") == "ok\\x00\ufffd"
    assert json_text('{"a":"b\x7fc"}') == '{"a":"b\\u007fc"}'  # ASCII, and still escaped
    assert json_text('{"a":"b\u2028c"}') == '{"a":"b\\u2028c"}'
    assert capped(range(20_000)) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … and 19,990 more"
    assert capped(["a", "b"]) == "a, b"
    assert capped("abc", limit=2, separator=" -> ") == "a -> b -> … and 1 more"
