"""Curation: feature dtypes, feature values, schemas, validation, curators and reports.

This package sits beside records/ and query/, below the registry classes: it never imports
`lamin_kernel.models`; it reaches registries by name (`records.registry.registry_class`).
For `cat[bionty.X]` dtypes it imports `lamin_kernel.bionty` through importlib when such a
dtype is used (a plugin, like `Curator.form()` handing off to `lamin_kernel.jupyter`).
"""
