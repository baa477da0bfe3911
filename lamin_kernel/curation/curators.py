"""Curators: validate a dataset against a schema, fix it, save it.

curator = ln.curators.DataFrameCurator(df, schema)
curator.validate()                      # ValidationError with LaminDB's message
curator.cat.non_validated               # {'perturbation': ['IFNJ']}
curator.cat.standardize("perturbation") # synonyms -> canonical names, in the data
curator.cat.add_new_from("perturbation")# save the remaining terms as new labels
artifact = curator.save_artifact(key="my_datasets/rnaseq1.parquet")

A dataset can also be a saved Artifact: it is loaded, validated and annotated in place.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from .. import log
from ..errors import InvalidArgument, ValidationError
from ..records import artifact_objects
from ..records.persist import save_records
from ..records.registered import registered
from ..setup import services
from ..storage import formats
from . import annotate, edits
from .cat_lookup import CatLookup, categorical_registries
from .checks import ValidationResult
from .schema import members_of, slots_of
from .validate import check_schema, run_validation, slot_targets, validate_object

OPTIONAL_PACKAGES = {"MuData": "mudata", "SpatialData": "spatialdata", "tiledbsoma": "tiledbsoma"}


class CatManager:
    """Categorical terms of a curator (of one slot, or of all slots)."""

    def __init__(self, curator: Curator, slot: str | None = None) -> None:
        self._curator = curator
        self._slot = slot

    def _result(self) -> ValidationResult:
        result = self._curator._result
        if result is None:
            raise ValidationError("Please run validate() first!")
        return result

    def _checks(self) -> list[tuple[Any, Any]]:
        return [
            (slot, check)
            for slot in self._result().slots
            if self._slot is None or slot.slot == self._slot
            for check in slot.checks
        ]

    @property
    def non_validated(self) -> dict[str, list[Any]]:
        """feature name -> its terms that did not validate."""
        return {
            check.name: list(check.non_validated)
            for _, check in self._checks()
            if check.non_validated and check.is_categorical
        }

    @property
    def categoricals(self) -> list[Any]:
        """The categorical features checked."""
        return [c.feature for _, c in self._checks() if c.resolutions and c.feature is not None]

    def validate(self) -> bool:
        self._curator.validate_quietly()
        return not self.non_validated

    def standardize(self, key: str) -> None:
        """Replace synonyms of the key's terms by their canonical names, in the data."""
        result = self._result()
        keys = list(self.non_validated) if key == "all" else [key]
        for name in keys:
            slot, check = result.check(name, self._slot)
            if check.synonyms:
                edits.replace_terms(
                    self._curator.obj, self._curator.otype, slot.slot, name, check.synonyms
                )
        self._curator.validate_quietly()

    def replace(self, key: str, mapping: dict[Any, Any]) -> None:
        """Replace terms of the key in the data: {old: new}."""
        if self._curator._result is None:
            self._curator.validate_quietly()
        slot, _ = self._result().check(key, self._slot)
        edits.replace_terms(self._curator.obj, self._curator.otype, slot.slot, key, mapping)
        self._curator.validate_quietly()

    def add_new_from(self, key: str, values: list[Any] | None = None, **kwargs: Any) -> None:
        """Save the key's non-validated terms (or `values`) as new records of its registry."""
        slot, check = self._result().check(key, self._slot)
        terms = list(check.non_validated) if values is None else list(values)
        unknown = [t for t in terms if t not in check.non_validated]
        if unknown:
            raise InvalidArgument(f"{unknown} are not non-validated terms of '{key}'")
        if not terms:
            return
        frame = edits.slot_frame(self._curator.obj, self._curator.otype, slot.slot)
        records = edits.new_records(slot, check, terms, frame, **kwargs)
        save_records(records)
        self._curator.validate_quietly()

    def lookup(self, public: bool = False) -> CatLookup:
        """The registries of the categorical features: `lookup["perturbation"].dmso`;
        public=True looks up the public ontologies."""
        return CatLookup(self._registries(), public=public)

    def __repr__(self) -> str:
        parts = []
        count = len(self._registries())
        if count:
            parts.append(f"categorical_features={count}")
        if self._slot is not None:
            parts.append(f"slot: {self._slot}")
        parts.append(self._curator._state())
        return f"DataFrameCatManager({', '.join(parts)})"

    def _registries(self) -> dict[str, type]:
        """Categorical features of the schema (of this slot), and those validation found."""
        schemas = self._curator.component_schemas()
        if self._slot is not None:
            schemas = {self._slot: schemas[self._slot]} if self._slot in schemas else {}
        features = [
            member
            for schema in schemas.values()
            for member in members_of(schema)
            if isinstance(member, registered.Feature)
        ]
        if self._curator._result is not None:
            features += [c.feature for _, c in self._checks() if c.feature is not None]
        return categorical_registries(features)


