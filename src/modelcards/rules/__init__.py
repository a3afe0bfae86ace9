"""Cross-file rules: each family is a module of problem generators at three scopes.

`whole(context)` looks at the catalog as a whole; `per_version(context, version)` at one version
card and `per_model(context, model)` at one model (its card and its versions), each reading
nothing else of the catalog but the context's settings, today, the sets of ids and references
that exist and the dataset cards. `check(context)` runs the three (`context.run`). That split is
what lets `modelcards serve` check an edited catalog again without going over every card
(incremental.py); tests/unit/test_rules_incremental.py holds the two ways to the same findings.
"""

from __future__ import annotations

import datetime as dt

from ..catalog import Catalog
from ..problems import Problem
from . import governance, hints, lifecycle, placeholders, policy, references
from .context import RuleContext, place

FAMILIES = (references, lifecycle, policy, governance, hints, placeholders)


def check_catalog(catalog: Catalog, today: dt.date) -> list[Problem]:
    """Run every rule family over a resolved catalog; report everything, not the first."""
    context = RuleContext.build(catalog, today)
    return place([found for family in FAMILIES for found in family.check(context)], catalog)
