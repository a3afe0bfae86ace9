"""Generate a synthetic, valid modelcards catalog for benchmarks.

Usage::

    python benchmarks/generate_catalog.py OUT_DIR [--models 1000] [--versions 10]
        [--datasets 100] [--seed 0] [--fan-out 0] [--force]

The catalog follows every rule of the card format (contract v1):
references resolve, lineage has no cycles, lifecycles follow the default transition graph
with dates that never go backwards, the primary metric (``auc``) never regresses, and every
version that reached production carries what ``policy.require`` asks for.

Output is deterministic for a given seed: every random choice comes from ``random.Random``
instances seeded from ``--seed`` (one per dataset and per model, so a smaller catalog is
largely a prefix of a bigger one), and no date depends on the clock. Lineage: each model's
versions are a chain (each retrained from the one before); every tenth model starts from the
previous model's latest version; with ``--fan-out N`` the first versions of models 2 to N+1
are all fine-tuned from the first model's latest version (a wide lineage). Sizes are realistic:
each version card is 2-3 KB (its Markdown description is sized to fit), each model card
about 1-2 KB. The YAML is written by a tiny emitter in the hand-written style of the spec:
block mappings, with flow mappings for list items.

Other scripts and tests import :func:`generate` (add ``benchmarks/`` to ``sys.path``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

EARLIEST_RELEASE = date(2024, 1, 15)
LATEST_RELEASE = date(2026, 7, 1)
END = date(2026, 11, 1)
MAX_SPACING_DAYS = 90.0
CARD_MIN_BYTES = 2048
CARD_MAX_BYTES = 3072
PRIMARY = "auc"
# What --warnings adds to every version card: a metric catalog.yaml does not declare.
UNDECLARED_METRIC = {"name": "f1_macro", "value": 0.8}
DATASET_SNAPSHOTS = (
    ("2023-Q4", date(2024, 1, 2)),
    ("2024-Q4", date(2025, 1, 2)),
    ("2025-Q4", date(2026, 1, 2)),
)

# --------------------------------------------------------------------------- YAML emitter


class Quoted(str):
    """A string always written double-quoted (versions, commits)."""

    __slots__ = ()


class Flow(dict[str, object]):
    """A mapping written in flow style: ``{a: 1, b: 2}``."""


class Block(str):
    """A string written as a literal block scalar (``|``): Markdown."""

    __slots__ = ()


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = re.compile(r"[,\[\]{}]")
_NON_STRING = re.compile(
    r"(?i)(true|false|yes|no|on|off|y|n|null|~)|[-+.]?\d[\d_.:eE+-]*|\.(inf|nan)"
)


def needs_quotes(text: str, flow: bool) -> bool:
    """Whether a plain scalar would not read back as this exact string."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return True
    if ": " in text or " #" in text or text.endswith(":") or "\n" in text:
        return True
    if flow and _FLOW_CHARS.search(text):
        return True
    return _NON_STRING.fullmatch(text) is not None


def scalar(value: object, flow: bool = True) -> str:
    """One scalar (or flow collection) in YAML syntax."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return f"{value:.10f}".rstrip("0") if "e" in text else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    quote = isinstance(value, Quoted) or needs_quotes(text, flow)
    return json.dumps(text) if quote else text


def emit(mapping: dict[str, object], indent: str = "") -> Iterator[str]:
    """Lines of a block mapping; plain dicts nest as blocks, Flow dicts stay inline."""
    for key, value in mapping.items():
        if isinstance(value, Block):
            yield f"{indent}{key}: |"
            yield from (f"{indent}  {line}" if line else "" for line in value.split("\n"))
        elif isinstance(value, dict) and not isinstance(value, Flow):
            yield f"{indent}{key}:"
            yield from emit(value, indent + "  ")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            yield f"{indent}{key}:"
            yield from (f"{indent}  - {scalar(item)}" for item in value)
        else:
            yield f"{indent}{key}: {scalar(value, flow=False)}"


def render(mapping: dict[str, object]) -> str:
    """A whole YAML document."""
    return "\n".join(emit(mapping)) + "\n"


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Theme:
    """What kind of model a generated model is."""

    slug: str
    name: str
    task: str
    framework: str
    tags: tuple[str, ...]
    purpose: str
    users: str
    out_of_scope: str
    data: str  # the kind of dataset it trains on (a DATA_KINDS slug)


# slug | name | task | framework | tags | purpose | users | out of scope | data kind
_THEME_TABLE = """
fraud-scorer | Fraud scorer | tabular-classification | xgboost | payments risk tabular |
  scores card transactions for fraud risk | Fraud analysts | Credit decisions | card-transactions
