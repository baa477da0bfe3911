"""HierarchyView lives in records/hierarchy_view.py (Record, ULabel and Project use it too)."""

from ..records.hierarchy_view import HierarchyView

__all__ = ["HierarchyView"]
