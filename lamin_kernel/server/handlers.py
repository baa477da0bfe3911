"""Tornado handlers: check the parameters, call one service function off the event loop,
answer JSON (or stream bytes). Errors go through the one mapper in errors.py."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler

from ..errors import DoesNotExist
from . import files, instance, params, preview, records, registries, reports
from .errors import error_response
from .service import Service

# The run report and artifact files are shown in sandboxed frames: no scripts, no requests.
SANDBOX_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def mapped_errors(method: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Answer any exception of a handler as `{"error": {"type", "message"}}`."""

    @functools.wraps(method)
    async def wrapper(self: LaminHandler, *args: str) -> None:
        try:
            await method(self, *args)
        except Exception as exc:
            status, body = error_response(exc)
            if self._headers_written:  # failed mid-stream: the client sees a cut-off body
                self.request.connection.close()
                return
            self.clear()
            self.set_status(status)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(body))

    return wrapper


class LaminHandler(APIHandler):
    """Base of the API's handlers."""

    @property
    def service(self) -> Service:
        return self.settings["lamin_kernel_service"]

    def query(self) -> params.Query:
        return {
            name: self.get_query_arguments(name, strip=False)
            for name in self.request.query_arguments
        }

    async def answer(self, func: Callable[..., Any], *args: Any) -> None:
        self.finish(json.dumps(await self.service.run(func, *args)))


class InstanceHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        await self.answer(instance.instance_info)


class RegistriesHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        await self.answer(registries.list_registries)


class RecordsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, name: str) -> None:
        await self.answer(records.list_records, name, params.record_query(self.query()))


class RecordHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, name: str, uid: str) -> None:
        await self.answer(records.record_detail, name, params.uid(uid))


class LineageHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, name: str, uid: str) -> None:
        direction, depth = params.lineage_options(self.query())
        await self.answer(records.record_lineage, name, params.uid(uid), direction, depth)


class PreviewHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        rows = params.preview_rows(self.query())
        await self.answer(preview.artifact_preview, params.uid(uid), rows, self.base_url)


class ValidationReportsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        artifact, run = params.report_target(self.query())
        await self.answer(reports.validation_reports, artifact, run)


class NotebookStateHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        kernel_id, path = params.notebook_target(self.query())
        root_dir = self.settings.get("server_root_dir", ".")
        await self.answer(reports.notebook_state, kernel_id, path, root_dir)


class BytesHandler(LaminHandler):
    """Streams stored bytes in a sandbox: scripts in them cannot reach the Jupyter API."""

    @property
    def content_security_policy(self) -> str:
        return SANDBOX_CSP

    async def stream(self, func: Callable[[str], files.StoredFile], uid: str) -> None:
        stored = await self.service.run(func, params.uid(uid))
        try:
            self.set_header("Content-Type", stored.content_type)
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Cache-Control", "private, no-store")
            if stored.size is not None:
                self.set_header("Content-Length", str(stored.size))
            while chunk := await self.service.run(files.read_chunk, stored):
                self.write(chunk)
                await self.flush()
        finally:
            stored.close()
        self.finish()


class FileHandler(BytesHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        await self.stream(files.artifact_file, uid)


class ReportHandler(BytesHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        await self.stream(files.run_report, uid)


class NotFoundHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, path: str) -> None:
        raise DoesNotExist(f"no lamin API route '{path[:200]}'; see docs/rest-api.md")