churn-predictor | Churn predictor | tabular-classification | lightgbm | retention tabular |
  predicts which subscribers cancel within 30 days | Retention marketing | Pricing decisions |
  customer-events
credit-default | Credit default model | tabular-classification | catboost | lending risk tabular |
  estimates the probability of default on new loans | Credit officers |
  Fully automated rejections | customer-events
spam-filter | Spam filter | text-classification | torch | email nlp |
  flags unsolicited bulk email in customer inboxes | Mail platform | Legal hold decisions |
  support-chats
toxicity-classifier | Toxicity classifier | text-classification | torch | moderation nlp |
  detects abusive comments before they are published | Trust and safety moderators |
  Account bans without review | product-reviews
intent-detector | Intent detector | text-classification | torch | support nlp |
  routes support chats to the right queue | Support operations | Medical or legal advice |
  support-chats
defect-detector | Defect detector | image-classification | torch | manufacturing vision |
  spots surface defects on line-camera images | Quality engineers | Safety certification |
  line-camera-images
ad-click-ranker | Ad click ranker | tabular-classification | lightgbm | ads ranking tabular |
  predicts click-through for candidate ads | Ads ranking service | Billing disputes |
  ad-impressions
lead-scorer | Lead scorer | tabular-classification | scikit-learn | sales crm tabular |
  ranks inbound leads by conversion likelihood | Sales development reps |
  Employee evaluation | crm-leads
account-takeover | Account takeover detector | tabular-classification | xgboost | security risk |
  flags logins that look like account takeover | Security operations |
  Law enforcement referrals | login-events
claim-triage | Claim triage model | tabular-classification | catboost | insurance tabular |
  routes insurance claims to fast-track or review | Claims handlers | Claim denials |
  insurance-claims
sentiment-classifier | Sentiment classifier | text-classification | torch | reviews nlp |
  labels product reviews as positive or negative | Product analytics |
  Individual seller ratings | product-reviews
doc-type-classifier | Document type classifier | image-classification | torch | documents vision |
  recognises identity documents in onboarding uploads | Onboarding operations |
  Identity verification on its own | document-uploads
upsell-propensity | Upsell propensity model | tabular-classification | xgboost | marketing tabular |
  scores customers likely to accept a plan upgrade | Lifecycle marketing | Credit limits |
  customer-events
bot-detector | Bot detector | tabular-classification | lightgbm | security web |
  separates automated traffic from human sessions | Edge platform |
  Blocking without a challenge | web-sessions
return-risk | Return risk model | tabular-classification | scikit-learn | ecommerce tabular |
  predicts which orders are likely to be returned | Fulfilment planners |
  Customer-facing refusals | card-transactions
