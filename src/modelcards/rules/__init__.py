"""Cross-file rules: each family is a module with a `check(context)` generator of problems."""

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
