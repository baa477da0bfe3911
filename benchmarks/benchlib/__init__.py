"""The orchestrator's helpers: venvs, sandboxes, child processes, the metric table, the report."""
