"""The bionty registry classes and their relations, without a database."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import inspect

import lamin_kernel as ln
import lamin_kernel.bionty as bt
from lamin_kernel.bionty.drawing import HierarchyView
from lamin_kernel.bionty.guard import mentions_bionty, root_table
from lamin_kernel.bionty.links import ARTIFACT_RELATIONS, WITH_PARENTS

ENTITIES = [
    "Organism",
    "Gene",
    "Protein",
    "CellMarker",
    "CellType",
    "CellLine",
    "Tissue",
    "Disease",
    "Phenotype",
    "Pathway",
    "ExperimentalFactor",
    "DevelopmentalStage",
    "Ethnicity",
]


def test_registries_and_their_tables() -> None:
    assert set(bt.REGISTRIES) == {*ENTITIES, "Source"}
    for name in ENTITIES:
        model = bt.registry_by_name(f"bionty.{name}")
        assert model.__tablename__ == f"lkbt_{name.lower()}"
        assert model.__lk_module__ == "bionty" and model.__lk_is_label__
        assert model.__lk_uid_length__ == 14
        assert inspect(model).columns["uid"].type.length == 14
        assert {"synonyms", "description", "abbr", "source_id", "created_at"} <= set(
            inspect(model).columns.keys()
        )
        assert ("parents" in inspect(model).relationships) == (name in WITH_PARENTS)
    assert bt.Source.__lk_uid_length__ == 8 and not bt.Source.__lk_is_label__
    assert bt.registry_by_name("CellType") is bt.CellType
    with pytest.raises(ln.errors.InvalidArgument, match="bionty.CellType"):
        bt.registry_by_name("bionty.Celltype")


def test_artifact_and_schema_relations() -> None:
    relations = inspect(ln.Artifact).relationships
    for name, plural in ARTIFACT_RELATIONS.items():
        rel = relations[plural]
        assert rel.mapper.class_ is bt.registry_by_name(name)
        assert {"artifact_id", "feature_id"} <= set(rel.secondary.c.keys())
    assert list(ARTIFACT_RELATIONS.values()) == [
        "organisms", "genes", "proteins", "cell_markers", "tissues", "cell_types", "diseases",
        "cell_lines", "phenotypes", "pathways", "experimental_factors", "developmental_stages",
        "ethnicities",
    ]  # fmt: skip
    assert inspect(ln.Schema).relationships["genes"].mapper.class_ is bt.Gene
    link, column = bt.artifact_link("CellType")
    assert link.__tablename__ == "lkbt_artifact_celltype" and column == "celltype_id"


def test_statements_are_classified_for_the_guard() -> None:
    from sqlalchemy import func, select

    cell_types = select(bt.CellType.id).where(bt.CellType.name == "B cell")
    assert mentions_bionty(cell_types) and root_table(cell_types) == "lkbt_celltype"
    counted = select(func.count()).select_from(cell_types.subquery())
    assert root_table(counted) == "lkbt_celltype"
    by_label = select(ln.Artifact.id).where(ln.Artifact.cell_types.any(bt.CellType.id == 1))
    assert mentions_bionty(by_label) and root_table(by_label) == "lk_artifact"
    link, _ = bt.artifact_link("CellType")
    labels = select(link.artifact_id, bt.CellType.name).join(
        bt.CellType, bt.CellType.id == link.celltype_id
    )
    assert root_table(labels) == "lkbt_artifact_celltype"
    assert not mentions_bionty(select(ln.Artifact.id))


def test_hierarchy_view_text_and_escaped_svg() -> None:
    view = HierarchyView(
        root=1,
        labels={
            1: "my <state>",
            2: "neuron",
            3: "neural cell",
            4: 'a "quoted" & long ' * 4,
            5: "kid",
        },
        edges={(1, 2), (2, 3), (2, 4), (5, 1)},
    )
    assert view.levels() == {1: 0, 2: 1, 3: 2, 4: 2, 5: -1}
    assert repr(view).splitlines() == [
        "my <state>",
        "└── neuron",
        '    ├── a "quoted" & long a "quoted" & long a "quoted" & long a "quoted" & long ',
        "    └── neural cell",
        "children: kid",
    ]
    svg = view.to_svg()
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "my <state>" in texts and "neuron" in texts
    assert "<state>" not in svg and "&lt;state&gt;" in svg and "&amp;" in svg
    assert svg.count("<line") == 4


def test_import_defines_registries_without_heavy_modules() -> None:
    import subprocess

    code = (
        "import sys, json; import lamin_kernel.bionty; "
        "print(json.dumps(sorted(m for m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(__import__("json").loads(out.stdout))
    # numpy is not checked: the core registries load it (lamin_kernel.storage.mapped)
    assert not {"pandas", "pyarrow", "rapidfuzz", "alembic", "zstandard"} & loaded


def test_bt_models_names_registries_and_link_tables() -> None:
    import lamin_kernel.bionty as bt

    assert bt.models.CellType is bt.CellType and bt.models.Source is bt.Source
    assert issubclass(bt.models.Gene, bt.models.BioRecord)
    assert bt.models.ArtifactCellType.__tablename__ == "lkbt_artifact_celltype"
    assert "SchemaGene" in bt.models.__all__
