"""A model whose promotions the BASE catalog's policy gates (a gate on the primary metric)."""

from __future__ import annotations

import textwrap

from .catalogs import SHA_A


def gated(version: str, metrics: list[str], events: list[str], released: str = "2026-03-01") -> str:
    """A version card of model `gated` that meets the policy of the BASE catalog."""
    lines = [
        f'version: "{version}"',
        f"released: {released}",
        f"summary: Version {version}.",
        "artifacts:",
        f"  - {{uri: s3://m/gated/{version}.onnx, sha256: {SHA_A}}}",
        "training:",
        '  code: {repo: https://git.example/gated, commit: "4f2c1e9"}',
        "  data: [tx@2025-Q4]",
        "metrics:",
        *(f"  - {m}" for m in metrics),
        "lifecycle:",
        *(f"  - {e}" for e in events),
    ]
    return "\n".join(lines) + "\n"


MODEL = textwrap.dedent("""\
    name: Gated model
    summary: A model whose promotions are gated.
    owners: [{name: Risk ML}]
    task: tabular-classification
    primary_metric: auc
    last_reviewed: 2026-06-01
    """)