"""


def parse_themes(table: str) -> tuple[Theme, ...]:
    """Read the theme table: one record per unindented line, continued by indented ones."""
    records = re.split(r"\n(?=\S)", table.strip())
    themes = []
    for record in records:
        fields = [" ".join(f.split()) for f in record.split("|")]
        slug, name, task, framework, tags, purpose, users, out_of_scope, data = fields
        themes.append(
            Theme(
                slug, name, task, framework, tuple(tags.split()), purpose, users, out_of_scope, data
            )
        )
    return tuple(themes)


THEMES = parse_themes(_THEME_TABLE)

FRAMEWORKS: dict[str, tuple[str, dict[str, str], tuple[str, str]]] = {
    "xgboost": (
        "2.0.3",
        {"xgboost": "2.0.3", "numpy": "1.26.4", "pandas": "2.2.1", "scikit-learn": "1.4.1.post1"},
        ("model.ubj", "xgboost-ubj"),
    ),
    "lightgbm": (
        "4.3.0",
        {"lightgbm": "4.3.0", "numpy": "1.26.4", "pandas": "2.2.1", "pyarrow": "15.0.1"},
        ("model.txt", "lightgbm"),
    ),
    "catboost": (
        "1.2.3",
        {"catboost": "1.2.3", "numpy": "1.26.4", "pandas": "2.2.1"},
        ("model.cbm", "catboost"),
    ),
    "scikit-learn": (
        "1.4.1.post1",
        {"scikit-learn": "1.4.1.post1", "numpy": "1.26.4", "joblib": "1.3.2"},
        ("model.joblib", "joblib"),
    ),
    "torch": (
        "2.2.1",
        {
            "torch": "2.2.1",
            "transformers": "4.38.2",
            "tokenizers": "0.15.2",
            "accelerate": "0.27.2",
        },
        ("model.safetensors", "safetensors"),
    ),
}

CPU_HARDWARE = (
    "8 vCPU 32 GB (m6i.2xlarge)",
    "16 vCPU 64 GB (m6i.4xlarge)",
    "32 vCPU 128 GB (c6i.8xlarge)",
)
GPU_HARDWARE = ("1x NVIDIA A100 80GB", "4x NVIDIA L4 24GB", "8x NVIDIA A10G 24GB")
TEAMS = (
    ("Risk ML", "risk-ml"),
    ("Growth ML", "growth-ml"),
    ("Trust and Safety ML", "tns-ml"),
    ("Platform ML", "platform-ml"),
    ("Vision", "vision"),
    ("Language", "nlp"),
    ("Ads ML", "ads-ml"),
    ("Customer ML", "customer-ml"),
)
PEOPLE = (
    "alice",
    "bob",
    "carol",
    "dmitri",
    "eun-ji",
    "farah",
    "gustavo",
    "hana",
    "ivan",
    "jade",
    "kofi",
    "lena",
    "mateo",
    "noor",
    "oskar",
    "priya",
)
DATA_KINDS = (
    ("card-transactions", "Card transactions", "Authorised card transactions with labels."),
    ("customer-events", "Customer events", "Product events joined to account attributes."),
    ("support-chats", "Support chats", "Redacted support conversations with queue labels."),
    ("product-reviews", "Product reviews", "Marketplace reviews with star ratings."),
    ("line-camera-images", "Line camera images", "Inspection images with defect labels."),
    ("ad-impressions", "Ad impressions", "Served impressions with click outcomes."),
    ("crm-leads", "CRM leads", "Inbound leads with conversion outcomes."),
    ("login-events", "Login events", "Authentication attempts with takeover labels."),
    ("insurance-claims", "Insurance claims", "Closed claims with handling outcomes."),
    ("web-sessions", "Web sessions", "Edge sessions with bot-challenge outcomes."),
    ("document-uploads", "Document uploads", "Onboarding document images with type labels."),
)
CHANGES = (
    "Retrained on the {snapshot} snapshot of {data}.",
    "Adds {n} engineered features from the feature store.",
    "Drops {n} features that leaked post-event information.",
    "Tunes the learning rate schedule after a {n}-trial sweep.",
    "Rebalances classes with inverse-frequency weights.",
    "Moves training to {hardware}.",
    "Pins the container by digest so the run is reproducible.",
    "Fixes a timezone bug in the feature pipeline that shifted {n} percent of rows.",
    "Extends the label window to {n} days to capture late outcomes.",
    "Removes duplicate rows found by the data quality checks.",
)
SUMMARIES = (
    "adds merchant-category features",
    "tighter regularisation",
    "longer label window",
    "fixes a feature pipeline timezone bug",
    "class reweighting",
    "pins the training container by digest",
    "drops leaky features",
)
NOTES = (
    "Offline evaluation uses the held-out test split of {data}.",
    "The confidence interval is a 1000-resample bootstrap over the test split.",
    "Latency is measured on the production serving image with batch size one.",
    "Precision and recall are reported at the operating threshold chosen by the owners.",
    "The sliced metric covers customers who joined in the last {n} days.",
    "A shadow deployment ran for {n} days before promotion with no incidents.",
    "Calibration was checked with a reliability diagram; no recalibration was needed.",
    "Feature importances are stable against the previous version.",
    "The model card was reviewed by {person} before the production request.",
    "Rollback is a one-line change of the champion alias.",
    "Fairness metrics per region stayed within the agreed tolerance of {n} points.",
    "Training took about {n} minutes end to end including hyperparameter search.",
)

# --------------------------------------------------------------------------- datasets


@dataclass(frozen=True)
class Dataset:
    """A generated dataset and its snapshot dates."""

    id: str
    name: str
    snapshots: tuple[tuple[str, date], ...]

    def ref_at(self, day: date) -> str:
        """The newest snapshot published on or before ``day``."""
        version = next(v for v, d in reversed(self.snapshots) if d <= day)
        return f"{self.id}@{version}"


def hex_digits(rng: random.Random, count: int) -> str:
    """``count`` random lowercase hex digits."""
    return f"{rng.getrandbits(4 * count):0{count}x}"


def make_dataset(index: int, width: int, seed: int) -> tuple[Dataset, str]:
    """One dataset and the text of its card."""
    rng = random.Random(f"{seed}/dataset/{index}")
    slug, name, summary = DATA_KINDS[index % len(DATA_KINDS)]
    ident = f"d{index + 1:0{width}d}-{slug}"
    snapshots = tuple((v, d + timedelta(days=rng.randint(0, 9))) for v, d in DATASET_SNAPSHOTS)
    team, handle = rng.choice(TEAMS)
    rows = rng.randint(200_000, 50_000_000)
    card: dict[str, object] = {
        "name": f"{name} ({ident[: width + 1]})",
        "summary": summary,
        "owners": [Flow(name=f"{team} data", contact=f"{handle}-data@acme.example")],
        "license": "proprietary",
        "description": Block(
            f"{summary}\n\nRefreshed yearly; each snapshot is immutable.\n"
            "Personal data is pseudonymised before export."
        ),
        "versions": [
            Flow(
                version=Quoted(v),
                date=d,
                uri=f"s3://acme-data/{ident}/{v}/",
                sha256=hex_digits(rng, 64),
                rows=rows + i * rows // 5,
            )
            for i, (v, d) in enumerate(snapshots)
        ],
    }
    return Dataset(ident, name, snapshots), render(card)


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class Plan:
    """The per-model decisions shared by its model card and version cards."""

    id: str
    index: int
    theme: Theme
    versions: tuple[str, ...]
    released: tuple[date, ...]
    spacing: float
    datasets: tuple[Dataset, ...]
    base_auc: float
    parent: str | None
    deprecate_first: bool
    retire_second: bool


def version_names(count: int) -> tuple[str, ...]:
    """SemVer names ``1.0.0``, ``1.1.0``, ..."""
    return tuple(f"1.{k}.0" for k in range(count))


def release_dates(rng: random.Random, count: int) -> tuple[tuple[date, ...], float]:
    """Release dates spread between EARLIEST_RELEASE and LATEST_RELEASE, and the spacing."""
    available = (LATEST_RELEASE - EARLIEST_RELEASE).days
    spacing = min(MAX_SPACING_DAYS, available / count)
    start = EARLIEST_RELEASE + timedelta(days=rng.randint(0, int(available - spacing * count)))
    return tuple(start + timedelta(days=int(k * spacing)) for k in range(count)), spacing


def model_id(index: int, width: int) -> str:
    """``m0001-fraud-scorer``: the id of the model at ``index`` (0-based)."""
    return f"m{index + 1:0{width}d}-{THEMES[index % len(THEMES)].slug}"


def pick_dataset(rng: random.Random, data: list[Dataset], kind: str) -> Dataset:
    """A dataset of the given kind when there is one, else any dataset."""
    matching = [d for d in data if d.id.endswith(f"-{kind}")]
    return rng.choice(matching or data)


def make_plan(
    index: int, width: int, versions: int, data: list[Dataset], seed: int, fan_out: int = 0
) -> Plan:
    """Draw everything a model's cards need to agree on."""
    rng = random.Random(f"{seed}/model/{index}")
    theme = THEMES[index % len(THEMES)]
    released, spacing = release_dates(rng, versions)
    picked = tuple(dict.fromkeys((pick_dataset(rng, data, theme.data), rng.choice(data))))
    parent = None
    if (index + 1) % 10 == 0:
        parent = f"{model_id(index - 1, width)}@{version_names(versions)[-1]}"
    elif 1 <= index <= fan_out:
        parent = f"{model_id(0, width)}@{version_names(versions)[-1]}"
    return Plan(
        id=model_id(index, width),
        index=index,
        theme=theme,
        versions=version_names(versions),
        released=released,
        spacing=spacing,
        datasets=picked,
        base_auc=round(rng.uniform(0.80, 0.95), 3),
        parent=parent,
        deprecate_first=versions >= 2 and rng.random() < 0.3,
        retire_second=versions >= 3 and rng.random() < 0.1,
    )


