"""Timings of the bionty targets (issue 4, point 6), printed rather than asserted.

CL ready                     a fresh parse, then from the parquet cache
validate 60,000 Ensembl ids  against the public source and against the Gene registry
from_values 20,000 genes     new records from the public source, then saving them
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import lamin_kernel as ln
import lamin_kernel.bionty as bt
from lamin_kernel.bionty.public import PublicOntology
from lamin_kernel.setup import instance as setup_instance


@contextmanager
def timed(label: str, report: Callable[[str], None]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report(f"{label:<52} {time.perf_counter() - start:7.3f} s")


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_bionty_timings(instance: dict, capsys: pytest.CaptureFixture) -> None:
    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])
    lines: list[str] = [f"bionty timings on {instance['backend']}:"]
    with timed("CL ready (first parse, then written to the cache)", lines.append):
        n_terms = len(PublicOntology("CellType").table)
    with timed("CL ready (from the parquet cache)", lines.append):
        assert len(PublicOntology("CellType").table) == n_terms
    genes = bt.Gene.public(organism="human")
    ids: list[Any] = list(genes.table.index[:60_000])
    with timed("validate 60,000 Ensembl ids (public source)", lines.append):
        assert genes.validate(ids, "ensembl_gene_id").all()
    with timed("from_values 20,000 genes (new, from the public source)", lines.append):
        records = bt.Gene.from_values(ids[:20_000], bt.Gene.ensembl_gene_id, mute=True)
    assert len(records) == 20_000
    with timed("ln.save() of those 20,000 genes", lines.append):
        ln.save(records)
    with timed("validate 60,000 Ensembl ids (Gene registry)", lines.append):
        assert bt.Gene.validate(ids, bt.Gene.ensembl_gene_id, mute=True).sum() == 20_000
    with timed("from_values 20,000 genes (all in the registry)", lines.append):
        assert len(bt.Gene.from_values(ids[:20_000], bt.Gene.ensembl_gene_id, mute=True)) == 20_000
    with capsys.disabled():
        print("\n" + "\n".join(lines))
