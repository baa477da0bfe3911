"""Small example datasets (ln.examples.datasets.mini_immuno)."""

from . import datasets

__all__ = ["datasets"]
