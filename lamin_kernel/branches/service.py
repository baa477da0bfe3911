"""The branch operations `ln.setup` exposes (`switch`, `merge`, `settings.branch`).

`lamin_kernel/__init__.py` registers this object with `setup.services`, so `ln.setup` (a
lower layer) reaches it without importing upwards.
"""

from __future__ import annotations

from typing import Any

from ..models import Branch, Space
from . import merging, spaces, switching


class BranchOperations:
    """`setup.services.BranchService`, implemented on the Branch registry."""

    def current_branch(self) -> Branch:
        return switching.current_branch()

    def switch(self, target: Any, *, create: bool = False) -> Branch:
        return switching.switch(target, create=create)

    def merge(self, branch: Any, *, target: Any = None) -> merging.MergeReport | None:
        return merging.merge(branch, target=target)

    def current_space(self) -> Space:
        return spaces.current_space()

    def switch_space(self, target: Any) -> Space:
        return spaces.switch_space(target)


operations = BranchOperations()
