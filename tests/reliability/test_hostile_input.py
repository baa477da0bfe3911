"""Property-based and hostile input: keys, lookups, names, corrupted files. Clear errors, no writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lamin_kernel as ln
from lamin_kernel import errors, models
from lamin_kernel.query.lookups import build_condition
from lamin_kernel.storage.keys import check_key

ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=["Cs"]), max_size=300)


@given(ANY_TEXT)
@settings(max_examples=500, deadline=None)
def test_key_rules_accept_only_safe_relative_paths(key: str) -> None:
    try:
        checked = check_key(key)
    except errors.InvalidKey as exc:
        assert str(exc)
        return
    parts = checked.split("/")
    assert not checked.startswith("/") and ".." not in parts and "" not in parts
    assert not any(ord(c) < 32 or ord(c) == 127 for c in checked) and "\\" not in checked


@given(st.text(max_size=60), st.one_of(st.none(), st.integers(), ANY_TEXT, st.lists(st.integers())))
@settings(max_examples=400, deadline=None)
def test_lookup_parser_never_crashes_unexpectedly(expression: str, value: object) -> None:
    try:
        build_condition(models.Artifact, expression, value)
    except errors.FieldValidationError as exc:
        assert str(exc)


@pytest.mark.backends("sqlite-local", "postgres-local")
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=ANY_TEXT.filter(lambda s: s.strip() != "" and "\x00" not in s),
    description=ANY_TEXT.filter(lambda s: "\x00" not in s),
)
def test_any_unicode_name_round_trips(instance: dict, name: str, description: str) -> None:
    label = ln.ULabel(name=name[:150], description=description).save()
    again = ln.ULabel.get(label.uid)
    assert again.name == name[:150] and again.description == description
    assert ln.ULabel.filter(name=name[:150]).count() >= 1


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_nul_characters_are_refused_everywhere(instance: dict) -> None:
    with pytest.raises(errors.InvalidArgument, match="ULabel.name contains a NUL"):
        ln.ULabel(name="a\x00b").save()
    with pytest.raises(errors.InvalidArgument, match="NUL"):
        ln.save([ln.ULabel(name="ok"), ln.ULabel(name="bad\x00")])
    with pytest.raises(errors.InvalidArgument, match="description contains a NUL"):
        ln.Artifact.from_dataframe(
            pd.DataFrame({"a": [1]}), key="n.parquet", description="x\x00"
        ).save()
    assert ln.ULabel.filter().count() == 0 and ln.Artifact.filter().count() == 0


def test_huge_strings(instance: dict) -> None:
    big = "x" * 2_000_000
    label = ln.ULabel(name="big", description=big).save()
    assert len(ln.ULabel.get(label.uid).description) == 2_000_000
    with pytest.raises(errors.InvalidKey, match="limit is 1024"):
        ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="k" * 5000)
    assert ln.Artifact.filter().count() == 0


@pytest.mark.parametrize("suffix", [".parquet", ".h5ad"])
def test_truncated_files_fail_to_load_clearly(instance: dict, tmp_path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        artifact = ln.Artifact.from_dataframe(
            pd.DataFrame({"a": range(1000)}), key=f"t{suffix}"
        ).save()
    else:
        adata = ln.examples.datasets.mini_immuno.get_dataset1(otype="AnnData")
        artifact = ln.Artifact.from_anndata(adata, key=f"t{suffix}").save()
    path = Path(str(artifact.path))
    truncated = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(truncated)
    # stored bytes cut behind the registry's back: the read check names the artifact
    with pytest.raises(errors.IntegrityError, match=f"artifact {artifact.uid}"):
        artifact.load()
    # a truncated file saved as it is: the reader says what it could not load
    (tmp_path / f"cut{suffix}").write_bytes(truncated)
    cut = ln.Artifact(str(tmp_path / f"cut{suffix}"), key=f"cut{suffix}").save()
    with pytest.raises(errors.StorageError, match=f"could not load .*{suffix}"):
        cut.load()


def test_garbage_bytes_with_a_known_suffix(instance: dict, tmp_path: Path) -> None:
    bad = tmp_path / "garbage.parquet"
    bad.write_bytes(b"\x00\xffnot parquet at all" * 10)
    artifact = ln.Artifact(bad, key="garbage.parquet").save()
    with pytest.raises(errors.StorageError, match="could not load"):
        artifact.load()


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=10,
)


@given(
    dtype=st.sampled_from(
        ["str", "int", "float", "num", "bool", "date", "datetime", "dict", "list[int]", "list[str]"]
    ),
    value=JSONISH,
)
@settings(max_examples=600, deadline=None)
def test_feature_value_checks_accept_or_explain(dtype: str, value: object) -> None:
    from lamin_kernel.curation.dtype_values import check_value
    from lamin_kernel.curation.dtypes import parse_dtype

    try:
        checked = check_value(parse_dtype(dtype), value)
    except ValueError as exc:
        assert str(exc).startswith(("is not", "has unknown"))
        return
    kind = dtype.split("[")[0]
    expected = {
        "str": str,
        "int": int,
        "float": float,
        "bool": bool,
        "date": str,
        "datetime": str,
        "dict": dict,
        "list": list,
        "num": (int, float),
    }[kind]
    assert isinstance(checked, expected)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=JSONISH)
def test_feature_values_of_the_wrong_type_write_nothing(instance: dict, value: object) -> None:
    feature = (
        ln.Feature.filter(name="temperature").one_or_none()
        or ln.Feature(name="temperature", dtype=float).save()
    )
    artifact = (
        ln.Artifact.filter(key="v.parquet").one_or_none()
        or ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="v.parquet").save()
    )
    before = ln.JsonValue.filter().count()
    try:
        artifact.features.add_values({"temperature": value})
    except errors.ValidationError as exc:
        assert "temperature" in str(exc)
        assert ln.JsonValue.filter().count() == before
    else:

        def number(v: object) -> bool:
            return isinstance(v, int | float) and not isinstance(v, bool)

        # None and empty containers add nothing (as in LaminDB), also as items of a list; a
        # list adds several values
        if value is None or (isinstance(value, dict | list) and not value):
            assert ln.JsonValue.filter().count() == before
        assert (
            value is None
            or (isinstance(value, dict | list) and not value)
            or number(value)
            or (isinstance(value, list) and all(v is None or number(v) for v in value))
        )
    del feature


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b'{"cells": "nope"}',
        b"\x00\xff\xfe",
        b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
    ],
)
def test_malformed_notebooks_given_to_lamin_save(
    instance: dict, tmp_path: Path, content: bytes
) -> None:
    import os
    import subprocess
    import sys

    bad = tmp_path / "bad.ipynb"
    bad.write_bytes(content)
    out = subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", "save", str(bad)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "bad.ipynb" in out.stderr and "Traceback" not in out.stderr
    from lamin_kernel import runtime

    runtime.reset()
    assert ln.Transform.filter().count() == 0 and ln.Artifact.filter().count() == 0