def model_card(plan: Plan, rng: random.Random) -> str:
    """The text of models/<model>/model.yaml."""
    theme, owners = plan.theme, rng.sample(TEAMS, rng.randint(1, 2))
    return render(
        {
            "name": f"{theme.name} {plan.index + 1}",
            "summary": f"{theme.purpose.capitalize()}.",
            "description": Block(model_description(plan, rng)),
            "owners": [Flow(name=t, contact=f"{h}@acme.example") for t, h in owners],
            "task": theme.task,
            "tags": list(theme.tags),
            "license": "proprietary" if rng.random() < 0.8 else "apache-2.0",
            "primary_metric": PRIMARY,
            "aliases": Flow(champion=Quoted(plan.versions[-1])),
            "intended_use": {
                "uses": [f"{theme.purpose.capitalize()}"],
                "users": [theme.users],
                "out_of_scope": [theme.out_of_scope],
            },
            "considerations": considerations(plan),
            "links": [
                Flow(title="Design doc", url=f"https://wiki.acme.example/ml/{plan.id}"),
                Flow(title="Runbook", url=f"https://wiki.acme.example/runbooks/{plan.id}"),
            ],
            "last_reviewed": date(2026, 10, 1),
        }
    )


def model_description(plan: Plan, rng: random.Random) -> str:
    """Markdown for a model card: what it does, its data, how it ships."""
    data = " and ".join(d.name.lower() for d in plan.datasets)
    return (
        f"The {plan.theme.name.lower()} {plan.theme.purpose}.\n"
        f"It is trained on {data}, and evaluated on a held-out test split.\n\n"
        "## How it is used\n\n"
        f"Scores are served online with a p95 budget of {rng.choice((20, 50, 100))} ms.\n"
        "Downstream consumers read the `champion` alias; promotions go through review.\n\n"
        "## Data\n\n"
        "Each version pins the dataset snapshots it was trained on.\n"
        "Labels arrive with a delay, so the newest weeks are excluded from training."
    )


