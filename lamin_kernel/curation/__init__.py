"""Curation: feature dtypes, feature values, schemas, validation, curators and reports.

This package sits beside records/ and query/, below the registry classes: it never imports
`lamin_kernel.models`; it reaches the registry classes through the typed slots `models`
fills (`records.registered`). For `cat[bionty.X]` dtypes it asks the finder bionty registers
(`setup.services.module_registry_finder`) when such a dtype is used, as `Curator.form()` asks
for the Jupyter form (`setup.services.curation_form_factory`).
"""
