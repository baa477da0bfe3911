"""Auth, JSON errors, parameter bounds, whitelists, injection-looking input, files outside storage."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

import lamin_kernel as ln
from lamin_kernel.setup.session import write_transaction
from tests.server.conftest import Fetch

ROUTES = [
    "instance",
    "registries",
    "registries/Artifact/records",
    "registries/Artifact/records/AAAA",
    "lineage/Artifact/AAAA",
    "artifacts/AAAA/preview",
    "artifacts/AAAA/file",
    "runs/AAAA/report",
    "validation-reports?artifact=AAAA",
    "notebook-state?kernel_id=abc",
    "changes",
    "artifacts/AAAA/diff?against=BBBB",
    "artifacts/AAAA/downstream",
    "transforms/AAAA/runs",
    "runs/AAAA/summary",
    "runs/AAAA/environment-diff?other=BBBB",
    "compare-runs?run=AAAA&run=BBBB",
    "files/artifact?path=x.txt",
    "notebook-transform?path=x.ipynb",
    "notebook-cells?path=x.ipynb",
    "artifacts/AAAA/cells",
    "reruns",
    "reruns/AAAA",
]


async def raw_get(client: Any, base_url: str, path: str, headers: dict | None = None) -> Any:
    """A request with a hand-written path (jp_fetch would escape '%' and add the token)."""
    return await client.fetch(
        f"{base_url.rstrip('/')}/lamin/api/{path}", headers=headers or {}, raise_error=False
    )


@pytest.mark.parametrize("path", ROUTES)
async def test_every_route_needs_auth(
    http_server_client: Any, jp_base_url: str, instance: dict, path: str
) -> None:
    response = await raw_get(http_server_client, jp_base_url, path)
    assert response.code == 403
    response = await raw_get(
        http_server_client, jp_base_url, path, {"Authorization": "token wrong-token"}
    )
    assert response.code == 403


def assert_error(status: int, body: Any, code: int, kind: str, *words: str) -> None:
    assert status == code, body
    assert set(body) == {"error"} and body["error"]["type"] == kind
    for word in words:
        assert word in body["error"]["message"]


@pytest.mark.parametrize(
    "parts",
    [
        ("registries", "Nope", "records"),
        ("registries", "JsonValue", "records"),
        ("registries", "Artifact;DROP", "records"),
        ("registries", "Artifact", "records", "AAAAAAAAAAAAAAAAAAAA"),
        ("registries", "ULabel", "records", "zzzzzzzz"),
        ("lineage", "Artifact", "AAAAAAAAAAAAAAAAAAAA"),
        ("lineage", "Nope", "AAAA"),
        ("artifacts", "AAAAAAAAAAAAAAAAAAAA", "preview"),
        ("artifacts", "AAAAAAAAAAAAAAAAAAAA", "file"),
        ("runs", "AAAAAAAAAAAAAAAA", "report"),
        ("no", "such", "route"),
    ],
)
async def test_unknown_registry_record_or_route_is_a_json_404(
    api: Fetch, seeded: dict, parts: tuple[str, ...]
) -> None:
    status, body, _ = await api(*parts)
    assert_error(status, body, 404, "DoesNotExist")


async def test_run_without_report_is_404(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api("runs", seeded["consumer"].uid, "report")
    assert_error(status, body, 404, "DoesNotExist", "no report")


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "1e3"}, "page"),
        ({"page": 10**7}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ([("page", "1"), ("page", "2")], "page"),
    ],
)
async def test_pagination_bounds(api: Fetch, seeded: dict, params: Any, word: str) -> None:
    status, body, _ = await api("registries", "Artifact", "records", params=params)
    assert_error(status, body, 400, "InvalidArgument", word)


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"filter": "hash_type:exact:blake3"}, "hash_type"),  # private column
        ({"filter": "nonexistent:exact:1"}, "nonexistent"),
        ({"filter": "ulabels__description:exact:x"}, "ulabels__description"),  # not a listed path
        ({"filter": "run__transform__source_code:contains:x"}, "run__transform__source_code"),
        ({"filter": "key:regex:.*"}, "regex"),
        ({"filter": "size:contains:1"}, "text fields"),
        ({"filter": "size:gt:abc"}, "integer"),
        ({"filter": "is_latest:exact:maybe"}, "true or false"),
        ({"filter": "created_at:gt:yesterday"}, "ISO"),
        ({"filter": "just-a-value"}, "field:lookup:value"),
        ({"sort": "nonexistent"}, "nonexistent"),
        ({"sort": "ulabels__name"}, "ulabels__name"),
        ({"columns": "key,secret"}, "secret"),
        ({"search": "x" * 201}, "search"),
    ],
)
async def test_fields_outside_the_whitelist_are_400(
    api: Fetch, seeded: dict, params: dict, word: str
) -> None:
    status, body, _ = await api("registries", "Artifact", "records", params=params)
    assert_error(status, body, 400, "InvalidArgument", word)


async def test_json_columns_cannot_be_filtered_or_sorted(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api(
        "registries", "Run", "records", params={"filter": "params:exact:{}"}
    )
    assert_error(status, body, 400, "InvalidArgument", "params")
    status, body, _ = await api("registries", "Run", "records", params={"sort": "params"})
    assert_error(status, body, 400, "InvalidArgument", "params")


INJECTIONS = [
    "' OR '1'='1",
    "x'; DROP TABLE lk_artifact; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "1) OR (1=1",
]


@pytest.mark.parametrize("value", INJECTIONS)
async def test_injection_looking_values_are_just_values(
    api: Fetch, seeded: dict, value: str
) -> None:
    for params in (
        {"filter": f"key:exact:{value}"},
        {"filter": f"key:icontains:{value}"},
        {"filter": f"ulabels__name:in:{value},A"},
        {"search": value},
    ):
        status, body, _ = await api("registries", "Artifact", "records", params=params)
        assert status == 200, (params, body)
        if "filter" in params:
            assert body["total"] == 0, params
    for params in ({"filter": f"id:in:{value}"}, {"sort": value}, {"columns": value}):
        status, body, _ = await api("registries", "Artifact", "records", params=params)
        assert status == 400, (params, body)
    assert ln.Artifact.filter().count() == 6  # nothing was dropped or changed


async def test_bad_lineage_and_preview_parameters(api: Fetch, seeded: dict) -> None:
    uid = seeded["table"].uid
    for params, word in (
        ({"direction": "sideways"}, "direction"),
        ({"depth": 0}, "depth"),
        ({"depth": 11}, "depth"),
    ):
        status, body, _ = await api("lineage", "Artifact", uid, params=params)
        assert_error(status, body, 400, "InvalidArgument", word)
    status, body, _ = await api("lineage", "ULabel", seeded["label"].uid)
    assert_error(status, body, 400, "InvalidArgument", "lineage")
    for rows in (0, 201, "x"):
        status, body, _ = await api("artifacts", uid, "preview", params={"rows": rows})
        assert_error(status, body, 400, "InvalidArgument", "rows")
    status, body, _ = await api("validation-reports")
    assert_error(status, body, 400, "InvalidArgument", "artifact")
    status, body, _ = await api("validation-reports", params={"artifact": uid, "run": uid})
    assert_error(status, body, 400, "InvalidArgument")
    status, body, _ = await api("notebook-state")
    assert_error(status, body, 400, "InvalidArgument", "kernel_id")
    status, body, _ = await api("notebook-state", params={"kernel_id": "../../x"})
    assert_error(status, body, 400, "InvalidArgument")
    status, body, _ = await api("notebook-state", params={"path": "../../../etc/passwd"})
    assert status in (200, 400)  # 400 once tracking reads states; never a file outside root


@pytest.mark.parametrize(
    "path",
    [
        "artifacts/..%2F..%2F..%2Fetc%2Fpasswd/file",
        "artifacts/%2Fetc%2Fpasswd/file",
        "artifacts/..%5C..%5Cwin.ini/file",
        "artifacts/%2E%2E/file",
        "artifacts/../../../../etc/passwd/file",
        "runs/..%2F..%2Fetc%2Fpasswd/report",
        "artifacts/..%2F..%2Fetc%2Fpasswd/preview",
    ],
)
async def test_uids_cannot_name_paths(
    http_server_client: Any, jp_base_url: str, jp_auth_header: dict, seeded: dict, path: str
) -> None:
    response = await raw_get(http_server_client, jp_base_url, path, jp_auth_header)
    assert response.code in (400, 404)
    assert b"root:" not in response.body and b'"error"' in response.body


def point_artifact_at(artifact: ln.Artifact, real_key: str) -> None:
    """What a hostile or corrupted row could hold: a stored key that leaves the storage."""
    model = type(artifact)
    with write_transaction() as session:
        session.execute(
            update(model)
            .where(model.id == artifact.id)
            .values(key_is_virtual=False, real_key=real_key)
        )


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside-secret.txt"
    path.write_text("TOP-SECRET")
    return path


async def test_keys_cannot_leave_storage(
    api: Fetch, seeded: dict, instance: dict, secret: Path
) -> None:
    storage = Path(instance["storage"])
    relative = os.path.relpath(secret, storage)
    assert relative.startswith("..")
    for key in (relative, f"docs/../{relative}", str(secret)):
        point_artifact_at(seeded["text"], key)
        for route in ("file", "preview"):
            status, body, _ = await api("artifacts", seeded["text"].uid, route)
            assert "TOP-SECRET" not in str(body)
            if key.startswith("/"):  # joined below the root: a missing file there
                assert status == (404 if route == "file" else 200)
            else:
                assert_error(status, body, 403, "StorageError", "outside")


async def test_symlinks_out_of_storage_are_refused(api: Fetch, seeded: dict, secret: Path) -> None:
    stored = Path(str(seeded["text"].path))
    stored.unlink()
    stored.symlink_to(secret)
    for route in ("file", "preview"):
        status, body, _ = await api("artifacts", seeded["text"].uid, route)
        assert_error(status, body, 403, "StorageError")
    run = seeded["run"]
    report = Path(str(seeded["report"].path))
    report.unlink()
    report.symlink_to(secret)
    status, body, _ = await api("runs", run.uid, "report")
    assert_error(status, body, 403, "StorageError")


async def test_symlink_inside_storage_is_served(api: Fetch, seeded: dict) -> None:
    stored = Path(str(seeded["text"].path))
    inside = stored.with_name("moved.txt")
    stored.rename(inside)
    stored.symlink_to(inside)
    status, body, _ = await api("artifacts", seeded["text"].uid, "file")
    assert status == 200 and body.startswith(b"hello lamin")


async def test_missing_bytes(api: Fetch, seeded: dict) -> None:
    Path(str(seeded["text"].path)).unlink()
    status, body, _ = await api("artifacts", seeded["text"].uid, "file")
    assert_error(status, body, 404, "DoesNotExist", "missing")
    status, body, _ = await api("artifacts", seeded["text"].uid, "preview")
    assert status == 200 and body["kind"] == "none" and "missing" in body["message"]


async def test_files_are_sandboxed(api: Fetch, seeded: dict) -> None:
    status, body, headers = await api("runs", seeded["run"].uid, "report")
    assert status == 200 and b"<script>" in body  # served as is, but inert:
    assert headers["Content-Security-Policy"] == (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, body, headers = await api("artifacts", seeded["report"].uid, "file")
    assert status == 200 and headers["Content-Security-Policy"].startswith("sandbox;")
    assert headers["X-Content-Type-Options"] == "nosniff"


async def test_no_instance_says_lamin_init(api: Fetch) -> None:
    from lamin_kernel import runtime

    runtime.reset()
    status, body, _ = await api("instance")
    assert_error(status, body, 409, "InstanceNotSetupError", "lamin init")
    status, body, _ = await api("registries", "Artifact", "records")
    assert_error(status, body, 409, "InstanceNotSetupError", "lamin init")
