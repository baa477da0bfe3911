"""``lamin load KEY|UID``: a transform's latest source written back to a file, to start a new version.

A notebook comes back as the ``.ipynb`` stored by its latest finished run (outputs
included, as it was saved); without one, and for scripts, the stored source is written.
``track()`` in the file finds the transform by its name (or the uid in its ``ln.track()``
call), and once the code changes the next run makes a new version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import log
from ..errors import DoesNotExist, InvalidArgument
from ..models import Artifact, Run, Transform
from .run_files import RUN_FILE_KIND
from .target import STEM_LENGTH


def find_transform(key_or_uid: str) -> Any:
    """The latest version of the transform with this uid (or stem), else with this key."""
    if len(key_or_uid) in (STEM_LENGTH, STEM_LENGTH + 4) and key_or_uid.isalnum():
        found = Transform.filter(uid__startswith=key_or_uid[:STEM_LENGTH]).order_by("-id")
        exact = found.filter(uid=key_or_uid).first() if len(key_or_uid) > STEM_LENGTH else None
        transform = exact or found.filter(is_latest=True).first() or found.first()
        if transform is not None:
            return transform
    by_key = Transform.filter(key=key_or_uid).order_by("-id")
    transform = by_key.filter(is_latest=True).first() or by_key.first()
    if transform is None:
        raise DoesNotExist(f"no transform has the key or uid '{key_or_uid}'")
    return transform


def stored_notebook(transform: Any) -> Any | None:
    """The notebook file saved by the transform's latest run that saved one."""
    run_ids = [run.id for run in Run.filter(transform_id=transform.id)]
    if not run_ids:
        return None
    query = Artifact.filter(run_id__in=run_ids, kind=RUN_FILE_KIND, suffix=".ipynb")
    return query.order_by("-id").first()


def load_source(key_or_uid: str, output: str | Path | None = None, force: bool = False) -> Path:
    """Write the transform's latest source to ``output`` (default: its key's file name here)."""
    transform = find_transform(key_or_uid)
    data, name = _source_bytes(transform)
    target = Path(output).expanduser() if output is not None else Path.cwd() / name
    if target.exists() and target.read_bytes() != data and not force:
        raise InvalidArgument(f"{target} exists and differs; pass --force or choose -o PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    log.success(
        f"wrote the source of Transform('{transform.uid}', key='{transform.key}') to {target}"
    )
    return target


def _source_bytes(transform: Any) -> tuple[bytes, str]:
    name = Path(transform.key or transform.uid).name
    if transform.kind == "notebook":
        notebook = stored_notebook(transform)
        if notebook is not None:
            return Path(str(notebook.cache(mark_input=False))).read_bytes(), name
        name = Path(name).with_suffix(".py").name
    if transform.source_code is None:
        raise DoesNotExist(
            f"Transform('{transform.uid}') has no stored source: run ln.finish() or lamin save first"
        )
    return transform.source_code.encode("utf-8"), name