def considerations(plan: Plan) -> dict[str, object]:
    """The considerations block of a model card."""
    return {
        "limitations": ["Not validated outside the EU", "Degrades on cold-start entities"],
        "ethical": [
            Flow(
                name="Regional false-positive disparity",
                mitigation="Per-region thresholds reviewed quarterly",
            )
        ],
        "caveats": f"Scores of {plan.theme.name.lower()} versions are not comparable.",
    }


# --------------------------------------------------------------------------- lifecycle


def production_day(plan: Plan, k: int, rng: random.Random) -> date:
    """When version k reaches production (no later than the next release)."""
    offset = int(plan.spacing * rng.uniform(0.3, 0.6))
    return plan.released[k] + timedelta(days=offset)


def ramp_events(plan: Plan, k: int, prod: date, rng: random.Random) -> list[Flow]:
    """development -> staging (sometimes bouncing back once) -> production."""
    author, approver = rng.sample(PEOPLE, 2)
    stages = ["development", "staging"]
    if rng.random() < 0.1:
        stages += ["development", "staging"]
    span = (prod - plan.released[k]).days
    offsets = [0, *sorted(rng.randint(0, span) for _ in stages[1:])]
    events = [
        Flow(stage=s, date=plan.released[k] + timedelta(days=o), by=author)
        for s, o in zip(stages, offsets, strict=True)
    ]
    events.append(
        Flow(stage="production", date=prod, by=author, approved_by=[approver], traffic=100)
    )
    return events


def later(day: date, rng: random.Random, low: int, high: int) -> date:
    """A day ``low``..``high`` days after ``day``, never past END."""
    return min(END, day + timedelta(days=rng.randint(low, high)))


def after_events(plan: Plan, k: int, prods: list[date], rng: random.Random) -> list[Flow]:
    """What happens to version k once a later version replaced it in production."""
    if k == len(plan.versions) - 1:
        return []
    by = rng.choice(PEOPLE)
    archived = prods[k + 1]
    events = [Flow(stage="archived", date=archived, by=by)]
    if k == 0 and plan.deprecate_first:
        events.append(
            Flow(
                stage="deprecated",
                date=later(max(archived, prods[-1]), rng, 1, 30),
                by=by,
                reason="Superseded by a more accurate version",
                replaced_by=Quoted(plan.versions[-1]),
                sunset=date(2027, rng.randint(1, 12), 1),
            )
        )
    elif k == 1 and plan.retire_second:
        events.append(Flow(stage="retired", date=later(archived, rng, 30, 120), by=by))
    return events


def lifecycles(plan: Plan, rng: random.Random) -> list[list[Flow]]:
    """Every version's lifecycle: only the last version ends in production."""
    prods = [production_day(plan, k, rng) for k in range(len(plan.versions))]
    return [
        ramp_events(plan, k, prods[k], rng) + after_events(plan, k, prods, rng)
        for k in range(len(plan.versions))
    ]


# --------------------------------------------------------------------------- version cards


def auc_at(plan: Plan, k: int) -> float:
    """The primary metric of version k: never decreasing, capped below 0.999."""
    return round(min(plan.base_auc + 0.002 * k, 0.998), 4)


