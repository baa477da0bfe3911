"""The one error mapper: exceptions -> (HTTP status, `{"error": {"type", "message"}}`).

Types are `ln.errors` class names; anything unexpected is a 500 whose details stay in the
server log, so messages never leak internals such as SQL or file paths.
"""

from __future__ import annotations

import logging
from typing import Any

from tornado.web import HTTPError

from .. import errors

log = logging.getLogger("lamin_kernel.server")


class OutsideStorage(errors.StorageError):
    """A stored location that resolves outside its registered storage root."""


class SearchBusy(errors.LaminError):
    """Every search worker is busy and the queue of waiting searches is full."""


# the first matching class decides the status
STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (OutsideStorage, 403),
    (SearchBusy, 503),
    (errors.DoesNotExist, 404),
    (errors.InvalidArgument, 400),
    (errors.ValidationError, 400),
    (errors.MultipleResultsFound, 409),
    (errors.IntegrityError, 409),
    (errors.InstanceNotSetupError, 409),
    (errors.LaminError, 500),
)


def public_type(exc: BaseException) -> str:
    """The nearest `ln.errors` class name of an error."""
    for cls in type(exc).__mro__:
        if cls.__name__ in errors.__all__ and cls.__module__ == errors.__name__:
            return cls.__name__
    return "LaminError"


def error_body(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message}}


def error_response(exc: BaseException) -> tuple[int, dict[str, Any]]:
    """HTTP status and JSON body for an exception raised while answering a request."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            if status == 500:
                log.error("lamin API error", exc_info=exc)
            return status, error_body(public_type(exc), str(exc))
    if isinstance(exc, HTTPError):
        message = exc.log_message or exc.reason or f"HTTP {exc.status_code}"
        return exc.status_code, error_body("HTTPError", message)
    log.error("unexpected error in the lamin API", exc_info=exc)
    return 500, error_body("InternalError", "internal error; see the Jupyter server log")
