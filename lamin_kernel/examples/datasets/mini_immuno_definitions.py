"""Features, labels and a schema that validate the mini immuno datasets.

    define_features_labels()               the labels and the features of the columns
    define_mini_immuno_schema_flexible()   a schema "mini_immuno": three required features,
                                           other columns validated if they are features of
                                           the feature type "ImmunoSamples"

Both can run again: what exists is found, not duplicated.
"""

from __future__ import annotations

from typing import Any

from ... import bionty as bt
from ...models import Feature, Record, Schema

SAMPLE_FEATURES = "ImmunoSamples"
PERTURBATIONS = "Perturbations"


def define_features_labels() -> None:
    """Perturbations as records of a type, cell types from the ontology, and a feature for
    each metadata column of the datasets, grouped under the feature type ImmunoSamples."""
    perturbations = Record(name=PERTURBATIONS, is_type=True).save()
    for name in ("DMSO", "IFNG"):
        Record(name=name, type=perturbations).save()
    for name in ("B cell", "T cell"):
        bt.CellType.from_source(name=name).save()
    samples = Feature(name=SAMPLE_FEATURES, is_type=True).save()
    columns: dict[str, Any] = {
        "perturbation": perturbations,
        "cell_type_by_expert": bt.CellType,
        "cell_type_by_model": bt.CellType,
        "assay_oid": bt.ExperimentalFactor.ontology_id,
        "concentration": str,
        "donor": str,
        "donor_ethnicity": list[bt.Ethnicity],
    }
    for name, dtype in columns.items():
        Feature(name=name, dtype=dtype, type=samples).save()
    Feature(name="treatment_time_h", dtype="num", coerce=True, type=samples).save()


def define_mini_immuno_schema_flexible() -> Schema:
    """The schema "mini_immuno" (after define_features_labels())."""
    define_features_labels()
    samples = Feature.get(name=SAMPLE_FEATURES, is_type=True)
    required = [
        Feature.get(name=name, type=samples)
        for name in ("perturbation", "cell_type_by_model", "assay_oid")
    ]
    return Schema(name="mini_immuno", features=required, itype=samples, flexible=True).save()
