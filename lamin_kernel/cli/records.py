"""`lamin describe | get | update | annotate` and `lamin delete <registry>`: one record at a time.

A record is named by its registry (`artifact`, `transform`, `collection`, `run`, `record`,
`project`, `ulabel`, `branch`, ...) and `--uid`, `--key` or `--name`; a branch defaults to
the current one. Each command calls what a user calls in Python: `Registry.get(...)`,
`record.describe()`, `record.save()`, `record.projects.add(...)`, `record.delete()`.
"""

from __future__ import annotations

from typing import Any

import typer

from .. import branches, models
from ..errors import InvalidArgument
from ..models.core import BRANCH_STATUSES
from ..query.q import Q

REGISTRIES = {
    "artifact": "Artifact",
    "transform": "Transform",
    "collection": "Collection",
    "run": "Run",
    "record": "Record",
    "project": "Project",
    "ulabel": "ULabel",
    "branch": "Branch",
    "feature": "Feature",
    "schema": "Schema",
    "space": "Space",
    "storage": "Storage",
    "reference": "Reference",
}
KEYED = {"artifact", "transform", "collection"}
LABEL_OPTIONS = {"project": "Project", "ulabel": "ULabel", "record": "Record"}


def registry_of(entity: str) -> type:
    if entity not in REGISTRIES:
        raise InvalidArgument(f"unknown registry '{entity}'; use one of: {', '.join(REGISTRIES)}")
    return getattr(models, REGISTRIES[entity])


def find_record(
    entity: str, uid: str | None = None, key: str | None = None, name: str | None = None
) -> Any:
    """The record named by --uid, --key or --name (a branch: the current one by default)."""
    registry = registry_of(entity)
    if uid is not None:  # a full uid finds a record in the trash too; a stem, its latest version
        return registry.filter(uid=uid).first() or registry.get(uid)
    if key is not None:
        if entity not in KEYED:
            raise InvalidArgument(
                f"--key names an artifact, transform or collection, not a {entity}"
            )
        return registry.get(key=key)
    if name is not None:
        return registry.filter(name=name).one()
    if entity == "branch":
        return branches.current_branch()
    hint = "--uid or --key" if entity in KEYED else "--uid or --name"
    raise InvalidArgument(f"name the {entity} with {hint}")


def describe(
    entity: str = typer.Argument("artifact", help="artifact, transform, run, branch, ..."),
    uid: str | None = typer.Option(None, "--uid", help="The uid."),
    key: str | None = typer.Option(
        None, "--key", help="The key (artifact, transform, collection)."
    ),
    name: str | None = typer.Option(None, "--name", help="The name (record, project, branch...)."),
) -> None:
    """Describe a record: its fields, links and features."""
    typer.echo(find_record(entity, uid, key, name).describe(return_str=True))


def get(
    entity: str = typer.Argument("artifact", help="artifact, transform, run, branch, ..."),
    uid: str | None = typer.Option(None, "--uid", help="The uid."),
    key: str | None = typer.Option(
        None, "--key", help="The key (artifact, transform, collection)."
    ),
    name: str | None = typer.Option(None, "--name", help="The name (record, project, branch...)."),
    status: bool = typer.Option(False, "--status", help="Print a branch's status."),
    description: bool = typer.Option(False, "--description", help="Print the description."),
) -> None:
    """Print one field of a record (--status, --description), else describe it."""
    if status and description:
        raise InvalidArgument("pass only one of --status or --description")
    record = find_record(entity, uid, key, name)
    if status:
        if entity != "branch":
            raise InvalidArgument("--status is a field of branches")
        typer.echo(record.status)
    elif description:
        typer.echo(record.description)
    else:
        typer.echo(record.describe(return_str=True))