def metrics(
    plan: Plan, k: int, ref: str, rng: random.Random, previous: str | None = None
) -> list[Flow]:
    """auc with a confidence interval, a sliced auc, precision, recall, maybe latency; and auc
    on the snapshot the previous version was evaluated on, when that differs, so that the
    promotion gate has a reading to compare (MC045 otherwise)."""
    auc, width = auc_at(plan, k), rng.randint(2, 8) / 1000
    items = [
        Flow(
            name=PRIMARY,
            value=auc,
            dataset=ref,
            split="test",
            ci=[round(auc - width, 4), round(min(auc + width, 1.0), 4)],
        ),
        Flow(
            name=PRIMARY,
            value=round(auc - 0.03, 4),
            dataset=ref,
            split="test",
            slice="new-customers",
        ),
        *(
            [Flow(name=PRIMARY, value=auc, dataset=previous, split="test")]
            if previous is not None and previous != ref
            else []
        ),
        Flow(name="precision", value=round(rng.uniform(0.6, 0.95), 3), dataset=ref, split="test"),
        Flow(name="recall", value=round(rng.uniform(0.55, 0.9), 3), dataset=ref, split="test"),
    ]
    if rng.random() < 0.7:
        items.append(
            Flow(
                name="latency_p95_ms", value=round(rng.uniform(3, 80), 1), dataset=ref, split="test"
            )
        )
    return items


def hyperparameters(framework: str, rng: random.Random) -> Flow:
    """Scalar hyperparameters typical of the framework."""
    lr = rng.choice((0.02, 0.03, 0.05, 0.1))
    if framework == "torch":
        return Flow(
            learning_rate=rng.choice((0.00002, 0.00003, 0.00005)),
            epochs=3,
            batch_size=rng.choice((16, 32, 64)),
            warmup_ratio=0.06,
            weight_decay=0.01,
        )
    if framework == "scikit-learn":
        return Flow(C=rng.choice((0.1, 0.3, 1.0)), penalty="l2", solver="lbfgs", max_iter=1000)
    if framework == "catboost":
        return Flow(
            depth=rng.randint(4, 10),
            learning_rate=lr,
            iterations=rng.randint(4, 24) * 50,
            loss_function="Logloss",
        )
    if framework == "lightgbm":
        return Flow(
            num_leaves=rng.choice((31, 63, 127)),
            learning_rate=lr,
            n_estimators=rng.randint(4, 24) * 50,
            objective="binary",
        )
    return Flow(
        max_depth=rng.randint(4, 10),
        learning_rate=lr,
        n_estimators=rng.randint(4, 24) * 50,
        objective="binary:logistic",
    )


def training(plan: Plan, data: list[str], hardware: str, rng: random.Random) -> dict[str, object]:
    """The training block: code, data, hyperparameters, environment, seed."""
    framework = plan.theme.framework
    packages = FRAMEWORKS[framework][1]
    return {
        "code": Flow(
            repo=f"https://github.com/acme/{plan.theme.slug}", commit=Quoted(hex_digits(rng, 40))
        ),
        "data": data,
        "hyperparameters": hyperparameters(framework, rng),
        "environment": {
            "python": Quoted("3.11.7"),
            "container": f"ghcr.io/acme/train@sha256:{hex_digits(rng, 64)}",
            "hardware": hardware,
            "packages": Flow({name: Quoted(v) for name, v in packages.items()}),
        },
        "seed": rng.randint(0, 9999),
    }


def artifacts(plan: Plan, version: str, rng: random.Random) -> list[Flow]:
    """The model file, and an ONNX export for most versions."""
    filename, fmt = FRAMEWORKS[plan.theme.framework][2]
    base = f"s3://acme-models/{plan.id}/{version}"
    items = [
        Flow(
            uri=f"{base}/{filename}",
            sha256=hex_digits(rng, 64),
            format=fmt,
            size_bytes=rng.randint(2_000_000, 900_000_000),
        )
    ]
    if rng.random() < 0.6:
        items.append(
            Flow(
                uri=f"{base}/model.onnx",
                sha256=hex_digits(rng, 64),
                format="onnx",
                size_bytes=rng.randint(2_000_000, 900_000_000),
            )
        )
    return items


def lineage(plan: Plan, k: int) -> list[Flow]:
    """retrained from the previous version; first versions may come from another model."""
    if k > 0:
        return [Flow(model=f"{plan.id}@{plan.versions[k - 1]}", relation="retrained")]
    if plan.parent:
        relation = "distilled" if plan.index % 20 == 19 else "fine-tuned"
        return [Flow(model=plan.parent, relation=relation)]
    return []


def monitoring(plan: Plan, prod: date, rng: random.Random) -> dict[str, object]:
    """A dashboard and a few observations after the promotion."""
    auc = auc_at(plan, len(plan.versions) - 1)
    days = sorted(rng.sample(range(7, 90), 3))
    observations = [
        Flow(
            date=later(prod, rng, d, d), metric=PRIMARY, value=round(auc - rng.uniform(0, 0.01), 4)
        )
        for d in days[:2]
    ]
    psi = round(rng.uniform(0.05, 0.2) if rng.random() < 0.9 else rng.uniform(0.26, 0.4), 3)
    observations.append(
        Flow(date=later(prod, rng, days[2], days[2]), metric="psi", value=psi, threshold=0.25)
    )
    return {"dashboard": f"https://grafana.acme.example/d/{plan.id}", "observations": observations}


