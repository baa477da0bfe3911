"""Generic record behaviour: construct, save, delete, versions, describe, artifacts' bytes."""
