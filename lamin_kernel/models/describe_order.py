"""The relational fields of a registry's class-level `describe()`, in LaminDB 2.12's
declaration order (its layout lists them as Django declares them).

name -> the registry to print, or None to take it from the relationship of that name.
Names that do not exist in an instance (the bionty relations without the bionty module) are
left out; relations of a module that are not listed follow in their own order.
"""

from __future__ import annotations

BIONTY_RELATIONS: dict[str, str | None] = {
    name: None
    for name in (
        "organisms",
        "genes",
        "proteins",
        "cell_markers",
        "tissues",
        "cell_types",
        "diseases",
        "cell_lines",
        "phenotypes",
        "pathways",
        "experimental_factors",
        "developmental_stages",
        "ethnicities",
    )
}

ARTIFACT_DESCRIBE_RELATIONS: dict[str, str | None] = {
    "branch": None,
    "created_on": None,
    "space": None,
    "storage": None,
    "run": None,
    "schema": None,
    "created_by": None,
    "input_of_runs": None,
    "recreating_runs": "Run",
    "schemas": "Schema",  # the relationship `feature_sets`
    "json_values": None,
    "artifacts": None,
    "linked_in_records": None,
    "users": None,
    "runs": None,
    "linked_by_runs": None,
    "ulabels": None,
    "linked_by_artifacts": None,
    "collections": None,
    "records": None,
    "references": None,
    "projects": None,
    "ablocks": None,
    **BIONTY_RELATIONS,
}

FEATURE_DESCRIBE_RELATIONS: dict[str, str | None] = {
    "branch": None,
    "created_on": None,
    "space": None,
    "created_by": None,
    "run": None,
    "type": None,
    "schemas": None,
    "features": "Feature",  # the features of a feature type
    "values": "JsonValue",  # the JSON values of the feature
    "projects": None,
    "ablocks": None,
}
