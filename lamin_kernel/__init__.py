"""lamin_kernel: a LaminDB-compatible data registry and lineage system.

`import lamin_kernel as ln` is cheap: the registries, pandas and the database load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from . import errors
from .setup import long_lived as _long_lived
from .setup import services as _setup_services

__version__ = "0.1.0"

# public name -> (module, attribute); loaded on first access
_LAZY: dict[str, tuple[str, str | None]] = {
    "Artifact": ("lamin_kernel.models", "Artifact"),
    "Transform": ("lamin_kernel.models", "Transform"),
    "Run": ("lamin_kernel.models", "Run"),
    "Storage": ("lamin_kernel.models", "Storage"),
    "User": ("lamin_kernel.models", "User"),
    "Branch": ("lamin_kernel.models", "Branch"),
    "Space": ("lamin_kernel.models", "Space"),
    "ULabel": ("lamin_kernel.models", "ULabel"),
    "Record": ("lamin_kernel.models", "Record"),
    "Project": ("lamin_kernel.models", "Project"),
    "Reference": ("lamin_kernel.models", "Reference"),
    "Feature": ("lamin_kernel.models", "Feature"),
    "Schema": ("lamin_kernel.models", "Schema"),
    "JsonValue": ("lamin_kernel.models", "JsonValue"),
    "Collection": ("lamin_kernel.models", "Collection"),
    "SQLRecord": ("lamin_kernel.models", "SQLRecord"),
    "models": ("lamin_kernel.models", None),
    "Q": ("lamin_kernel.query.q", "Q"),
    "QuerySet": ("lamin_kernel.query.queryset", "QuerySet"),
    "save": ("lamin_kernel.api", "save"),
    "view": ("lamin_kernel.api", "view"),
    "connect": ("lamin_kernel.api", "connect"),
    "DB": ("lamin_kernel.instance_db", "DB"),
    "settings": ("lamin_kernel.api", "settings"),
    "UPath": ("lamin_kernel.storage.paths", "upath"),
    "examples": ("lamin_kernel.examples", None),
    "integrations": ("lamin_kernel.integrations", None),
    "logger": ("lamin_kernel.log", "logger"),
    "curators": ("lamin_kernel.curation.public_curators", None),
    "track": ("lamin_kernel.tracking.tracker", "track"),
    "finish": ("lamin_kernel.tracking.finisher", "finish"),
    "flow": ("lamin_kernel.tracking.flows", "flow"),
    "step": ("lamin_kernel.tracking.flows", "step"),
    "tracked": ("lamin_kernel.tracking.flows", "step"),  # LaminDB's older name of step()
    "context": ("lamin_kernel.tracking.current", "context"),
    "setup": ("lamin_kernel.setup", None),
    "UNSET": ("lamin_kernel.types", "UNSET"),
    "Unset": ("lamin_kernel.types", "Unset"),
}

__all__ = ["errors", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'lamin_kernel' has no attribute '{name}'") from None
    with _long_lived.gc_paused():  # the first access defines the registries: ~10^5 objects
        module = import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def _branch_operations() -> Any:
    return import_module("lamin_kernel.branches.service").operations


def _bionty_sources() -> Any:
    return import_module("lamin_kernel.bionty.core").sync_public_sources


def _storage_path(root: str) -> Any:
    return import_module("lamin_kernel.storage.paths").upath(root)


def _load_registries() -> None:
    import_module("lamin_kernel.models")


def _bionty_registry_finder() -> Any:
    return import_module("lamin_kernel.bionty").registry_by_name


def _storage_record(root: str) -> Any:
    return import_module("lamin_kernel.models").Storage.get(root=root)


def _curation_form() -> Any:
    return import_module("lamin_kernel.jupyter.curation_form").CurationForm


# the low layers reach branches, storage paths and records, the lazily loaded registries, bionty's
# registries and the Jupyter curation form through these registrations
_setup_services.register_branch_service(_branch_operations)
_setup_services.register_path_factory(_storage_path)
_setup_services.register_storage_record_finder(_storage_record)
_setup_services.register_module_setup("bionty", _bionty_sources)
_setup_services.register_registries_loader(_load_registries)
_setup_services.register_module_registries("bionty", _bionty_registry_finder)
_setup_services.register_curation_form(_curation_form)


def load_ipython_extension(ipython: Any) -> None:  # %load_ext lamin_kernel: the %lamin magics
    import_module("lamin_kernel.jupyter.extension").load_ipython_extension(ipython)


def __dir__() -> list[str]:
    return sorted(__all__)
