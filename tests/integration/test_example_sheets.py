"""The example sheets of `ln.examples.fixtures.sheets` build on a fresh instance and read back
as LaminDB's examples do."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.examples.fixtures.sheets import compound_treatment_sheets, nextflow_samplesheet
from lamin_kernel.setup import instance as setup_instance


@pytest.fixture
def with_bionty(instance: dict) -> dict:
    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])
    return instance


def test_compound_treatment_sheets_read_back(with_bionty: dict) -> None:
    with compound_treatment_sheets() as (treatments, samples):
        frame = ln.Record.filter(type=treatments).to_dataframe(include="features")
        assert frame["__lamindb_record_name__"].tolist() == ["treatment1", "treatment2"]
        assert frame["compound"].tolist() == ["drug1", "drug2"]
        assert frame["concentration"].tolist() == ["2nM", "4nM"]
        df = samples.to_dataframe(features=["cell_line", "treatment"])
        assert df.index.name == "name" and df.index.tolist() == ["Sample 1", "Sample 2"]
        assert df["cell_line"].tolist() == ["HEK293T", "HEK293T"]
        assert df["treatment"].tolist() == ["treatment1", "treatment2"]
        full = samples.to_dataframe()
        assert full["id"].tolist() == [1, 2] and full["uid"].tolist() == ["S1", "S2"]
        assert full["preparation_date"].iloc[0] == pd.Timestamp("2025-06-01 05:00:00")
    assert not ln.Record.filter(name="treatment1").exists()  # removed on exit


def test_nextflow_samplesheet_exports(with_bionty: dict) -> None:
    with nextflow_samplesheet() as sheet:
        df = sheet.to_dataframe()
        assert df["sample"].tolist() == ["Sample_X", "Sample_Y", "Sample_Y"]
        assert df["expected_cells"].tolist() == [5000] * 3
        assert df["__lamindb_record_name__"].isna().all()
        assert df["fastq_1"].iloc[2].endswith("Sample_Y_S1_L002_R1_001.fastq.gz")
        artifact = sheet.to_artifact()
        header = artifact.path.read_text().splitlines()[0]
        assert header.startswith("sample,fastq_1,fastq_2,expected_cells,seq_center,")
        artifact.delete(permanent=True)
