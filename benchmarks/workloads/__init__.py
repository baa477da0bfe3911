"""Workload families, one module each, run against either implementation by ``--impl``."""
