"""Tornado handlers: check the parameters, call one service function off the event loop,
answer JSON (or stream bytes). Errors go through the one mapper in errors.py."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler

from ..errors import DoesNotExist, InvalidArgument
from . import cells, files, instance, page_data, params, preview, records, registries, reports
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

    def body(self) -> Any:
        """The request's JSON body; anything else is a 400."""
        try:
            return json.loads(self.request.body or b"null")
        except ValueError:
            raise InvalidArgument("the request body is not JSON") from None

    @property
    def root_dir(self) -> str:
        return self.settings.get("server_root_dir", ".")

    async def answer_search(self, func: Callable[..., Any], *args: Any) -> None:
        self.finish(json.dumps(await self.service.run_search(func, *args)))


class InstanceHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        await self.answer(instance.instance_info)

    @tornado.web.authenticated
    @mapped_errors
    async def post(self) -> None:
        body = self.body()
        storage = params.file_path(body.get("storage") if isinstance(body, dict) else None)
        created = await self.service.run_unconnected(
            instance.create_instance, storage, self.root_dir
        )
        self.set_status(201)
        self.finish(json.dumps(created))


class RegistriesHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        await self.answer(registries.list_registries)


class RecordsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, name: str) -> None:
        query = params.record_query(self.query())
        answer = self.answer_search if query.search else self.answer
        await answer(records.list_records, name, query)


class RecordHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, name: str, uid: str) -> None:
        await self.answer(records.record_detail, name, params.uid(uid), self.root_dir)


class LineageHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, name: str, uid: str) -> None:
        direction, depth, cells = params.lineage_options(self.query())
        await self.answer(records.record_lineage, name, params.uid(uid), direction, depth, cells)


class PreviewHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        offset, rows = params.preview_window(self.query())
        await self.answer(preview.artifact_preview, params.uid(uid), offset, rows, self.base_url)


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


class ChangesHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        await self.answer(page_data.changes)


class ArtifactDiffHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        against = params.other_uid(self.query(), "against")
        await self.answer(page_data.artifact_diff, params.uid(uid), against)


class DownstreamHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        await self.answer(page_data.artifact_downstream, params.uid(uid))


class ArtifactEditHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def patch(self, uid: str) -> None:
        edit = params.artifact_edit(self.body())
        await self.answer(page_data.edit_artifact, params.uid(uid), edit)


class TransformRunsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        await self.answer(page_data.transform_runs, params.uid(uid))


class RunSummaryHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        await self.answer(page_data.run_overview, params.uid(uid))


class EnvironmentDiffHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        other = params.other_uid(self.query(), "other")
        await self.answer(page_data.run_environment_diff, params.uid(uid), other)


class RerunJobsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        await self.answer(self.service.reruns.latest)

    @tornado.web.authenticated
    @mapped_errors
    async def post(self) -> None:
        kind, target, check = params.rerun_request(self.body())
        job = await self.service.run(self.service.reruns.start, kind, target, check)
        self.set_status(202)
        self.finish(json.dumps(job))


class RerunJobHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, job_id: str) -> None:
        self.finish(json.dumps(self.service.reruns.get(params.uid(job_id, "job id"))))

    @tornado.web.authenticated
    @mapped_errors
    async def delete(self, job_id: str) -> None:
        self.finish(json.dumps(self.service.reruns.cancel(params.uid(job_id, "job id"))))


class CompareRunsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        await self.answer(page_data.compared_runs, params.run_uids(self.query()))


class FileArtifactHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        path = params.file_path(params.single(self.query(), "path"))
        await self.answer(page_data.file_artifact, path, self.root_dir)

    @tornado.web.authenticated
    @mapped_errors
    async def post(self) -> None:
        body = self.body()
        path = params.file_path(body.get("path") if isinstance(body, dict) else None)
        self.set_status(201)
        await self.answer(page_data.register_file, path, self.root_dir)


class NotebookTransformHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        path = params.file_path(params.single(self.query(), "path"))
        await self.answer(page_data.notebook_transform, path)


class NotebookCellsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self) -> None:
        path, run = params.notebook_cells_target(self.query())
        await self.answer(cells.notebook_cell_links, path, run, self.root_dir)


class ArtifactCellsHandler(LaminHandler):
    @tornado.web.authenticated
    @mapped_errors
    async def get(self, uid: str) -> None:
        await self.answer(cells.artifact_cell_links, params.uid(uid), self.root_dir)


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
