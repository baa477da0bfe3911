"""Validate a dataset against a schema: every slot, without a Python loop per row.

A DataFrame is validated against the schema itself (slot 'columns') and, for a composite
schema, against the slots it names ('attrs'...). AnnData, MuData and SpatialData objects are
validated slot by slot (`slots.slot_data` says what each slot points at).
"""

from __future__ import annotations

from typing import Any

from .. import log
from ..errors import InvalidArgument, ValidationError
from ..records.registered import registered
from . import reports
from .checks import FeatureCheck, SlotCheck, ValidationResult
from .schema import slots_of
from .slots import SlotData, dict_frame, slot_data
from .validate_cat import Context, validate_identifiers
from .validate_frame import validate_frame

COMPOSITE_OTYPES = ("AnnData", "MuData", "SpatialData", "tiledbsoma")


def curator_name(otype: str) -> str:
    return {"tiledbsoma": "TiledbsomaExperimentCurator"}.get(otype, f"{otype}Curator")


def check_schema(schema: Any, otype: str) -> dict[str, Any]:
    """The schema is a saved Schema that fits the object's type; returns its slots."""
    if not isinstance(schema, registered.Schema):
        raise InvalidArgument(
            f"schema argument must be a Schema record. Got {type(schema).__name__}."
        )
    if schema.id is None:
        raise InvalidArgument(
            "Schema must be saved before curation. Please save it using '.save()'."
        )
    slots = slots_of(schema)
    if otype == "DataFrame" and schema.otype in COMPOSITE_OTYPES:
        raise InvalidArgument(
            f"this schema is for an {schema.otype} (slots: {', '.join(slots) or 'none'}); use "
            f"ln.curators.{curator_name(schema.otype)}, or a schema for a DataFrame"
        )
    if otype in COMPOSITE_OTYPES and not slots:
        raise InvalidArgument(
            f"Schema otype must be '{otype}': a {otype} needs a composite schema, e.g. "
            "ln.Schema(otype='AnnData', slots={'obs': obs_schema, 'var.T': var_schema})"
        )
    return slots


def slot_targets(obj: Any, otype: str, schema: Any) -> dict[str, SlotData]:
    """slot -> what it validates in obj; InvalidArgument for slots the object cannot have."""
    slots = check_schema(schema, otype)
    name = curator_name(otype)
    return {slot: slot_data(obj, otype, slot, name) for slot in slots}


def _validate_slot(data: SlotData, component: Any, context: Context) -> SlotCheck:
    var_features = data.legacy_var and (component.itype or "Feature") == "Feature"
    if data.kind == "frame" or var_features:
        frame = data.frame if var_features else data.data
        return validate_frame(frame, component, data.slot, context)
    if data.kind == "identifiers":
        return validate_identifiers(
            data.data, data.matrix, component, data.slot, context, legacy=data.legacy_var
        )
    values = data.data if isinstance(data.data, dict) else {}
    if not isinstance(data.data, dict):
        result = SlotCheck(data.slot, component)
        result.checks.append(
            FeatureCheck(data.slot, "dtype_mismatch", message=f"slot '{data.slot}' is not a dict")
        )
        return result
    result = validate_frame(dict_frame(values), component, data.slot, context)
    result.values = values
    return result


def validate_object(obj: Any, otype: str, schema: Any, owner: str = "curator") -> ValidationResult:
    """Check obj against schema; nothing is printed, stored or raised for invalid data."""
    result = ValidationResult(schema, otype)
    targets = slot_targets(obj, otype, schema)
    if otype == "DataFrame":
        main = validate_frame(obj, schema, "columns", Context(f"{owner}.cat", None))
        result.slots.append(main)
    for slot, data in targets.items():
        context = Context(f"{owner}.slots['{slot}'].cat", slot)
        result.slots.append(_validate_slot(data, slots_of(schema)[slot], context))
    return result


def run_validation(obj: Any, otype: str, schema: Any, owner: str = "curator") -> ValidationResult:
    """Validate, print what did not validate, store the report; ValidationError on failure."""
    result = validate_object(obj, otype, schema, owner)
    for slot in result.slots:
        for check in slot.checks:
            if check.status == "not_validated" and check.non_validated and check.message:
                log.warning(check.message)
    result.report = reports.store(result)
    if not result.passed:
        error = ValidationError(result.error_message())
        error.result = result  # type: ignore[attr-defined]
        error.report = result.report  # type: ignore[attr-defined]
        raise error
    return result
