"""What metric names mean: which direction is better, and how to show them."""

from __future__ import annotations

from .cards import CatalogSettings, MetricInfo

_MAX, _MIN = "maximize", "minimize"

BUILTIN_METRICS: dict[str, MetricInfo] = {
    name: MetricInfo(goal=goal, label=label, unit=unit)  # type: ignore[arg-type]
    for name, goal, label, unit in (
        ("accuracy", _MAX, "Accuracy", None),
        ("balanced_accuracy", _MAX, "Balanced accuracy", None),
        ("auc", _MAX, "ROC AUC", None),
        ("roc_auc", _MAX, "ROC AUC", None),
        ("pr_auc", _MAX, "PR AUC", None),
        ("f1", _MAX, "F1", None),
        ("precision", _MAX, "Precision", None),
        ("recall", _MAX, "Recall", None),
        ("map", _MAX, "Mean average precision", None),
        ("mrr", _MAX, "Mean reciprocal rank", None),
        ("ndcg", _MAX, "NDCG", None),
        ("ndcg_at_10", _MAX, "NDCG@10", None),
        ("recall_at_k", _MAX, "Recall@k", None),
        ("bleu", _MAX, "BLEU", None),
        ("rouge_l", _MAX, "ROUGE-L", None),
        ("exact_match", _MAX, "Exact match", None),
        ("r2", _MAX, "R²", None),
        ("wer", _MIN, "Word error rate", "%"),
        ("cer", _MIN, "Character error rate", "%"),
        ("mae", _MIN, "Mean absolute error", None),
        ("mse", _MIN, "Mean squared error", None),
        ("rmse", _MIN, "Root mean squared error", None),
        ("mape", _MIN, "Mean absolute percentage error", "%"),
        ("log_loss", _MIN, "Log loss", None),
        ("loss", _MIN, "Loss", None),
        ("perplexity", _MIN, "Perplexity", None),
        ("latency_p50_ms", _MIN, "Latency p50", "ms"),
        ("latency_p95_ms", _MIN, "Latency p95", "ms"),
        ("latency_p99_ms", _MIN, "Latency p99", "ms"),
        ("psi", _MIN, "Population stability index", None),
        ("ks", _MIN, "Kolmogorov-Smirnov drift", None),
        ("false_positive_rate", _MIN, "False positive rate", None),
    )
}


def known_metrics(settings: CatalogSettings) -> dict[str, MetricInfo]:
    """Built-in metric meanings, overridden and extended by catalog.yaml."""
    return {**BUILTIN_METRICS, **settings.metrics}


def is_worse(goal: str, new: float, old: float) -> bool:
    return new < old if goal == _MAX else new > old


def regression(goal: str, new: float, old: float) -> float:
    """How much worse `new` is than `old` (negative when it is better)."""
    return old - new if goal == _MAX else new - old


def crosses(goal: str, value: float, threshold: float) -> bool:
    """A monitoring threshold marks drift when crossed in the metric's bad direction."""
    return value < threshold if goal == _MAX else value > threshold
