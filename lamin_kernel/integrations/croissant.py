"""Artifacts (or a collection) from an MLCommons Croissant metadata document.

The document's name and description describe the artifact, its version becomes the
version tag, its licence a ULabel of the type "License" and its project a Project; one
file gives an artifact, several a collection of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import log
from ..errors import InvalidArgument
from ..models import Artifact, Collection, Project, Storage, ULabel

DATASET_TYPES = ("Dataset", "sc:Dataset", "https://schema.org/Dataset")


def _load(croissant_data: Any) -> dict[str, Any]:
    if isinstance(croissant_data, dict):
        return croissant_data
    if not isinstance(croissant_data, str | Path):
        raise InvalidArgument("croissant_data must be a file path or a dictionary")
    path = Path(croissant_data)
    if not path.exists():
        raise FileNotFoundError(f"File not found: {croissant_data}")
    return json.loads(path.read_text(encoding="utf-8"))


def _license_label(license_text: str | None) -> Any | None:
    if not license_text:
        return None
    kind = ULabel.filter(name="License", is_type=True).first()
    kind = kind or ULabel(name="License", is_type=True).save()
    found = ULabel.filter(name=license_text, type=kind).first()
    return found or ULabel(name=license_text, description="Dataset license", type=kind).save()


def _project(name: str | None) -> Any | None:
    if not name:
        return None
    return Project.filter(name=name).first() or Project(name=name).save()


def _in_registered_storage(path: str) -> bool:
    resolved = Path(path).resolve().as_posix()
    for root in Storage.filter().to_list("root"):
        local = root.removeprefix("file://")
        if not local.startswith(("s3://", "gs://")) and resolved.startswith(
            Path(local).resolve().as_posix().rstrip("/") + "/"
        ):
            return True
    return False


def _file_path(distribution: dict[str, Any], data: dict[str, Any]) -> str:
    file_id = distribution.get("@id", "")
    path = file_id if file_id and Path(file_id).exists() else ""
    path = path or distribution.get("contentUrl", "") or data.get("url", "")
    if not path:
        raise InvalidArgument(f"No file path found in croissant distribution: {distribution}")
    if not Path(path).exists():
        raise InvalidArgument(f"Inferred file path does not exist: {path}")
    return path


def curate_from_croissant(croissant_data: Any, run: Any = None) -> Any:
    """An artifact for the one file of a Croissant dataset, a collection for several."""
    data = _load(croissant_data)
    if data.get("@type") not in DATASET_TYPES:
        raise InvalidArgument("CroissantML @type must be 'Dataset'")
    if "name" not in data:
        raise InvalidArgument("CroissantML must have a 'name' field")
    name, description = data["name"], data.get("description")
    version = data.get("version")
    distributions = data.get("distribution") or []
    if not distributions:
        raise InvalidArgument("No file distributions found in croissant data")
    license_label = _license_label(data.get("license"))
    project = _project(data.get("cr:projectName"))
    artifacts = []
    for distribution in distributions:
        path = _file_path(distribution, data)
        in_place = _in_registered_storage(path)
        if not in_place:
            log.warning(f"file path {path} is not in a registered storage location: it is copied")
        single = len(distributions) == 1
        text = f"{name} - {description}" if single and description else (name if single else None)
        kwargs = {"key": None if in_place else distribution.get("@id", Path(path).name)}
        artifact = Artifact(
            path, description=text, version=version, kind="dataset", run=run, **kwargs
        ).save()
        _annotate(artifact, license_label, project)
        artifacts.append(artifact)
    if len(artifacts) == 1:
        return artifacts[0]
    collection = Collection(artifacts, key=name, description=description, version=version).save()
    _annotate(collection, license_label, project)
    return collection


def _annotate(record: Any, license_label: Any | None, project: Any | None) -> None:
    if license_label is not None:
        record.ulabels.add(license_label)
    if project is not None:
        record.projects.add(project)
