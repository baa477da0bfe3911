"""The curation form: fix non-validated terms with widgets instead of code.

`curator.form()` lists each failing feature with its non-validated terms; per term a dropdown
of suggestions (synonyms first, then the closest names by fuzzy score) and an action:
replace it by the suggestion, add it as a new label, or leave it. "Apply" rewrites the
DataFrame or AnnData (and saves the new labels), "Validate" runs the validation again,
"Save artifact" saves once everything validates, in the tracked run like
`curator.save_artifact()` in a cell.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import ipywidgets as widgets

from .. import runtime
from ..errors import LaminError, ValidationError
from ..tracking import state

T = TypeVar("T")

REPLACE, ADD, LEAVE = "replace", "add as new label", "leave"
ACTIONS = (REPLACE, ADD, LEAVE)


@dataclass
class TermRow:
    """The widgets of one non-validated term."""

    slot: str
    feature: str
    term: Any
    suggestion: widgets.Dropdown
    action: widgets.ToggleButtons
    box: widgets.HBox


def _term_row(slot: str, feature: str, term: Any, suggestions: list[dict[str, Any]]) -> TermRow:
    options = [(f"{s['value']} ({s['score']:.0f})", s["value"]) for s in suggestions]
    suggestion = widgets.Dropdown(
        options=options or [("no suggestion", None)],
        value=options[0][1] if options else None,
        layout=widgets.Layout(width="260px"),
    )
    synonym = bool(suggestions) and suggestions[0]["score"] >= 100
    action = widgets.ToggleButtons(
        options=list(ACTIONS), value=REPLACE if synonym else LEAVE, style={"button_width": "120px"}
    )
    label = widgets.HTML(
        f"<code>{html.escape(str(term))}</code>", layout=widgets.Layout(width="200px")
    )
    return TermRow(
        slot, feature, term, suggestion, action, widgets.HBox([label, suggestion, action])
    )


def in_tracked_run(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `func` with the notebook's tracked run as the current run.

    A button's callback runs in the kernel's comm handler, whose context never saw the
    `ln.track()` of a cell: without this, the artifact would be saved without its run.
    """
    tracked = state.current()
    if runtime.current_run() is not None or tracked is None or tracked.finished:
        return func(*args, **kwargs)
    tokens = runtime.set_current_run(tracked.run, tracked.transform)
    try:
        return func(*args, **kwargs)
    finally:
        runtime.restore_current_run(tokens)


class CurationForm:
    """Widgets over a curator; the same curator's data and registries change when applied."""

    def __init__(self, curator: Any) -> None:
        self.curator = curator
        self.rows: dict[tuple[str, str, Any], TermRow] = {}
        self.artifact: Any = None
        self.features_box = widgets.VBox()
        self.status = widgets.HTML()
        self.key = widgets.Text(description="key", placeholder="my_datasets/curated.parquet")
        self.apply_button = widgets.Button(description="Apply", icon="check")
        self.validate_button = widgets.Button(description="Validate", icon="refresh")
        self.save_button = widgets.Button(description="Save artifact", icon="save", disabled=True)
        self.apply_button.on_click(self.apply)
        self.validate_button.on_click(self.validate)
        self.save_button.on_click(self.save)
        buttons = widgets.HBox(
            [self.apply_button, self.validate_button, self.key, self.save_button]
        )
        self.widget = widgets.VBox([self.features_box, buttons, self.status])
        self.widget.add_class("lk-curation-form")
        self._show(curator.result(quiet=True))

    # -- drawing ---------------------------------------------------------------------------
    def _show(self, result: Any) -> None:
        self.rows = {}
        sections = []
        for slot in result.slots:
            for check in slot.checks:
                if check.status == "validated" or (check.warning_only and not check.non_validated):
                    continue
                sections.append(self._feature_section(slot.slot, check))
        self.features_box.children = sections
        self.save_button.disabled = not result.passed
        if result.passed:
            self._say("✓ everything validates: enter a key and save", "var(--jp-success-color1)")
        else:
            n = len(result.failing())
            self._say(
                f"✗ {n} feature{'s do' if n != 1 else ' does'} not validate",
                "var(--jp-error-color1)",
            )

    def _feature_section(self, slot: str, check: Any) -> widgets.VBox:
        where = f" (slot {slot})" if slot not in ("columns",) else ""
        kind = "warning" if check.warning_only else check.status.replace("_", " ")
        title = widgets.HTML(
            f"<b>{html.escape(check.name)}</b>{html.escape(where)}: {html.escape(kind)}"
        )
        children: list[Any] = [title]
        if check.non_validated:
            for term in check.non_validated:
                row = _term_row(slot, check.name, term, check.suggestions.get(str(term), []))
                self.rows[(slot, check.name, term)] = row
                children.append(row.box)
        elif check.message:
            children.append(widgets.HTML(f"<pre>{html.escape(check.message)}</pre>"))
        return widgets.VBox(children)

    def _say(self, text: str, colour: str = "var(--jp-ui-font-color1)") -> None:
        self.status.value = f"<span style='color: {colour}'>{html.escape(text)}</span>"

    def _cat(self, slot: str) -> Any:
        slots = getattr(self.curator, "slots", None)
        return slots[slot].cat if slots else self.curator.cat

    # -- actions ---------------------------------------------------------------------------
    def apply(self, _button: Any = None) -> None:
        """Replace or add the terms as chosen, in the curator's data and registries."""
        plans: dict[tuple[str, str], tuple[dict[Any, Any], list[Any]]] = {}
        for row in self.rows.values():
            replace, add = plans.setdefault((row.slot, row.feature), ({}, []))
            if row.action.value == REPLACE and row.suggestion.value is not None:
                replace[row.term] = row.suggestion.value
            elif row.action.value == ADD:
                add.append(row.term)
        try:
            in_tracked_run(self._apply_plans, plans)
        except (LaminError, KeyError) as exc:
            self._say(f"✗ {exc}", "var(--jp-error-color1)")
            return
        self._show(self.curator.result(quiet=True))

    def _apply_plans(self, plans: dict[tuple[str, str], tuple[dict[Any, Any], list[Any]]]) -> None:
        for (slot, feature), (replace, add) in plans.items():
            if replace:
                self._cat(slot).replace(feature, replace)
            if add:
                self._cat(slot).add_new_from(feature, values=add)

    def validate(self, _button: Any = None) -> None:
        """Validate again (stores a report of the tracked run, as every validation does)."""
        try:
            in_tracked_run(self.curator.validate)
        except ValidationError:
            pass
        self._show(self.curator.result(quiet=True))

    def save(self, _button: Any = None) -> None:
        """Save the artifact once the data validates."""
        result = self.curator.result(quiet=True)
        if not result.passed:
            self._say("✗ the data does not validate yet: apply fixes, then validate")
            return
        try:
            self.artifact = in_tracked_run(self.curator.save_artifact, key=self.key.value or None)
        except LaminError as exc:
            self._say(f"✗ {exc}", "var(--jp-error-color1)")
            return
        self.save_button.disabled = True
        self._say(f"✓ saved artifact {self.artifact.uid} ({self.artifact.key or ''})")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
