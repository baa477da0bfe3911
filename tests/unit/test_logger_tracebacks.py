"""A logged exception keeps its traceback: the server's 500 answer says "see the Jupyter
server log", so the log must name where the error came from."""

from __future__ import annotations

import logging

import pytest


def fail_deep() -> None:
    raise ValueError("the reason")


def test_an_error_logged_with_its_exception_prints_the_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import lamin_kernel.log  # noqa: F401  (installs the handler)

    try:
        fail_deep()
    except ValueError as exc:
        logging.getLogger("lamin_kernel.server").error("unexpected error", exc_info=exc)
    out, err = capsys.readouterr()
    assert "unexpected error" in out
    assert "Traceback" in err
    assert "fail_deep" in err and "ValueError: the reason" in err


def test_a_message_without_an_exception_prints_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import lamin_kernel.log  # noqa: F401

    logging.getLogger("lamin_kernel.server").error("just a message")
    out, err = capsys.readouterr()
    assert "just a message" in out
    assert err == ""
