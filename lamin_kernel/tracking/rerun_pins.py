"""Input versions pinned for a rerun: in ``lamin rerun``'s child process, queries return the
version the original run read instead of a newer one of the same family (``query.pins``)."""

from __future__ import annotations

import json
import os

from .. import runtime
from ..query.pins import PINNED_VERSION

PINS_ENV = "LAMIN_KERNEL_RERUN_PINS"  # {"Artifact:<uid stem>": uid}
STEM_LENGTH = 16


def pin_key(registry: str, uid: str) -> str:
    return f"{registry}:{uid[:STEM_LENGTH]}"


def register_pins() -> None:
    """Register the pins given in the environment (nothing when there are none)."""
    text = os.environ.get(PINS_ENV)
    if not text:
        return
    pins: dict[str, str] = json.loads(text)

    def pinned(registry: str, uid: str) -> str | None:
        return pins.get(pin_key(registry, uid))

    runtime.add_hook(PINNED_VERSION, pinned)
