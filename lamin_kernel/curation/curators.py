"""Curators: validate a DataFrame or an AnnData against a schema, fix it, save it.

curator = ln.curators.DataFrameCurator(df, schema)
curator.validate()                      # ValidationError lists every failing feature
curator.cat.non_validated               # {'perturbation': ['IFNJ']}
curator.cat.standardize("perturbation") # synonyms -> canonical names, in the data
curator.cat.add_new_from("perturbation")# save the remaining terms as new labels
artifact = curator.save_artifact(key="my_datasets/rnaseq1.parquet")
"""

from __future__ import annotations

import importlib
from typing import Any

from .. import log
from ..errors import InvalidArgument, ValidationError
from ..records import artifact_objects
from ..records.persist import save_records
from ..records.registry import registry_class
from ..storage import formats
from . import annotate, edits
from .checks import ValidationResult
from .schema import slots_of
from .validate import check_schema, run_validation, validate_object


class CatManager:
    """Categorical terms of a curator (of one slot, or of all slots)."""

    def __init__(self, curator: Curator, slot: str | None = None) -> None:
        self._curator = curator
        self._slot = slot

    @property
    def non_validated(self) -> dict[str, list[Any]]:
        """feature name -> its terms that did not validate."""
        result = self._curator.result(quiet=True)
        return {
            check.name: list(check.non_validated)
            for slot in result.slots
            if self._slot is None or slot.slot == self._slot
            for check in slot.checks
            if check.non_validated and check.is_categorical
        }

    def standardize(self, key: str) -> None:
        """Replace synonyms of the key's terms by their canonical names, in the data."""
        result = self._curator.result(quiet=True)
        keys = list(self.non_validated) if key == "all" else [key]
        for name in keys:
            slot, check = result.check(name, self._slot)
            if check.synonyms:
                edits.replace_terms(
                    self._curator.obj, self._curator.otype, slot.slot, name, check.synonyms
                )
        self._curator.invalidate()

    def replace(self, key: str, mapping: dict[Any, Any]) -> None:
        """Replace terms of the key in the data: {old: new}."""
        slot, _ = self._curator.result(quiet=True).check(key, self._slot)
        edits.replace_terms(self._curator.obj, self._curator.otype, slot.slot, key, mapping)
        self._curator.invalidate()

    def add_new_from(self, key: str, values: list[Any] | None = None, **kwargs: Any) -> None:
        """Save the key's non-validated terms (or `values`) as new records of its registry."""
        slot, check = self._curator.result(quiet=True).check(key, self._slot)
        terms = list(check.non_validated) if values is None else list(values)
        unknown = [t for t in terms if t not in check.non_validated]
        if unknown:
            raise InvalidArgument(f"{unknown} are not non-validated terms of '{key}'")
        if not terms:
            return
        frame = edits.slot_frame(self._curator.obj, self._curator.otype, slot.slot)
        records = edits.new_records(slot, check, terms, frame, **kwargs)
        save_records(records)
        self._curator.invalidate()

    def __repr__(self) -> str:
        return f"CatManager(non_validated={self.non_validated})"


class SlotCurator:
    """One slot of an AnnDataCurator: `curator.slots['obs'].cat.add_new_from('x')`."""

    def __init__(self, curator: Curator, slot: str) -> None:
        self.slot = slot
        self.cat = CatManager(curator, slot)


class Curator:
    """Validation of one object against one schema, with ways to fix and save it."""

    otype = "DataFrame"

    def __init__(self, obj: Any, schema: Any) -> None:
        actual = formats.object_type(obj)
        if actual != self.otype:
            raise InvalidArgument(
                f"{type(self).__name__} curates a {self.otype}, got {type(obj).__name__}"
            )
        self.obj = obj
        self.schema = schema
        check_schema(schema, self.otype)
        self._result: ValidationResult | None = None
        self.cat = CatManager(self)

    def invalidate(self) -> None:
        self._result = None

    def result(self, quiet: bool = False) -> ValidationResult:
        """The last validation (validating now if the data changed since)."""
        if self._result is None:
            self._result = (
                validate_object(self.obj, self.otype, self.schema) if quiet else self._run()
            )
        return self._result

    def _run(self) -> ValidationResult:
        try:
            return run_validation(self.obj, self.otype, self.schema)
        except ValidationError as error:
            self._result = error.result  # type: ignore[attr-defined]
            raise

    def validate(self) -> None:
        """Validate; prints the terms that did not validate, ValidationError if anything fails."""
        self._result = None
        self._result = self._run()

    @property
    def report(self) -> Any:
        """The stored report of the last validation (HTML in notebooks, .to_dict() for JSON)."""
        result = self._result
        if result is None or result.report is None:
            try:
                self.validate()
            except ValidationError:
                pass
            result = self._result
        return result.report if result is not None else None

    def save_artifact(
        self,
        key: str | None = None,
        description: str | None = None,
        revises: Any = None,
        run: Any = None,
    ) -> Any:
        """Save the validated object as an artifact, annotated (validates first if needed)."""
        if self._result is None or self._result.report is None:
            self.validate()
        assert self._result is not None
        if not self._result.passed:
            raise ValidationError(self._result.error_message())
        kwargs = {"key": key, "description": description, "revises": revises, "run": run}
        model = registry_class("Artifact")
        record = artifact_objects.from_object(
            model, self.obj, self.otype, **{k: v for k, v in kwargs.items() if v is not None}
        )
        annotate.attach(record, annotate.AnnotationPlan.from_result(self._result), self.schema)
        return record.save()

    def form(self) -> Any:
        """An ipywidgets form to fix non-validated terms (needs ipywidgets)."""
        return importlib.import_module("lamin_kernel.jupyter.curation_form").CurationForm(self)


class DataFrameCurator(Curator):
    """Curate a pandas DataFrame against a schema of features."""

    otype = "DataFrame"


class AnnDataCurator(Curator):
    """Curate an AnnData against a composite schema (slots obs, var, var.T)."""

    otype = "AnnData"

    def __init__(self, adata: Any, schema: Any) -> None:
        super().__init__(adata, schema)
        self.slots = {slot: SlotCurator(self, slot) for slot in slots_of(schema)}


def validate_for_artifact(record: Any, obj: Any, schema: Any) -> None:
    """Artifact.from_dataframe/from_anndata(schema=): validate, then annotate on save()."""
    otype = formats.object_type(obj) or "DataFrame"
    check_schema(schema, otype)
    log.info("loading artifact into memory for validation")
    result = run_validation(obj, otype, schema)
    annotate.attach(record, annotate.AnnotationPlan.from_result(result), schema)
