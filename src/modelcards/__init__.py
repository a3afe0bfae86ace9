"""modelcards: a git repository as a model registry."""

__version__ = "0.2.0"
