"""The Hub's own library (huggingface_hub) reading the READMEs we write and import."""

from __future__ import annotations

import huggingface_hub
from huggingface_hub import ModelCardData


class ModelCard(huggingface_hub.ModelCard):
    """huggingface_hub's ModelCard, whose `data` its type hints call a CardData although a
    model card's is always a ModelCardData (its `card_data_class`): typed as it is, so the
    tests' reads of license, base_model, eval_results... are checked."""

    data: ModelCardData
