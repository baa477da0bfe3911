"""gc.freeze after the first connection: import-time objects leave the collector's way."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import gc, weakref
from lamin_kernel.setup import long_lived
long_lived.freeze_after_setup()
long_lived.freeze_after_setup()  # once per process
frozen = gc.get_freeze_count()

class Node:
    pass

a, b = Node(), Node()
a.other, b.other = b, a  # a cycle made after the freeze
gone = weakref.ref(a)
del a, b
gc.collect()
print(frozen, gone() is None)
"""


def run_probe(**env: str) -> tuple[int, bool]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    ).stdout.split()
    return int(out[0]), out[1] == "True"


def test_freeze_moves_setup_objects_and_later_cycles_are_still_collected() -> None:
    frozen, collected = run_probe(LAMIN_GC_FREEZE="1")
    assert frozen > 10_000  # SQLAlchemy's and the registries' objects
    assert collected


def test_lamin_gc_freeze_0_leaves_the_collector_alone() -> None:
    frozen, collected = run_probe(LAMIN_GC_FREEZE="0")
    assert frozen == 0 and collected


def test_connect_freezes(instance: dict) -> None:
    from lamin_kernel.setup import long_lived

    assert long_lived._frozen or os.environ.get("LAMIN_GC_FREEZE") == "0"


DEFINED_PROBE = """
import gc
import lamin_kernel.models
print(gc.get_freeze_count(), gc.isenabled())
"""


def defined_freeze_count(**env: str) -> tuple[int, bool]:
    out = subprocess.run(
        [sys.executable, "-c", DEFINED_PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    ).stdout.split()
    return int(out[-2]), out[-1] == "True"


def test_registries_are_frozen_once_defined_and_the_collector_is_on() -> None:
    frozen, enabled = defined_freeze_count(LAMIN_GC_FREEZE="1")
    assert frozen > 50_000  # the registry classes, their tables and mappers: not rescanned
    assert enabled


def test_lamin_gc_freeze_0_leaves_the_defined_registries_to_the_collector() -> None:
    frozen, enabled = defined_freeze_count(LAMIN_GC_FREEZE="0")
    assert frozen == 0 and enabled
