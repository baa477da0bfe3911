"""Validation reports: every validation, passed or failed, stored with its run and artifact.

A report is JSON in the shape of GET validation-reports (docs/rest-api.md):

    {"id", "created_at", "passed", "artifact": uid|None, "run": uid|None, "schema": uid|None,
     "slots": [{"slot", "features": [{"name", "status", "n_values", "non_validated",
                                      "suggestions": {term: [{"value", "score"}]}}]}]}
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from .. import runtime
from ..db.uid import base62
from ..records.registered import registered
from ..setup.session import current_user_id, read_session, write_transaction

STATUS_MARK = {"validated": "✓", "not_validated": "✗", "missing": "✗", "dtype_mismatch": "✗"}


class Report:
    """One stored validation report; HTML in notebooks, a dict (JSON) everywhere."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def passed(self) -> bool:
        return bool(self.data["passed"])

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self.to_json())

    def to_json(self) -> str:
        return json.dumps(self.data, default=str)

    def __repr__(self) -> str:
        lines = [f"ValidationReport {'passed' if self.passed else 'failed'} (id {self.id})"]
        for slot in self.data["slots"]:
            lines.append(f"  {slot['slot']}")
            for f in slot["features"]:
                terms = f" not validated: {f['non_validated']}" if f["non_validated"] else ""
                lines.append(
                    f"    {STATUS_MARK.get(f['status'], '?')} {f['name']}: {f['status']}{terms}"
                )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        title = "passed" if self.passed else "failed"
        parts = [f"<div class='lk-validation-report'><b>Validation {esc(title)}</b>"]
        for slot in self.data["slots"]:
            parts.append(f"<details open><summary>{esc(slot['slot'])}</summary><table>")
            parts.append(
                "<tr><th>feature</th><th>status</th><th>values</th>"
                "<th>not validated</th><th>suggestions</th></tr>"
            )
            for f in slot["features"]:
                hints = "; ".join(
                    f"{term} → " + ", ".join(f"{s['value']} ({s['score']:.0f})" for s in found)
                    for term, found in f["suggestions"].items()
                    if found
                )
                cells = [
                    f["name"],
                    f"{STATUS_MARK.get(f['status'], '?')} {f['status']}",
                    str(f["n_values"]),
                    ", ".join(f["non_validated"]),
                    hints,
                ]
                parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
            parts.append("</table></details>")
        parts.append("</div>")
        return "".join(parts)


def _model() -> type:
    return registered.ValidationReport


def store(result: Any) -> Report:
    """Insert the report of a validation, tied to the current run (if any)."""
    model = _model()
    run = runtime.current_run()
    run_id = getattr(run, "id", None)
    schema = result.schema
    row = {
        "uid": base62(16),
        "passed": result.passed,
        "slots": [s.to_dict() for s in result.slots],
        "run_id": run_id,
        "schema_id": schema.id,
        "created_by_id": current_user_id(),
        "created_at": datetime.now(UTC),
    }
    with write_transaction() as session:
        report_id = session.execute(insert(model.__table__).returning(model.__table__.c.id), [row])
        row["id"] = report_id.scalar_one()
    data = {
        "id": row["id"],
        "created_at": row["created_at"].isoformat(),
        "passed": row["passed"],
        "artifact": None,
        "run": getattr(run, "uid", None),
        "schema": schema.uid,
        "slots": row["slots"],
    }
    return Report(data)


def attach_artifact(session: Any, report: Report | None, artifact: Any) -> None:
    """Tie a stored report to the artifact it validated (inside the caller's transaction)."""
    if report is None:
        return
    model = _model()
    session.execute(update(model).where(model.id == report.id).values(artifact_id=artifact.id))
    report.data["artifact"] = artifact.uid


def list_reports(artifact_uid: str | None = None, run_uid: str | None = None) -> list[dict]:
    """Reports, newest first, of one artifact and/or one run (all when neither is given)."""
    model = _model()
    artifact, run, schema = registered.Artifact, registered.Run, registered.Schema
    stmt = (
        select(model, artifact.uid, run.uid, schema.uid)
        .outerjoin(artifact, artifact.id == model.artifact_id)
        .outerjoin(run, run.id == model.run_id)
        .outerjoin(schema, schema.id == model.schema_id)
        .order_by(model.id.desc())
    )
    if artifact_uid is not None:
        stmt = stmt.where(artifact.uid == artifact_uid)
    if run_uid is not None:
        stmt = stmt.where(run.uid == run_uid)
    with read_session() as session:
        rows = session.execute(stmt).all()
    return [
        {
            "id": report.id,
            "created_at": _iso(report.created_at),
            "passed": bool(report.passed),
            "artifact": artifact_value,
            "run": run_value,
            "schema": schema_value,
            "slots": report.slots or [],
        }
        for report, artifact_value, run_value, schema_value in rows
    ]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()