class ComponentCurator:
    """The curator of one slot of a composite: `curator.slots['obs'].cat.add_new_from('x')`."""

    def __init__(self, curator: Curator, slot: str, schema: Any) -> None:
        self.slot = slot
        self.schema = schema
        self._curator = curator
        self.cat = CatManager(curator, slot)

    def validate(self) -> None:
        self._curator.validate()

    def standardize(self) -> None:
        for key in self.cat.non_validated:
            self.cat.standardize(key)

    def __repr__(self) -> str:
        return f"ComponentCurator(Schema: {schema_label(self.schema)}, {self._curator._state()})"


class Curator:
    """Validation of one dataset against one schema, with ways to fix and save it."""

    otype = "DataFrame"

    def __init__(self, dataset: Any, schema: Any, **kwargs: Any) -> None:
        _require_package(self.otype)
        self._artifact = None
        if isinstance(dataset, registered.Artifact) and hasattr(dataset, "load"):
            self._artifact = dataset
            dataset = dataset.load()
        actual = formats.object_type(dataset)
        if actual != self.otype:
            raise InvalidArgument(
                f"dataset must be {self.otype}-like. {type(self).__name__} curates a "
                f"{self.otype}, got {type(dataset).__name__}"
            )
        self.obj = dataset
        self.schema = schema
        check_schema(schema, self.otype)
        self._result: ValidationResult | None = None
        self._cat_manager = CatManager(self)
        targets = slot_targets(dataset, self.otype, schema)  # refuses slots it cannot have
        components = slots_of(schema)
        self._slots = {slot: ComponentCurator(self, slot, components[slot]) for slot in targets}

    @property
    def dataset(self) -> Any:
        return self.obj

    @property
    def cat(self) -> CatManager:
        """The categoricals of the dataset: non-validated terms, `add_new_from`, `standardize`."""
        return self._cat_manager

    @property
    def slots(self) -> dict[str, ComponentCurator]:
        """slot -> the curator of that slot (`{}` for a schema without slots)."""
        return self._slots

    @property
    def _is_validated(self) -> bool:
        return self._result is not None and self._result.passed

    def _state(self) -> str:
        return "validated" if self._is_validated else "unvalidated"

    def __repr__(self) -> str:
        slots = list(self.slots)
        shown = slots if len(slots) <= 3 else f"[{', '.join(slots[:3])}... +{len(slots) - 3} more]"
        extra = f", slots: {shown}" if slots else ""
        artifact = f", artifact: {self._artifact.uid}" if self._artifact is not None else ""
        schema = schema_label(self.schema)
        return f"{type(self).__name__}{artifact}(Schema: {schema}{extra}, {self._state()})"

    def component_schemas(self) -> dict[str | None, Any]:
        """slot -> component schema; {None: schema} for a schema without slots."""
        components = {slot: c.schema for slot, c in self.slots.items()}
        return components or {None: self.schema}

    def invalidate(self) -> None:
        self._result = None

    def validate_quietly(self) -> ValidationResult:
        """Validate without printing or raising (after the data changed)."""
        self._result = validate_object(self.obj, self.otype, self.schema)
        return self._result

    def result(self, quiet: bool = False) -> ValidationResult:
        """The last validation (validating now if there is none)."""
        if self._result is None:
            if quiet:
                return self.validate_quietly()
            self.validate()
        assert self._result is not None
        return self._result

    def validate(self) -> None:
        """Validate; prints the terms that did not validate, ValidationError if anything fails."""
        try:
            self._result = run_validation(self.obj, self.otype, self.schema)
        except ValidationError as error:
            self._result = getattr(error, "result", None)
            raise

    def standardize(self) -> None:
        """Replace synonyms by their canonical names in every categorical column."""
        result = self.result(quiet=True)
        for slot in result.slots:
            for check in slot.checks:
                if check.synonyms:
                    edits.replace_terms(self.obj, self.otype, slot.slot, check.name, check.synonyms)
        self.validate_quietly()

    @property
    def report(self) -> Any:
        """The stored report of the last validation (HTML in notebooks, .to_dict() for JSON)."""
        if self._result is None or self._result.report is None:
            try:
                self.validate()
            except ValidationError:
                pass
        return self._result.report if self._result is not None else None

    def save_artifact(
        self,
        key: str | None = None,
        description: str | None = None,
        revises: Any = None,
        run: Any = None,
    ) -> Any:
        """Save the validated dataset as an artifact, annotated (validates first if needed)."""
        if self._result is None or self._result.report is None or not self._result.passed:
            self.validate()
        assert self._result is not None
        plan = annotate.AnnotationPlan.from_result(self._result)
        if self._artifact is not None:
            annotate.attach(self._artifact, plan, self.schema)
            return self._artifact.save()
        kwargs = {"key": key, "description": description, "revises": revises, "run": run}
        model = registered.Artifact
        record = artifact_objects.from_object(
            model, self.obj, self.otype, **{k: v for k, v in kwargs.items() if v is not None}
        )
        annotate.attach(record, plan, self.schema)
        return record.save()

    def form(self) -> Any:
        """An ipywidgets form to fix non-validated terms (needs ipywidgets)."""
        return services.curation_form_factory()(self)


