"""Django-style queries over the registries: QuerySet, lookups, Q, search, DataFrames."""
