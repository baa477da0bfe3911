"""Contribution branches: switch, merge, list, delete; the current branch of this user.

Records made while on a branch carry its id; queries see the current branch and main.
The current branch is a setting of the user per instance (`lamin switch NAME`).
"""

from .merging import MergeReport, merge
from .switching import (
    create_branch,
    current_branch,
    delete_branch,
    get_branch,
    list_branches,
    record_counts,
    resolve_branch,
    switch,
)

__all__ = [
    "MergeReport",
    "create_branch",
    "current_branch",
    "delete_branch",
    "get_branch",
    "list_branches",
    "merge",
    "record_counts",
    "resolve_branch",
    "switch",
]
