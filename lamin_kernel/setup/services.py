"""What `ln.setup` and the layers just above it need from higher layers, as typed
registration points.

`ln.setup.switch()`, `ln.setup.merge()` and `ln.setup.settings.branch` work on Branch records,
which `branches/` (above this layer) owns. Instead of importing upwards, this module declares
the operations as a Protocol; `lamin_kernel/__init__.py`, the package's top, registers a
loader for the implementation when the package is imported, so the implementation itself is
only imported on first use. `storage_paths` turns a storage root into a UPath the same way
artifact paths are made (with `view_tree()`). A module registers how it fills its default rows
(bionty: the Source rows of the installed public ontologies) when an instance gets it.

The registries (`models/`) load lazily, so that `import lamin_kernel` stays cheap; reading a
registry class's slot in `records.registered` before they loaded asks `load_registries()`,
a module's registries are found through `module_registry_finder("bionty")`, and a curator's
form through `curation_form_factory()`; the package's top registers all three.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..errors import InstanceNotSetupError


class BranchService(Protocol):
    """Branch operations `ln.setup` exposes, as LaminDB's `lamindb_setup` has them."""

    def current_branch(self) -> Any:
        """The Branch record this user works on in the connected instance."""

    def switch(self, target: Any, *, create: bool = False) -> Any:
        """Work on branch `target` (a name, uid or Branch) from now on."""

    def merge(self, branch: Any, *, target: Any = None) -> Any:
        """Move the records of `branch` to `target` (default: the current branch)."""

    def current_space(self) -> Any:
        """The Space record new records go to."""

    def switch_space(self, target: Any) -> Any:
        """New records go to space `target` (a name, uid or Space) from now on."""


# module name -> loader of the function that fills a module's default rows (bionty: Source)
ModuleSetup = Callable[[], Callable[[], Any]]
_module_setups: dict[str, ModuleSetup] = {}
_branch_service_loader: Callable[[], BranchService] | None = None
_path_factory: Callable[[str], Any] | None = None
_storage_record_finder: Callable[[str], Any] | None = None
# module name -> loader of the module's registry finder (registry class name -> class)
RegistryFinder = Callable[[str], type]
_registry_finders: dict[str, Callable[[], RegistryFinder]] = {}
_registries_loader: Callable[[], None] | None = None
_curation_form_factory: Callable[[], Callable[[Any], Any]] | None = None


def register_branch_service(loader: Callable[[], BranchService]) -> None:
    """Register how to get the branch operations (called once by the package's top)."""
    global _branch_service_loader
    _branch_service_loader = loader


def branch_service() -> BranchService:
    if _branch_service_loader is None:
        raise InstanceNotSetupError(
            "branch operations are not available: import lamin_kernel to register them"
        )
    return _branch_service_loader()


def register_storage_record_finder(finder: Callable[[str], Any]) -> None:
    """Register how a storage root becomes its Storage record (registries are above setup)."""
    global _storage_record_finder
    _storage_record_finder = finder


def storage_record(root: str) -> Any:
    """The Storage record of `root` in the connected instance."""
    if _storage_record_finder is None:
        raise InstanceNotSetupError(
            "storage records are not available: import lamin_kernel to register them"
        )
    return _storage_record_finder(root)


def register_path_factory(factory: Callable[[str], Any]) -> None:
    """Register the function that turns a root or key into a path object."""
    global _path_factory
    _path_factory = factory


def as_path(root: str) -> Any:
    """A UPath for a storage root (a plain UPath if nothing was registered)."""
    if _path_factory is not None:
        return _path_factory(root)
    from upath import UPath

    return UPath(root)


def register_module_setup(module: str, loader: ModuleSetup) -> None:
    """Register how a module fills its default rows in a new instance (or when it is added)."""
    _module_setups[module] = loader


def set_up_modules(modules: list[str]) -> None:
    """Fill the default rows of these modules in the connected instance (idempotent)."""
    for module in modules:
        loader = _module_setups.get(module)
        if loader is not None:
            loader()()


def register_registries_loader(loader: Callable[[], None]) -> None:
    """Register how to load the core registries (the package's top imports `models`)."""
    global _registries_loader
    _registries_loader = loader


def load_registries() -> None:
    """Have the core registries loaded (a front end may need one before the user named any)."""
    if _registries_loader is None:
        raise InstanceNotSetupError("the registries are not available: import lamin_kernel")
    _registries_loader()


def register_module_registries(module: str, loader: Callable[[], RegistryFinder]) -> None:
    """Register how to load a module's registries and find one of them by class name."""
    _registry_finders[module] = loader


def module_registry_finder(module: str) -> RegistryFinder | None:
    """The finder of `module`'s registries (loading the module), or None if none registered."""
    loader = _registry_finders.get(module)
    return None if loader is None else loader()


def register_curation_form(factory: Callable[[], Callable[[Any], Any]]) -> None:
    """Register how to build a curator's interactive form (the Jupyter layer has it)."""
    global _curation_form_factory
    _curation_form_factory = factory


def curation_form_factory() -> Callable[[Any], Any]:
    if _curation_form_factory is None:
        raise InstanceNotSetupError("curation forms are not available: import lamin_kernel")
    return _curation_form_factory()