def schema_label(schema: Any) -> str:
    """A schema as curators name it: its name (or uid) and its otype."""
    label = schema.name or f"uid={schema.uid}"
    return f"{label} ({schema.otype})" if schema.otype else label


def _require_package(otype: str) -> None:
    package = OPTIONAL_PACKAGES.get(otype)
    if package is None:
        return
    if importlib.util.find_spec(package) is None:
        raise ModuleNotFoundError(
            f"No module named '{package}': install it to curate {otype} objects "
            f"(pip install {package})",
            name=package,
        )


class DataFrameCurator(Curator):
    """Curate a pandas DataFrame (or a DataFrame artifact) against a schema of features."""

    otype = "DataFrame"


class AnnDataCurator(Curator):
    """Curate an AnnData against a composite schema (slots obs, var.T, uns...)."""

    otype = "AnnData"


class MuDataCurator(Curator):
    """Curate a MuData against a composite schema (slots obs, <modality>:obs, ...)."""

    otype = "MuData"


class SpatialDataCurator(Curator):
    """Curate a SpatialData object against a composite schema (attrs, tables:<t>:obs...)."""

    otype = "SpatialData"


class TiledbsomaExperimentCurator(Curator):
    """Curate a tiledbsoma Experiment against a composite schema."""

    otype = "tiledbsoma"


def validate_for_artifact(record: Any, obj: Any, schema: Any) -> None:
    """Artifact.from_dataframe/from_anndata(schema=): validate, then annotate on save()."""
    otype = formats.object_type(obj) or "DataFrame"
    check_schema(schema, otype)
    log.info("loading artifact into memory for validation")
    result = run_validation(obj, otype, schema)
    annotate.attach(record, annotate.AnnotationPlan.from_result(result), schema)


__all__ = [
    "AnnDataCurator",
    "DataFrameCurator",
    "MuDataCurator",
    "SpatialDataCurator",
    "TiledbsomaExperimentCurator",
]
