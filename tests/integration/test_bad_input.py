"""Bad input gets a clear error from ln.errors, and nothing is written: no row, no file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import errors


def stored_files(instance: dict) -> list[Path]:
    root = Path(instance["storage"]) / ".lamindb"
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith("lamin")]


@pytest.mark.parametrize(
    "key",
    [
        "/abs/path.parquet",
        "../up.parquet",
        "a//b.parquet",
        "a\\b.parquet",
        "nul\x00.parquet",
        "tab\t.parquet",
    ],
)
def test_invalid_keys_write_nothing(instance: dict, key: str) -> None:
    with pytest.raises(errors.InvalidKey) as info:
        ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key=key)
    assert repr(key)[1:-1][:3] in str(info.value) or key[:3] in str(info.value)
    assert ln.Artifact.filter(branch_id__in=[-1, 0, 1]).count() == 0
    assert stored_files(instance) == []


def test_missing_path(instance: dict, tmp_path: Path) -> None:
    with pytest.raises(errors.InvalidArgument, match="path does not exist: .*nope.csv"):
        ln.Artifact(tmp_path / "nope.csv", key="nope.csv")
    assert ln.Artifact.filter().count() == 0


@pytest.mark.parametrize("obj", [42, {"a": 1}, object(), b"bytes"])
def test_unsupported_objects(instance: dict, obj: object) -> None:
    with pytest.raises(errors.UnsupportedObject, match=type(obj).__name__):
        ln.Artifact(obj, key="x.bin")
    assert ln.Artifact.filter().count() == 0 and stored_files(instance) == []


def test_wrong_types(instance: dict) -> None:
    with pytest.raises(errors.UnsupportedObject, match="expects a DataFrame"):
        ln.Artifact.from_dataframe([1, 2, 3], key="x.parquet")
    with pytest.raises(errors.InvalidArgument, match="description must be a string"):
        ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet", description=5)
    with pytest.raises(errors.InvalidArgument, match="key's suffix '.h5ad' must match"):
        ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.h5ad")
    with pytest.raises(errors.FieldValidationError, match="can be passed, you passed"):
        ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet", colour="red")
    with pytest.raises(errors.InvalidArgument, match="takes a list of records"):
        ln.save(ln.ULabel(name="x"))
    assert ln.Artifact.filter().count() == 0 and ln.ULabel.filter().count() == 0
    assert stored_files(instance) == []


def test_load_of_unknown_suffix_says_what_to_do(instance: dict, tmp_path: Path) -> None:
    f = tmp_path / "blob.xyz"
    f.write_bytes(b"123")
    artifact = ln.Artifact(f, key="blob.xyz").save()
    with pytest.raises(NotImplementedError, match=r"Use .cache\(\) to get the path"):
        artifact.load()


def test_no_instance_gives_clear_error() -> None:
    from lamin_kernel import runtime

    runtime.reset()
    with pytest.raises(errors.InstanceNotSetupError, match="lamin init --storage"):
        ln.Artifact.filter().count()
