"""Branches' projects, labels and users; projects' blocks, references, predecessors.

LaminDB 2.12's `branch.projects` / `project.branches`, `branch.ulabels` / `ulabel.branches`,
`branch.users` / `user.branches` (reviewers, for example), `project.blocks` /
`block.projects`, `project.references` / `reference.projects`, and the projects that come
before and after a project (`project.predecessors` / `project.successors`). Many-to-many
managers and filters like the other label links (`project_links.py`); migration 0017_links
creates the tables.
"""

from __future__ import annotations

from .project_links import _link_class as link_class

BranchProject = link_class(
    "BranchProject", "lk_branch_project", ("branch_id", "lk_branch"), ("project_id", "lk_project")
)
BranchULabel = link_class(
    "BranchULabel", "lk_branch_ulabel", ("branch_id", "lk_branch"), ("ulabel_id", "lk_ulabel")
)
BranchUser = link_class(
    "BranchUser", "lk_branch_user", ("branch_id", "lk_branch"), ("user_id", "lk_user")
)
BlockProject = link_class(
    "BlockProject", "lk_block_project", ("block_id", "lk_block"), ("project_id", "lk_project")
)
ProjectReference = link_class(
    "ProjectReference",
    "lk_project_reference",
    ("project_id", "lk_project"),
    ("reference_id", "lk_reference"),
)
ProjectProject = link_class(
    "ProjectProject",
    "lk_project_project",
    ("successor_id", "lk_project"),
    ("predecessor_id", "lk_project"),
)

# (owner, relation, link class, owner column, target, target column, reverse relation)
BRANCH_LINKS: tuple[tuple[str, str, type, str, str, str, str], ...] = (
    ("Branch", "projects", BranchProject, "branch_id", "Project", "project_id", "branches"),
    ("Branch", "ulabels", BranchULabel, "branch_id", "ULabel", "ulabel_id", "branches"),
    ("Branch", "users", BranchUser, "branch_id", "User", "user_id", "branches"),
    ("Project", "blocks", BlockProject, "project_id", "Block", "block_id", "projects"),
    ("Project", "references", ProjectReference, "project_id", "Reference", "reference_id")
    + ("projects",),
    ("Project", "predecessors", ProjectProject, "successor_id", "Project", "predecessor_id")
    + ("successors",),
)
