"""Instances through the `lamin` CLI: init, info, connect, login, delete, settings files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

LAMIN = [sys.executable, "-m", "lamin_kernel.cli"]


def run(
    args: list[str], env_dir: Path, check: bool = True, **kwargs
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "LAMIN_SETTINGS_DIR": str(env_dir / "settings"),
        "LAMIN_CACHE_DIR": str(env_dir / "cache"),
    }
    kwargs.setdefault("cwd", env_dir)
    out = subprocess.run(args, capture_output=True, text=True, env=env, **kwargs)
    if check and out.returncode != 0:
        raise AssertionError(out.stdout + out.stderr)
    return out


def test_init_makes_the_instance_current_in_later_processes(tmp_path: Path) -> None:
    out = run([*LAMIN, "init", "--storage", str(tmp_path / "lamindb-tutorial")], tmp_path)
    assert "initialized lamindb: anonymous/lamindb-tutorial" in out.stdout
    assert (tmp_path / "lamindb-tutorial" / ".lamindb" / "lamin.db").exists()
    code = "import lamin_kernel as ln; print(ln.Artifact.filter().count()); print(ln.settings.instance.slug)"
    out = run([sys.executable, "-c", code], tmp_path)
    assert out.stdout.splitlines()[-2:] == ["0", "anonymous/lamindb-tutorial"]
    assert "connected lamindb: anonymous/lamindb-tutorial" in out.stdout
    info = run([*LAMIN, "info"], tmp_path).stdout
    assert "instance: anonymous/lamindb-tutorial" in info and "sqlite:///" in info
    settings_files = list((tmp_path / "settings").rglob("*.json"))
    assert settings_files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in settings_files)
    assert all("lamin_kernel" in p.parts for p in settings_files)


def test_connect_login_and_delete(tmp_path: Path) -> None:
    run([*LAMIN, "init", "--storage", str(tmp_path / "one")], tmp_path)
    run([*LAMIN, "init", "--storage", str(tmp_path / "two"), "--name", "second"], tmp_path)
    assert "anonymous/second" in run([*LAMIN, "info"], tmp_path).stdout
    # init made tmp_path the development directory of 'second': a global connect is refused
    refused = run([*LAMIN, "connect", "one"], tmp_path, check=False)
    assert refused.returncode == 1 and "dev-dir of instance anonymous/second" in refused.stderr
    run([*LAMIN, "connect", "one", "--here"], tmp_path)
    assert "anonymous/one" in run([*LAMIN, "info"], tmp_path).stdout
    run([*LAMIN, "login", "testuser"], tmp_path)
    code = "import lamin_kernel as ln; l = ln.ULabel(name='x').save(); print(l.created_by_id, ln.User.get(l.created_by_id).handle)"
    assert run([sys.executable, "-c", code], tmp_path).stdout.split()[-1] == "testuser"
    refused = run([*LAMIN, "delete", "second"], tmp_path, check=False, input="n\n")
    assert refused.returncode != 0 and (tmp_path / "two" / ".lamindb" / "lamin.db").exists()
    run([*LAMIN, "delete", "second", "--force"], tmp_path)
    assert not (tmp_path / "two" / ".lamindb" / "lamin.db").exists()
    missing = run([*LAMIN, "connect", "second"], tmp_path, check=False)
    assert missing.returncode == 1 and "no instance named 'second'" in missing.stderr


def test_s3_storage_keeps_sqlite_in_settings_and_says_so(tmp_path: Path, s3_server) -> None:
    from tests.conftest import new_bucket

    bucket = new_bucket(s3_server)
    run([*LAMIN, "init", "--storage", bucket], tmp_path)
    info = run([*LAMIN, "info"], tmp_path).stdout
    assert "local to this machine" in info
    assert str(tmp_path / "settings") in info


def test_postgres_password_is_hidden(tmp_path: Path, postgres) -> None:
    url = postgres.create_database("lk_cli_pw").replace("postgres@", "postgres:secretpw@")
    run([*LAMIN, "init", "--storage", str(tmp_path / "pg"), "--db", url, "--name", "pg"], tmp_path)
    info = run([*LAMIN, "info"], tmp_path).stdout
    assert "secretpw" not in info and "postgres:***@" in info
    marker = json.loads((tmp_path / "pg" / ".lamindb" / "lamin_kernel_instance.json").read_text())
    assert "secretpw" not in json.dumps(marker)


def test_bad_instance_names_and_modules(tmp_path: Path) -> None:
    bad = run(
        [*LAMIN, "init", "--storage", str(tmp_path / "x"), "--name", "a b"], tmp_path, check=False
    )
    assert bad.returncode == 1 and "instance name 'a b' is not valid" in bad.stderr
    bad = run(
        [*LAMIN, "init", "--storage", str(tmp_path / "y"), "--modules", "nope"],
        tmp_path,
        check=False,
    )
    assert bad.returncode == 1 and "unknown module" in bad.stderr


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".json", ".txt"])
def test_load_by_suffix(instance: dict, tmp_path: Path, suffix: str) -> None:
    import lamin_kernel as ln

    path = tmp_path / f"data{suffix}"
    content = {".csv": "i,a\n0,1\n", ".tsv": "i\ta\n0\t1\n", ".json": '{"a": 1}', ".txt": "hello"}
    path.write_text(content[suffix])
    loaded = ln.Artifact(path, key=f"data{suffix}").save().load()
    if suffix in (".csv", ".tsv"):
        assert loaded["a"].tolist() == [1]
    elif suffix == ".json":
        assert loaded == {"a": 1}
    else:
        assert loaded == "hello"