def card_body(
    plan: Plan, k: int, hardware: str, events: list[Flow], rng: random.Random
) -> dict[str, object]:
    """Everything in a version card after its description."""
    framework = plan.theme.framework
    data = [d.ref_at(plan.released[k]) for d in plan.datasets]
    previous = plan.datasets[0].ref_at(plan.released[k - 1]) if k else None
    body: dict[str, object] = {
        "artifacts": artifacts(plan, plan.versions[k], rng),
        "framework": Flow(name=framework, version=Quoted(FRAMEWORKS[framework][0])),
        "training": training(plan, data, hardware, rng),
        "metrics": metrics(plan, k, data[0], rng, previous),
        "lineage": lineage(plan, k),
        "lifecycle": events,
    }
    if not body["lineage"]:
        del body["lineage"]
    promoted = events[-1]["date"]
    if k == len(plan.versions) - 1 and isinstance(promoted, date):
        body["monitoring"] = monitoring(plan, promoted, rng)
    return body


def sentences(
    plan: Plan, k: int, hardware: str, rng: random.Random, pool: tuple[str, ...]
) -> Iterator[str]:
    """An endless stream of filled-in sentences from ``pool``, each used once per round."""
    data = plan.datasets[0]
    while True:
        for template in rng.sample(pool, len(pool)):
            yield template.format(
                snapshot=data.ref_at(plan.released[k]).split("@")[1],
                data=data.name.lower(),
                n=rng.randint(2, 60),
                hardware=hardware,
                person=rng.choice(PEOPLE),
            )


def block_cost(line: str) -> int:
    """Bytes a line adds to a ``description: |`` block (indent and newline)."""
    return len(line) + 3 if line else 1


def description(plan: Plan, k: int, hardware: str, budget: int, rng: random.Random) -> Block:
    """Markdown whose rendered block (``description: |`` included) fits ``budget`` bytes."""
    changes = sentences(plan, k, hardware, rng, CHANGES)
    notes = sentences(plan, k, hardware, rng, NOTES)
    lines = [
        "## What changed",
        "",
        *(f"- {next(changes)}" for _ in range(3)),
        "",
        "## Evaluation",
        "",
    ]
    size = len("description: |\n") + sum(block_cost(line) for line in lines)
    for count in range(10_000):
        new = ["", next(notes)] if count and count % 3 == 0 else [next(notes)]
        cost = sum(block_cost(line) for line in new)
        if size + cost > budget:
            break
        lines += new
        size += cost
    return Block("\n".join(lines))


def summary(plan: Plan, k: int, rng: random.Random) -> str:
    """One line saying what the version is."""
    ref = plan.datasets[0].ref_at(plan.released[k])
    if k == 0:
        return f"First release of the {plan.theme.name.lower()}, trained on {ref}."
    return f"Retrained on {ref}; {rng.choice(SUMMARIES)}."


def version_card(
    plan: Plan, k: int, events: list[Flow], rng: random.Random, warning: bool = False
) -> str:
    """The text of models/<model>/<version>.yaml, between 2 and 3 KB. With `warning`, it also
    reports a metric that catalog.yaml does not declare (the card is otherwise the same)."""
    head = render(
        {
            "version": Quoted(plan.versions[k]),
            "released": plan.released[k],
            "summary": summary(plan, k, rng),
        }
    )
    gpu = plan.theme.framework == "torch"
    hardware = rng.choice(GPU_HARDWARE if gpu else CPU_HARDWARE)
    body = card_body(plan, k, hardware, events, rng)
    tail = render(body)
    budget = rng.randint(2400, 2950) - len(head) - len(tail)
    if warning:
        metrics = typing.cast(list[Flow], body["metrics"])
        metrics.append(Flow(UNDECLARED_METRIC, dataset=metrics[0]["dataset"], split="test"))
        tail = render(body)
    text = head + render({"description": description(plan, k, hardware, budget, rng)}) + tail
    size = len(text.encode("utf-8"))
    if not CARD_MIN_BYTES <= size <= CARD_MAX_BYTES:
        raise RuntimeError(f"{plan.id}@{plan.versions[k]}: card is {size} bytes")
    return text


# --------------------------------------------------------------------------- catalog


