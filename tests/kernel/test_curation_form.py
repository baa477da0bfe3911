"""curator.form(): set the widgets' values and click, as a person would in a notebook."""

from __future__ import annotations

import contextvars
from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.curation.reports import list_reports
from lamin_kernel.tracking import activity


@pytest.fixture
def curator(instance: dict) -> ln.curators.DataFrameCurator:
    ln.ULabel(name="DMSO").save()
    ln.ULabel(name="IFNG").save()
    ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    ln.Feature(name="donor", dtype=str).save()
    schema = ln.Schema(itype=ln.Feature).save()
    df = pd.DataFrame(
        {
            "perturbation": pd.Categorical(["DMSO", "IFNJ", "ifng", "TNFA", "TNFA"]),
            "donor": ["D1", "D2", "D3", "D4", "D5"],
        }
    )
    return ln.curators.DataFrameCurator(df, schema)


def test_form_lists_failing_terms_with_suggestions(curator: ln.curators.DataFrameCurator) -> None:
    form = curator.form()
    assert set(form.rows) == {
        ("columns", "perturbation", "IFNJ"),
        ("columns", "perturbation", "ifng"),
        ("columns", "perturbation", "TNFA"),
    }
    synonym = form.rows[("columns", "perturbation", "ifng")]
    assert synonym.suggestion.value == "IFNG" and synonym.action.value == "replace"
    typo = form.rows[("columns", "perturbation", "IFNJ")]
    assert typo.suggestion.value == "IFNG"
    assert [value for _, value in typo.suggestion.options][0] == "IFNG"
    assert typo.action.options == ("replace", "add as new label", "leave")
    assert form.save_button.disabled
    assert "1 feature does not validate" in form.status.value


def test_apply_validate_save_by_clicking(curator: ln.curators.DataFrameCurator) -> None:
    form = curator.form()
    form.save_button.click()  # disabled in the browser; clicked anyway, it refuses
    assert ln.Artifact.filter().count() == 0
    form.rows[("columns", "perturbation", "IFNJ")].action.value = "replace"
    form.rows[("columns", "perturbation", "TNFA")].action.value = "add as new label"
    form.apply_button.click()
    assert list(curator.obj["perturbation"]) == ["DMSO", "IFNG", "IFNG", "TNFA", "TNFA"]
    assert ln.ULabel.filter(name="TNFA").count() == 1
    assert form.rows == {} and not form.save_button.disabled
    form.validate_button.click()
    assert "everything validates" in form.status.value
    form.key.value = "curated/form.parquet"
    form.save_button.click()
    artifact = ln.Artifact.get(key="curated/form.parquet")
    assert form.artifact.uid == artifact.uid and artifact.uid in form.status.value
    assert sorted(r.name for r in artifact.ulabels) == ["DMSO", "IFNG", "TNFA"]
    assert artifact.load()["perturbation"].tolist() == ["DMSO", "IFNG", "IFNG", "TNFA", "TNFA"]
    assert list_reports(artifact_uid=artifact.uid)[0]["passed"]


def test_leave_keeps_the_term_and_the_form_says_so(curator: ln.curators.DataFrameCurator) -> None:
    form = curator.form()
    for row in form.rows.values():
        row.action.value = "leave"
    form.apply_button.click()
    assert set(form.rows) == {
        ("columns", "perturbation", "IFNJ"),
        ("columns", "perturbation", "ifng"),
        ("columns", "perturbation", "TNFA"),
    }
    form.validate_button.click()
    assert form.save_button.disabled and "1 feature does not validate" in form.status.value
    assert [r["passed"] for r in list_reports()] == [False]


def test_form_widget_displays(curator: ln.curators.DataFrameCurator) -> None:
    import ipywidgets as widgets

    form = curator.form()
    assert isinstance(form.widget, widgets.VBox)
    assert "lk-curation-form" in form.widget._dom_classes


def test_save_from_a_widget_callback_joins_the_tracked_run(
    curator: ln.curators.DataFrameCurator, tmp_path: Path
) -> None:
    """A button click runs in the kernel's comm handler, a context that never saw the cell's
    `ln.track()`; the form still saves into the tracked run, like save_artifact() in a cell."""
    from lamin_kernel import runtime
    from lamin_kernel.tracking import state

    transform = ln.Transform(key="form.ipynb", kind="notebook").save()
    run = ln.Run(transform=transform).save()
    tracked = state.Tracked(run=runtime.RunRef.of(run, transform), kind="notebook", path=None)
    state.set_current(tracked)
    activity.watch()
    try:
        form = curator.form()
        form.rows[("columns", "perturbation", "IFNJ")].action.value = "replace"
        form.rows[("columns", "perturbation", "TNFA")].action.value = "add as new label"
        form.apply_button.click()
        form.key.value = "curated/in-run.parquet"
        callback_context = contextvars.Context()  # what a comm message handler sees
        callback_context.run(form.save_button.click)
        assert runtime.current_run() is None or runtime.current_run().id == run.id
        artifact = ln.Artifact.get(key="curated/in-run.parquet")
        assert artifact.run_id == run.id
        assert artifact.id in tracked.outputs  # the status bar's output count moves
        # and the form does no more than save_artifact(): the next save in a cell is unaffected
        assert callback_context.run(runtime.current_run) is None
    finally:
        state.reset()
