"""Reading a collection: its ordered members, load(), open(), mapped(); inputs of runs.

Every access first checks that the members are still there: a member moved to the trash or
deleted for good makes the collection unreadable, with an error that says which and what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import log, runtime
from ..errors import DoesNotExist, InvalidArgument, UnsupportedObject
from ..query.queryset import QuerySet
from ..setup.options import options
from ..setup.session import read_session
from ..storage import formats
from ..storage.paths import filesystem, is_remote
from . import describe as describe_mod
from . import run_links
from .artifact_access import cache as cache_artifact
from .artifact_access import stored_location
from .collection_create import members_hash
from .persist import TRASH
from .registered import registered

TABLE_SUFFIXES = (".parquet", ".csv", ".tsv")
ANNDATA_SUFFIXES = (".h5ad", ".zarr")


def member_ids(collection: Any) -> list[int]:
    """Ids of the member artifacts, in the collection's order."""
    link = registered.CollectionArtifact
    with read_session() as session:
        return list(
            session.scalars(
                select(link.artifact_id)
                .where(link.collection_id == collection.id)
                .order_by(link.order, link.id)
            )
        )


def ordered_artifacts(collection: Any) -> QuerySet:
    """The member artifacts as a QuerySet in the collection's order."""
    return QuerySet(registered.Artifact).in_id_order(member_ids(collection))


def members(collection: Any) -> list[Any]:
    """The member artifacts in order; an error if any was trashed or deleted for good."""
    if collection.id is None:
        raise InvalidArgument("save the collection first: collection.save()")
    artifact = registered.Artifact
    ids = member_ids(collection)
    with read_session() as session:
        found = {a.id: a for a in session.scalars(select(artifact).where(artifact.id.in_(ids)))}
    ordered = [found[i] for i in ids if i in found]
    trashed = [a for a in ordered if a.branch_id == TRASH]
    name = f"collection '{collection.key or collection.uid}' ({collection.uid})"
    if trashed:
        uids = ", ".join(a.uid for a in trashed)
        raise DoesNotExist(
            f"{name} cannot be read: its artifact(s) {uids} are in the trash; restore them with "
            f"ln.Artifact.get('{trashed[0].uid}', branch_id=-1).restore()"
        )
    if len(ordered) != len(ids) or members_hash(ordered) != collection.hash:
        raise DoesNotExist(
            f"{name} cannot be read: member artifact(s) were deleted permanently, so its "
            f"{len(ordered)} remaining artifact(s) no longer match its hash; make a new version "
            f"from what remains: ln.Collection(collection.ordered_artifacts.all(), "
            f"revises=collection).save()"
        )
    return ordered


def _kind(artifacts: list[Any]) -> str:
    suffixes = {a.suffix or "" for a in artifacts}
    if suffixes <= set(TABLE_SUFFIXES):
        return "DataFrame"
    if suffixes <= set(ANNDATA_SUFFIXES):
        return "AnnData"
    raise UnsupportedObject(
        f"this collection mixes or holds suffixes {sorted(suffixes)}; load() concatenates "
        f"tables {TABLE_SUFFIXES} or AnnData {ANNDATA_SUFFIXES}; iterate "
        "collection.ordered_artifacts to handle members one by one"
    )


def _check_join(join: str) -> None:
    if join not in ("inner", "outer"):
        raise InvalidArgument(f"join must be 'inner' or 'outer', got {join!r}")


def load(
    collection: Any, join: str = "outer", is_run_input: bool | None = None, **kwargs: Any
) -> Any:
    """All members in memory as one DataFrame or one AnnData.

    AnnData are concatenated with a column `artifact_uid` in obs that names each row's source.
    """
    _check_join(join)
    artifacts = members(collection)
    kind = _kind(artifacts)
    objects = [
        formats.load_local(Path(str(cache_artifact(a, mark_input=False))), a.suffix, **kwargs)
        for a in artifacts
    ]
    if kind == "AnnData":
        import anndata as ad

        result = ad.concat(
            objects,
            join=join,
            label="artifact_uid",
            keys=[a.uid for a in artifacts],
            index_unique=None,
        )
    else:
        import pandas as pd

        result = pd.concat(objects, join=join)
    record_input(collection, is_run_input)
    return result


