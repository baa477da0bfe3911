"""The one route table of the API, mounted under `<base_url>/lamin/api/` (docs/rest-api.md)."""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join

from . import handlers as h
from .service import Service

API_PREFIX = "lamin/api"
SEGMENT = r"([^/]+)"

ROUTES: list[tuple[str, type[h.LaminHandler]]] = [
    ("instance", h.InstanceHandler),
    ("registries", h.RegistriesHandler),
    (f"registries/{SEGMENT}/records", h.RecordsHandler),
    (f"registries/{SEGMENT}/records/{SEGMENT}", h.RecordHandler),
    (f"lineage/{SEGMENT}/{SEGMENT}", h.LineageHandler),
    (f"artifacts/{SEGMENT}", h.ArtifactEditHandler),
    (f"artifacts/{SEGMENT}/preview", h.PreviewHandler),
    (f"artifacts/{SEGMENT}/diff", h.ArtifactDiffHandler),
    (f"artifacts/{SEGMENT}/downstream", h.DownstreamHandler),
    (f"artifacts/{SEGMENT}/cells", h.ArtifactCellsHandler),
    (f"transforms/{SEGMENT}/runs", h.TransformRunsHandler),
    (f"runs/{SEGMENT}/summary", h.RunSummaryHandler),
    (f"runs/{SEGMENT}/environment-diff", h.EnvironmentDiffHandler),
    ("reruns", h.RerunJobsHandler),
    (f"reruns/{SEGMENT}", h.RerunJobHandler),
    ("compare-runs", h.CompareRunsHandler),
    ("changes", h.ChangesHandler),
    ("files/artifact", h.FileArtifactHandler),
    ("notebook-transform", h.NotebookTransformHandler),
    ("notebook-cells", h.NotebookCellsHandler),
    (f"artifacts/{SEGMENT}/file", h.FileHandler),
    (f"runs/{SEGMENT}/report", h.ReportHandler),
    ("validation-reports", h.ValidationReportsHandler),
    ("notebook-state", h.NotebookStateHandler),
    ("(.*)", h.NotFoundHandler),  # anything else under the prefix: a JSON 404
]


def add_routes(web_app: Any, service: Service) -> None:
    """Register every route of the table with the web app, sharing one service."""
    base = url_path_join(web_app.settings["base_url"], API_PREFIX)
    web_app.settings["lamin_kernel_service"] = service
    web_app.add_handlers(".*$", [(url_path_join(base, path), handler) for path, handler in ROUTES])
