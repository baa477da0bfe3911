"""Jupyter server extension: the REST API under `<base_url>/lamin/api/` (docs/rest-api.md).

Enabled by `jupyter-config/server-config/lamin_kernel.json`, or by hand with
`--ServerApp.jpserver_extensions="{'lamin_kernel.server': True}"`.
"""

from __future__ import annotations

from typing import Any

from .routes import API_PREFIX, add_routes
from .service import Service


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "lamin_kernel.server"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Mount the API; the instance is connected on the first request, not here."""
    add_routes(serverapp.web_app, Service())
    serverapp.log.info(f"lamin_kernel: REST API at {serverapp.base_url}{API_PREFIX}/")


def _unload_jupyter_server_extension(serverapp: Any) -> None:
    service = serverapp.web_app.settings.pop("lamin_kernel_service", None)
    if service is not None:
        service.shutdown()