def cache(collection: Any, is_run_input: bool | None = None) -> list[Any]:
    """Local paths of the members (remote ones are downloaded once into the cache)."""
    paths = [cache_artifact(a, mark_input=False) for a in members(collection)]
    record_input(collection, is_run_input)
    return paths


def open_collection(collection: Any, is_run_input: bool | None = None, **kwargs: Any) -> Any:
    """Stream the members: one pyarrow dataset over parquet files, or backed AnnData objects."""
    artifacts = members(collection)
    suffixes = {a.suffix or "" for a in artifacts}
    if suffixes == {".parquet"}:
        result = _parquet_dataset([stored_location(a) for a in artifacts], **kwargs)
    elif suffixes == {".h5ad"}:
        import anndata as ad

        result = [
            ad.read_h5ad(str(cache_artifact(a, mark_input=False)), backed="r", **kwargs)
            for a in artifacts
        ]
    else:
        raise UnsupportedObject(
            f"open() streams collections of .parquet or of .h5ad files, not {sorted(suffixes)}; "
            "use load() or mapped()"
        )
    record_input(collection, is_run_input)
    return result


def _parquet_dataset(locations: list[str], **kwargs: Any) -> Any:
    import pyarrow as pa
    import pyarrow.dataset as ds

    protocols = {loc.split("://", 1)[0] if is_remote(loc) else "file" for loc in locations}
    if len(protocols) > 1:
        raise UnsupportedObject(f"open() cannot stream members from {sorted(protocols)} at once")
    fs, _ = filesystem(locations[0])
    inner = [filesystem(loc)[1] for loc in locations]
    if "schema" not in kwargs:
        schemas = [ds.dataset(path, filesystem=fs, format="parquet").schema for path in inner]
        kwargs["schema"] = pa.unify_schemas(schemas, promote_options="permissive")
    return ds.dataset(inner, filesystem=fs, format="parquet", **kwargs)


def mapped(
    collection: Any,
    obs_keys: str | list[str] | None = None,
    join: str | None = "inner",
    layer: str | None = None,
    dtype: Any = None,
    is_run_input: bool | None = None,
) -> Any:
    """A map-style dataset over the AnnData members for torch data loaders (a MappedCollection)."""
    from ..storage.mapped import MappedCollection  # numpy and h5py load only when used

    artifacts = members(collection)
    suffixes = {a.suffix or "" for a in artifacts}
    if not suffixes <= set(ANNDATA_SUFFIXES):
        raise UnsupportedObject(
            f"mapped() reads AnnData members (.h5ad, .zarr); this collection has {sorted(suffixes)}"
        )
    paths = [str(cache_artifact(a, mark_input=False)) for a in artifacts]
    dataset = MappedCollection(paths, obs_keys=obs_keys, join=join, layer=layer, dtype=dtype)
    record_input(collection, is_run_input)
    return dataset


def record_input(collection: Any, is_run_input: bool | None = None) -> None:
    """Link the collection as an input of the current run, unless that run made it."""
    if is_run_input is False or (is_run_input is None and not options.track_run_inputs):
        return
    run = runtime.current_run()
    if run is None:
        if is_run_input:
            log.warning("no run is tracked (call ln.track()); the collection is not an input")
        return
    if collection.id is None or collection.run_id == run.id:
        return
    run_links.add_input("collection", run.id, collection.id)


def describe(target: Any, return_str: bool = False) -> str | None:
    """The collection's tree as in LaminDB (its member hash left out); classes as usual."""
    if isinstance(target, type):
        return describe_mod.describe(target, return_str=return_str)
    tree = describe_mod.record_tree(target)
    tree.fields = [(k, v) for k, v in tree.fields if k != "hash"]
    text = describe_mod.render_text(tree)
    if return_str:
        return text
    print(text)
    return None