def update(
    entity: str = typer.Argument(..., help="artifact, transform, collection, project or branch"),
    uid: str | None = typer.Option(None, "--uid", help="The uid."),
    key: str | None = typer.Option(
        None, "--key", help="The key (artifact, transform, collection)."
    ),
    name: str | None = typer.Option(None, "--name", help="The name (project, branch)."),
    status: str | None = typer.Option(
        None, "--status", help=f"A branch's status: {', '.join(BRANCH_STATUSES)}."
    ),
    description: str | None = typer.Option(None, "--description", help="A new description."),
) -> None:
    """Change a branch's status or a record's description."""
    if (status is None) == (description is None):
        raise InvalidArgument("pass one of --status or --description")
    if status is not None and entity != "branch":
        raise InvalidArgument("--status is a field of branches")
    record = find_record(entity, uid, key, name)
    if status is not None:
        record.status = status
    else:
        record.description = description
    record.save()
    field = "status" if status is not None else "description"
    typer.echo(f"→ updated {entity}: {field}={getattr(record, field)!r}")


def annotate(
    entity: str = typer.Argument("artifact", help="artifact, transform, collection, ..."),
    uid: str | None = typer.Option(None, "--uid", help="The uid."),
    key: str | None = typer.Option(
        None, "--key", help="The key (artifact, transform, collection)."
    ),
    name: str | None = typer.Option(None, "--name", help="The name (record, project, branch...)."),
    project: str | None = typer.Option(None, "--project", help="A project's name or uid."),
    ulabel: str | None = typer.Option(None, "--ulabel", help="A ulabel's name or uid."),
    record: str | None = typer.Option(None, "--record", help="A record's name or uid."),
    version: str | None = typer.Option(None, "--version", help="A version tag."),
    features: list[str] = typer.Option(  # noqa: B008 - typer reads the default
        [], "--features", help="feature=value or feature=v1,v2 (repeatable)."
    ),
) -> None:
    """Label a record with a project, ulabel or record, a version tag or feature values."""
    target = find_record(entity, uid, key, name)
    for option, value in (("project", project), ("ulabel", ulabel), ("record", record)):
        if value is not None:
            _link(target, option, value)
    if version is not None:
        if not hasattr(target, "version_tag"):
            raise InvalidArgument(f"a {entity} has no version")
        target.version_tag = version
        target.save()
    if features:
        target.features.add_values(parse_features(features))
    typer.echo(f"→ annotated {entity} {target.uid}")


def _link(target: Any, option: str, value: str) -> None:
    model = getattr(models, LABEL_OPTIONS[option])
    found = model.filter(Q(name=value) | Q(uid=value)).first()
    if found is None:
        raise InvalidArgument(
            f"{model.__name__} '{value}' not found, either create it with "
            f"`ln.{model.__name__}(name='...').save()` or fix typos."
        )
    links = getattr(target, f"{option}s", None)
    if links is None:
        raise InvalidArgument(f"a {type(target).__name__} cannot be labelled with a {option}")
    links.add(found)


def parse_features(items: list[str]) -> dict[str, Any]:
    """['cell_line=HEK293', 'perturbation=IFNG,DMSO'] -> {'cell_line': 'HEK293', ...: [...]}."""
    values: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InvalidArgument(f"--features takes feature=value, got {item!r}")
        parts = [p.strip().strip('"') for p in value.split(",")]
        values[name] = parts if len(parts) > 1 else parts[0]
    return values


def delete_record(
    entity: str,
    uid: str | None,
    key: str | None,
    name: str | None,
    permanent: bool | None,
) -> None:
    """`lamin delete <registry> --uid/--key/--name [--permanent]`."""
    if entity == "branch":
        branches.delete_branch(find_record(entity, uid, key, name).name, force=bool(permanent))
        return
    find_record(entity, uid, key, name).delete(permanent=permanent)


def register(app: typer.Typer) -> None:
    """Add the record commands to the `lamin` app."""
    app.command("describe")(describe)
    app.command("get")(get)
    app.command("update")(update)
    app.command("annotate")(annotate)
