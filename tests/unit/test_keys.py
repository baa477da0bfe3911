"""Key rules: relative POSIX paths that cannot leave storage."""

from __future__ import annotations

import pytest

from lamin_kernel.errors import InvalidKey
from lamin_kernel.storage.keys import check_key, suffix_of


@pytest.mark.parametrize(
    "key",
    [
        "a.parquet",
        "my_datasets/rnaseq1.parquet",
        "x/y/z",
        "ünïcode/ß.txt",
        ".hidden/file",
        "a b/c d.csv",
    ],
)
def test_valid_keys_pass(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("", "empty"),
        ("/etc/passwd", "absolute"),
        ("../escape.txt", "'..'"),
        ("a/../../b", "'..'"),
        ("a//b", "empty path segment"),
        ("a/", "empty path segment"),
        ("a\\b", "backslash"),
        ("a\x00b", "control character"),
        ("a\nb", "control character"),
        ("a\x7fb", "control character"),
        ("./a", "'.'"),
        ("s3://bucket/key", "URL"),
        ("x" * 1025, "limit"),
    ],
)
def test_invalid_keys_name_the_key_and_rule(key: str, rule: str) -> None:
    with pytest.raises(InvalidKey) as info:
        check_key(key)
    assert rule in str(info.value)


def test_non_string_key_is_refused() -> None:
    with pytest.raises(InvalidKey, match="must be a string"):
        check_key(42)


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("a.parquet", ".parquet"),
        ("a/b.tar.gz", ".tar.gz"),
        ("folder", ""),
        ("x.h5ad", ".h5ad"),
        (".env", ""),
    ],
)
def test_suffix_of(name: str, suffix: str) -> None:
    assert suffix_of(name) == suffix
