"""Every problem the validator can report: a stable code, a severity and a title.

The codes are part of the public contract (CI configurations and docs refer to them):
never renumber one; retire a code by leaving its number unused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, Severity
from .texts import one_line


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str


E, W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        # Structure: one file at a time.
        Rule("MC001", E, "YAML syntax error"),
        Rule("MC002", E, "duplicate key"),
        Rule("MC003", E, "unknown field"),
        Rule("MC004", E, "wrong type or invalid value"),
        Rule("MC005", E, "missing required field"),
        Rule("MC006", E, "invalid model or dataset id"),
        Rule("MC007", E, "version file name is not SemVer"),
        Rule("MC008", E, "version field differs from the file name"),
        Rule("MC009", E, "file or folder does not belong in the catalog"),
        Rule("MC010", E, "file too large"),
        Rule("MC011", E, "nesting too deep"),
        Rule("MC012", E, "alias expansion too large"),
        Rule("MC013", E, "text is not UTF-8"),
        Rule("MC014", E, "YAML tag not allowed"),
        Rule("MC015", E, "duplicate dataset version"),
        Rule("MC016", E, "model folder without model.yaml"),
        Rule("MC017", E, "unreadable file"),
        Rule("MC018", E, "versions of equal precedence"),
        Rule("MC019", E, "invisible character in a name, identifier or URI"),
        # References between cards.
        Rule("MC020", E, "model version reference does not resolve"),
        Rule("MC021", E, "dataset reference does not resolve"),
        Rule("MC022", E, "malformed reference"),
        Rule("MC023", E, "alias names a missing or retired version"),
        Rule("MC024", E, "lineage cycle"),
        Rule("MC025", E, "replaced_by does not resolve"),
        Rule("MC026", E, "alias named like a stage or a version"),
        # Lifecycle.
        Rule("MC030", E, "lifecycle date goes backwards"),
        Rule("MC031", E, "lifecycle event before the release date"),
        Rule("MC032", E, "stage transition not allowed"),
        Rule("MC033", E, "deprecation without a reason"),
        Rule("MC034", E, "invalid replacement"),
        Rule("MC035", E, "production traffic does not add up"),
        Rule("MC036", E, "sunset before the deprecation"),
        Rule("MC037", E, "lifecycle event dated after today"),
        Rule("MC048", E, "production event that changes nothing"),
        # Policy and metrics.
        Rule("MC040", E, "field required by policy is missing"),
        Rule("MC041", E, "promotion regresses a gated metric"),
        Rule("MC042", E, "primary metric never reported"),
        Rule("MC043", E, "invalid policy in catalog.yaml"),
        Rule("MC044", E, "confidence interval does not contain the value"),
        Rule("MC045", E, "promotion gate cannot compare"),
        Rule("MC046", E, "metric reported twice for one dataset, split and slice"),
        Rule("MC047", E, "last production version taken out without approval"),
        Rule("MC049", E, "metric measured before the release or after today"),
        # History: validate --base REF, a published version is a record.
        Rule("MC060", E, "version on the base was deleted"),
        Rule("MC061", E, "model folder renamed"),
        Rule("MC062", E, "recorded field of a published version changed"),
        Rule("MC063", E, "published metric changed or removed"),
        Rule("MC064", E, "published lifecycle event changed or removed"),
        Rule("MC065", E, "published monitoring observation changed or removed"),
        Rule("MC066", E, "published dataset version deleted"),
        Rule("MC067", E, "recorded field of a published dataset version changed"),
        Rule("MC068", E, "promotion made on the branch fails its gate on later readings"),
        # Text that would cost too much to render or would mislead (issue 18).
        Rule("MC080", E, "Markdown text too long"),
        Rule("MC081", E, "Markdown nested too deep"),
        # Warnings: the catalog is valid, but someone should look.
        Rule("MC050", W, "unknown metric name"),
        Rule("MC051", W, "review overdue"),
        Rule("MC052", W, "sunset date passed"),
        Rule("MC053", W, "production artifact without sha256"),
        # Placeholders a scaffold marks `# TODO`.
        Rule("MC054", E, "placeholder not filled in"),
        Rule("MC055", W, "placeholder mark left on a filled-in value"),
        Rule("MC057", W, "editor schema hint names a missing file"),
    )
}


def problem(code: str, file: Path, position: tuple[int, int], message: str) -> Problem:
    """Make a problem with the severity its code carries.

    Messages quote card text, and a problem is one line in every format: control,
    bidirectional and zero-width characters are shown escaped (texts.one_line), so a card
    can neither split a report line, inject CI workflow commands, send escape sequences to
    a terminal, nor reorder the text of a message.
    """
    line, column = position
    return Problem(file, line, column, code, RULES[code].severity, one_line(message))