def catalog_card() -> str:
    """The text of catalog.yaml: metric vocabulary and policy."""
    return render(
        {
            "title": "ACME model catalog (synthetic benchmark)",
            "description": "Generated by `benchmarks/generate_catalog.py`.",
            "metrics": {
                "auc": Flow(goal="maximize", label="ROC AUC"),
                "precision": Flow(goal="maximize", label="Precision"),
                "recall": Flow(goal="maximize", label="Recall"),
                "latency_p95_ms": Flow(goal="minimize", label="p95 latency", unit="ms"),
                "psi": Flow(goal="minimize", label="Population stability index"),
            },
            "policy": {
                "require": {
                    "production": [
                        "artifacts.sha256",
                        "training.code.commit",
                        "training.data",
                        "metrics",
                        "approved_by",
                    ]
                },
                "review_interval_days": 365,
                "gates": [Flow(metric="primary", max_regression=0.01)],
            },
        }
    )


def write(path: Path, text: str) -> int:
    """Write UTF-8 text with LF endings; return the byte count."""
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def prepare(out_dir: Path, overwrite: bool) -> None:
    """Create ``out_dir``; refuse to mix with an earlier catalog unless ``overwrite``."""
    parts = [out_dir / "catalog.yaml", out_dir / "models", out_dir / "datasets"]
    if any(p.exists() for p in parts):
        if not overwrite:
            raise FileExistsError(f"{out_dir} already holds a catalog (use --force)")
        for part in parts:
            if part.is_dir():
                shutil.rmtree(part)
            elif part.exists():
                part.unlink()
    (out_dir / "models").mkdir(parents=True)
    (out_dir / "datasets").mkdir()


def write_models(
    out_dir: Path,
    models: int,
    versions: int,
    data: list[Dataset],
    seed: int,
    warnings: bool,
    fan_out: int = 0,
) -> tuple[int, int]:
    """Write every model folder; return (files, bytes)."""
    width, files, total = max(4, len(str(models))), 0, 0
    for index in range(models):
        plan = make_plan(index, width, versions, data, seed, fan_out)
        rng = random.Random(f"{seed}/cards/{index}")
        folder = out_dir / "models" / plan.id
        folder.mkdir()
        total += write(folder / "model.yaml", model_card(plan, rng))
        for k, events in enumerate(lifecycles(plan, rng)):
            text = version_card(plan, k, events, rng, warnings)
            total += write(folder / f"{plan.versions[k]}.yaml", text)
        files += 1 + versions
    return files, total


def write_catalog(
    out_dir: Path,
    models: int,
    versions: int,
    datasets: int,
    seed: int,
    overwrite: bool = False,
    warnings: bool = False,
    fan_out: int = 0,
) -> tuple[int, int]:
    """Generate the catalog and return (files written, bytes written)."""
    if min(models, versions, datasets) < 1:
        raise ValueError("models, versions and datasets must all be at least 1")
    prepare(out_dir, overwrite)
    width = max(4, len(str(datasets)))
    data: list[Dataset] = []
    total = write(out_dir / "catalog.yaml", catalog_card())
    for index in range(datasets):
        dataset, text = make_dataset(index, width, seed)
        data.append(dataset)
        total += write(out_dir / "datasets" / f"{dataset.id}.yaml", text)
    files, size = write_models(out_dir, models, versions, data, seed, warnings, fan_out)
    return 1 + datasets + files, total + size


def generate(
    out_dir: Path,
    models: int,
    versions: int,
    datasets: int,
    seed: int = 0,
    *,
    overwrite: bool = False,
    warnings: bool = False,
    fan_out: int = 0,
) -> None:
    """Write a synthetic catalog into ``out_dir`` (see the module docstring)."""
    write_catalog(out_dir, models, versions, datasets, seed, overwrite, warnings, fan_out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10, help="versions per model")
    parser.add_argument("--datasets", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--fan-out",
        type=int,
        default=0,
        help="models fine-tuned from the first model's latest version",
    )
    parser.add_argument("--force", action="store_true", help="replace a catalog already in OUT_DIR")
    parser.add_argument(
        "--warnings",
        action="store_true",
        help=f"every version card also reports {UNDECLARED_METRIC['name']}, a metric catalog.yaml "
        "does not declare: one warning (MC050) per version card",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point: generate, then print what was written."""
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        files, size = write_catalog(
            args.out_dir,
            args.models,
            args.versions,
            args.datasets,
            args.seed,
            args.force,
            args.warnings,
            args.fan_out,
        )
    except (FileExistsError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"wrote {files} files, {size:,} bytes, to {args.out_dir} in {elapsed:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
