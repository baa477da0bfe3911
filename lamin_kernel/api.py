"""Functions of the public namespace that span registries: save, view, connect, settings."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from . import log, models
from .errors import IntegrityError, InvalidArgument
from .models.base import BaseSQLRecord
from .query.queryset import QuerySet
from .records.persist import save_records
from .setup import other_instances, settings_files
from .setup import public as setup_public
from .setup.default_storage import root_of, switch_default_storage
from .setup.options import AnnotationSettings, CreationSettings, options
from .setup.session import connection, default_storage
from .setup.setup_settings import settings as setup_settings
from .setup.storage_roots import is_remote
from .setup.storage_settings import StorageSettings

CORE_REGISTRIES = (
    "Artifact",
    "Collection",
    "Feature",
    "JsonValue",
    "Project",
    "Record",
    "Reference",
    "Run",
    "Schema",
    "Storage",
    "Transform",
    "ULabel",
)


def save(
    records: Iterable[Any],
    ignore_conflicts: bool | None = False,
    batch_size: int = 10000,
    using: str | None = None,
) -> list[Any]:
    """Save many records at once: new ones in one bulk insert per registry and batch.

    `batch_size` bounds how many records one insert carries; `using` names another
    instance to save them into instead of the connected one.
    """
    if isinstance(records, models.SQLRecord) or not isinstance(records, Iterable):
        raise InvalidArgument("ln.save() takes a list of records; use record.save() for one")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidArgument(f"batch_size must be a positive integer, got {batch_size!r}")
    items = list(records)
    for item in items:
        if not isinstance(item, BaseSQLRecord):  # link rows are records too
            raise InvalidArgument(f"ln.save() got a {type(item).__name__}, not a record")
    with other_instances.using_instance(using):
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            try:
                save_records(batch)
            except IntegrityError:
                if not ignore_conflicts:
                    raise
                _save_each_ignoring_conflicts(batch)
    return items


def _save_each_ignoring_conflicts(records: list[Any]) -> None:
    """ignore_conflicts=True: records that break a unique rule are left unsaved."""
    for record in records:
        try:
            save_records([record])
        except IntegrityError:
            log.debug(f"ignored a conflicting record: {record!r}")


def view(
    *,
    limit: int = 7,
    modules: str | None = None,
    registries: Iterable[str] | None = None,
    df: Any = None,
) -> None:
    """Print the latest `limit` rows of every registry that has any.

    `modules="core"` or `"bionty"` narrows to one module's registries, `registries` to
    registries by name; `df` prints that DataFrame instead.
    """
    conn = connection()
    print_latest_rows(
        conn,
        set(conn.settings.modules),
        limit=limit,
        modules=modules,
        registries=registries,
        df=df,
    )


def print_latest_rows(
    conn: Any,
    instance_modules: set[str],
    *,
    limit: int = 7,
    modules: str | None = None,
    registries: Iterable[str] | None = None,
    df: Any = None,
) -> None:
    """`ln.view` over the instance of `conn` (the connected one or another, `ln.DB(...)`)."""
    if df is not None:
        print(df.head(limit).to_string(max_colwidth=40))
        return
    for title, model in _viewed_registries(modules, registries, instance_modules):
        frame = QuerySet(model, conn).order_by("-id").to_dataframe(limit=limit)
        if len(frame):
            print(title)
            print(frame.to_string(max_colwidth=40))


def _viewed_registries(
    modules: str | None, registries: Iterable[str] | None, instance_modules: set[str]
) -> list[tuple[str, type]]:
    """(title, registry) for ln.view: core's, then the bionty module's if the instance has it."""
    wanted = None if modules is None else {m.strip() for m in modules.split(",")}
    known = {"core", "bionty"}
    if wanted is not None and not wanted <= known:
        raise InvalidArgument(
            f"unknown module {', '.join(sorted(wanted - known))!r} for ln.view; "
            f"modules: {', '.join(sorted(known))}"
        )
    chosen: list[tuple[str, type]] = []
    if wanted is None or "core" in wanted:
        chosen += [(name, getattr(models, name)) for name in CORE_REGISTRIES]
    in_instance = "bionty" in instance_modules
    if in_instance and (wanted is None or "bionty" in wanted):
        from .bionty.registry import REGISTRIES as BIONTY_REGISTRIES

        chosen += [(f"bionty.{name}", model) for name, model in BIONTY_REGISTRIES.items()]
    if registries is not None:
        names = set(registries)
        chosen = [(t, m) for t, m in chosen if m.__name__ in names or t in names]
    return chosen


def connect(instance: str | None = None, **kwargs: Any) -> None:
    """Connect this process to an instance by name or owner/name (LaminDB's `ln.connect`)."""
    setup_public.connect(instance, **kwargs)


class Settings:
    """ln.settings: default storage, verbosity, creation and run-input options of this process."""

    track_run_inputs = property(
        lambda self: options.track_run_inputs,
        lambda self, value: setattr(options, "track_run_inputs", bool(value)),
        doc="Link loaded artifacts and collections as inputs of the tracked run (default True).",
    )
    verify_reads = property(
        lambda self: options.verify_reads,
        lambda self, value: setattr(options, "verify_reads", bool(value)),
        doc="Hash every artifact that load() and cache() read and compare it with its row "
        "(default False: only reads whose size or modification time differ from the row).",
    )

    @property
    def creation(self) -> CreationSettings:
        """How records are created, e.g. `ln.settings.creation.search_names = False`."""
        return options.creation

    @property
    def annotation(self) -> AnnotationSettings:
        return options.annotation

    @property
    def instance(self) -> settings_files.InstanceSettings:
        return connection().settings

    @property
    def instance_uid(self) -> str:
        return connection().settings.uid

    @property
    def user(self) -> settings_files.UserSettings:
        return settings_files.load_user_settings()

    @property
    def storage(self) -> StorageSettings:
        """The storage new artifacts are written to; assign a root to switch it."""
        return default_storage()

    @storage.setter
    def storage(self, root: Any) -> None:
        switch_default_storage(root)

    @property
    def local_storage(self) -> StorageSettings:
        """The default storage when it is a local folder."""
        current = self.storage
        if current.type_is_cloud:
            raise InvalidArgument(
                f"the default storage {current.root_as_str} is not local; set a folder with "
                "ln.settings.local_storage = PATH"
            )
        return current

    @local_storage.setter
    def local_storage(self, root: Any) -> None:
        normalized, _ = root_of(root)
        if is_remote(normalized):
            raise InvalidArgument(f"local_storage takes a folder, not {normalized}")
        switch_default_storage(root)

    @property
    def cache_dir(self) -> Any:
        return setup_settings.cache_dir

    @property
    def sync_git_repo(self) -> str | None:
        """A git repository that tracked scripts are looked up in (LAMINDB_SYNC_GIT_REPO)."""
        return self._sync_git_repo or os.environ.get("LAMINDB_SYNC_GIT_REPO")

    @sync_git_repo.setter
    def sync_git_repo(self, value: str | None) -> None:
        if value is not None and not str(value).startswith("https://"):
            raise InvalidArgument("git repository URL must start with 'https://'.")
        self._sync_git_repo = None if value is None else str(value).removesuffix(".git")

    _sync_git_repo: str | None = None

    @property
    def verbosity(self) -> str:
        """error, warning, success, info (default), hint or debug."""
        return VERBOSITY_NAMES[log.verbosity()]

    @verbosity.setter
    def verbosity(self, value: str | int) -> None:
        if isinstance(value, str) and value in log.LEVELS:
            log.set_verbosity(log.LEVELS[value])
        elif isinstance(value, int) and not isinstance(value, bool) and value in VERBOSITY_NAMES:
            log.set_verbosity(value)
        else:
            raise InvalidArgument(
                f"verbosity {value!r} is not one of {', '.join(log.LEVELS)} (or 0-5)"
            )

    def __repr__(self) -> str:
        lines = [
            "Settings",
            f"  instance: {self.instance_uid}",
            f"  storage: {self.storage.root_as_str}",
            f"  verbosity: {self.verbosity}",
            f"  track_run_inputs: {self.track_run_inputs}",
        ]
        if self.sync_git_repo:
            lines.append(f"  sync_git_repo: {self.sync_git_repo.rsplit('/', 1)[-1]}")
        return "\n".join(lines)


VERBOSITY_NAMES = {level: name for name, level in log.LEVELS.items()}

settings = Settings()
