"""The Python cells of LaminDB's tutorial (../shared/reference/lamindb-tutorial.md), in order.

Only the import lines differ (`lamin_kernel` for `lamindb`, `lamin_kernel.bionty` for
`bionty`). `s3://lamindata` is a bucket on the moto server the test starts on 127.0.0.1.
Left out: snippets that name files or variables the tutorial never defines (`./my_data.fcs`,
`df_updated`, `s3://my-bucket/...`), which are illustrations, not cells. The cells from the
tutorial's fold-outs (a flow, a manual transform, branches, an agent plan) run after the main
path, as `ASIDES`: LaminDB's printed outputs come from a run without them (the flow saves the
same content as the fixed dataset, which would be returned as the same artifact).
"""

CELLS: list[tuple[str, str]] = [
    ("init", "!lamin init --storage ./lamindb-tutorial --modules bionty"),
    ("track", "import lamin_kernel as ln\n\nln.track()  # track the current notebook or script"),
    ("transforms", "ln.Transform.to_dataframe()"),
    ("runs", "ln.Run.to_dataframe()"),
    ("dataset1", "df = ln.examples.datasets.mini_immuno.get_dataset1(with_typo=True)\ndf"),
    (
        "create",
        'artifact = ln.Artifact.from_dataframe(df, key="my_datasets/rnaseq1.parquet").save()\n'
        "artifact.describe()",
    ),
    ("get", 'artifact = ln.Artifact.get(key="my_datasets/rnaseq1.parquet")'),
    ("load", "artifact.load()"),
    ("cache", "artifact.cache()"),
    (
        "update_delete",
        """artifact.description = "My updated description"
artifact.save()  # persist metadata changes

artifact.delete()  # move to trash
artifact.restore()  # restore from trash

# artifact.delete(permanent=True)  # permanently delete""",
    ),
    ("transform_of", "artifact.transform"),
    ("run_of", "artifact.run"),
    ("lineage", "artifact.view_lineage()"),
    (
        "ulabel",
        """# create & save a universal label
my_experiment = ln.ULabel(name="My experiment").save()

# annotate the artifact with a universal label
artifact.ulabels.add(my_experiment)

# describe the artifact
artifact.describe()""",
    ),
    ("filter_ulabel", "ln.Artifact.filter(ulabels=my_experiment).to_dataframe()"),
    (
        "cell_type",
        """import lamin_kernel.bionty as bt

# create a cell type label from the source ontology
cell_type = bt.CellType.from_source(name="effector T cell").save()

# annotate the artifact with a cell type
artifact.cell_types.add(cell_type)

# describe the artifact
artifact.describe()""",
    ),
    ("filter_cell_type", "ln.Artifact.filter(cell_types=cell_type).to_dataframe()"),
    (
        "add_remove",
        """# add labels
artifact.ulabels.add(my_experiment)
artifact.cell_types.add(cell_type)

# remove labels
artifact.ulabels.remove(my_experiment)
artifact.cell_types.remove(cell_type)""",
    ),
    (
        "features",
        """# define the "temperature" & "experiment" features
ln.Feature(name="temperature", dtype=float).save()
ln.Feature(name="experiment", dtype=ln.ULabel).save()

# annotate the artifact
artifact.features.add_values({"temperature": 21.6, "experiment": "My experiment"})

# describe the artifact
artifact.describe()""",
    ),
    ("filter_feature", "ln.Artifact.filter(temperature=21.6).to_dataframe()"),
    (
        "remove_features",
        """# remove feature values from this artifact
artifact.features.remove_values(["temperature", "experiment"])

# optionally remove feature definitions from the registry
ln.Feature.get(name="temperature").delete()
ln.Feature.get(name="experiment").delete()""",
    ),
    (
        "schema",
        """import lamin_kernel.bionty as bt  # <-- use bionty to access registries with imported public ontologies

# define a few more valid labels
ln.ULabel(name="DMSO").save()
ln.ULabel(name="IFNG").save()

# define a few more valid features
ln.Feature(name="perturbation", dtype=ln.ULabel).save()
ln.Feature(name="cell_type_by_model", dtype=bt.CellType).save()
ln.Feature(name="cell_type_by_expert", dtype=bt.CellType).save()
ln.Feature(name="assay_oid", dtype=bt.ExperimentalFactor.ontology_id).save()
ln.Feature(name="donor", dtype=str, nullable=True).save()
ln.Feature(name="sample_note", dtype=str, nullable=True).save()
ln.Feature(name="concentration", dtype=str).save()
ln.Feature(name="treatment_time_h", dtype="num", coerce=True).save()

# define a schema that merely enforces a feature identifier type
schema = ln.Schema(itype=ln.Feature).save()""",
    ),
    (
        "validate_fails",
        """try:
    artifact = ln.Artifact.from_dataframe(
        df, key="my_datasets/rnaseq1.parquet", schema=schema
    )
except ln.errors.ValidationError as error:
    print(str(error))""",
    ),
    (
        "new_version",
        """# fix the "IFNJ" typo
df["perturbation"] = df["perturbation"].cat.rename_categories({"IFNJ": "IFNG"})

# create a new version
artifact = ln.Artifact.from_dataframe(
    df, key="my_datasets/rnaseq1.parquet", schema=schema
).save()

# see the annotations
artifact.describe()

# see all versions of the artifact
artifact.versions.to_dataframe()""",
    ),
    ("all_artifacts", "ln.Artifact.to_dataframe()"),
    ("include_features", 'ln.Artifact.to_dataframe(include="features")'),
    ("describe_class", "ln.Artifact.describe()"),
    ("view", "ln.view()"),
    (
        "queries",
        """# get a single record (here the current notebook)
transform = ln.Transform.get(key="tutorial.ipynb")

# get a set of records by filtering for a directory (LaminDB treats directories like AWS S3, as the prefix of the storage key)
ln.Artifact.filter(key__startswith="my_datasets/").to_dataframe()

# query all artifacts ingested from a transform
artifacts = ln.Artifact.filter(transform=transform).all()

# query all artifacts ingested from a notebook with "tutor" in the description
artifacts = ln.Artifact.filter(
    transform__description__icontains="tutor",
).all()""",
    ),
    (
        "search",
        """# search artifacts
ln.Artifact.search("iris").to_dataframe().head()

# search transforms
ln.Transform.search("tutor").to_dataframe()

# look up records with auto-complete
records = ln.Record.lookup()""",
    ),
    (
        "view_tree",
        """# we use anon=True here in case no aws credentials are configured
ln.UPath("s3://lamindata/iris_studies", anon=True).view_tree()""",
    ),
    (
        "s3_folder",
        'artifact = ln.Artifact("s3://lamindata/iris_studies/study0_raw_images").save()\nartifact',
    ),
    ("s3_path", "artifact.path"),
    ("storages", "ln.Storage.to_dataframe()"),
    (
        "public",
        "import lamin_kernel.bionty as bt\n\ncell_type_ontology = bt.CellType.public()\ncell_type_ontology",
    ),
    ("public_search", 'cell_type_ontology.search("gamma-delta T cell").head(2)'),
    (
        "neuron",
        """# create an ontology-coupled cell type record and save it
neuron = bt.CellType.from_source(name="neuron").save()

# create a record to track a new cell state
new_cell_state = bt.CellType(
    name="my neuron cell state", description="explains X"
).save()

# express that it's a neuron state
new_cell_state.parents.add(neuron)

# view ontological hierarchy
new_cell_state.view_parents(distance=2)""",
    ),
    (
        "anndata_schema",
        """# define var schema
var_schema = ln.Schema(itype=bt.Gene.ensembl_gene_id, dtype=int).save()

# define composite schema
anndata_schema = ln.Schema(
    otype="AnnData", slots={"obs": schema, "var.T": var_schema}
).save()""",
    ),
    (
        "anndata",
        """import anndata as ad

# store the dataset as an AnnData object to distinguish data from metadata
adata = ad.AnnData(df.iloc[:, :3], obs=df.iloc[:, 3:-1])

# save curated artifact
artifact = ln.Artifact.from_anndata(
    adata, key="my_datasets/my_rnaseq1.h5ad", schema=anndata_schema
).save()
artifact.describe()""",
    ),
    (
        "cd8a",
        """# query for all feature sets that contain CD8A
feature_sets = ln.Schema.filter(genes__symbol="CD8A").all()

# query for all artifacts linked to these feature sets
ln.Artifact.filter(feature_sets__in=feature_sets).to_dataframe()""",
    ),
    (
        "dataset2",
        """# a new dataset
df2 = ln.examples.datasets.mini_immuno.get_dataset2(otype="DataFrame")
adata = ad.AnnData(df2.iloc[:, :3], obs=df2.iloc[:, 3:-1])
artifact2 = ln.Artifact.from_anndata(
    adata, key="my_datasets/my_rnaseq2.h5ad", schema=anndata_schema
).save()""",
    ),
    (
        "collection",
        """collection = ln.Collection([artifact, artifact2], key="my-RNA-seq-collection").save()
collection.describe()
collection.view_lineage()""",
    ),
    (
        "collection_load",
        """# if it's small enough, you can load the entire collection into memory as if it was one
collection.load()

# typically, it's too big, hence, open it for streaming (if the backend allows it)
# collection.open()

# or iterate over its artifacts
collection.ordered_artifacts.all()

# or look at a DataFrame listing the artifacts
collection.ordered_artifacts.to_dataframe()""",
    ),
    (
        "torch",
        """# to train models, batch iterate through the collection as if it was one array
from torch.utils.data import DataLoader, WeightedRandomSampler
dataset = collection.mapped(obs_keys=["cell_medium"])
sampler = WeightedRandomSampler(
    weights=dataset.get_label_weights("cell_medium"), num_samples=len(dataset)
)
data_loader = DataLoader(dataset, batch_size=2, sampler=sampler)
for batch in data_loader:
    pass""",
    ),
    (
        "flow",
        """import lamin_kernel as ln


@ln.flow()
def ingest_dataset(key: str) -> ln.Artifact:
    df = ln.examples.datasets.mini_immuno.get_dataset1()
    return ln.Artifact.from_dataframe(df, key=key).save()


ingest_dataset(key="my_analysis/dataset.parquet")""",
    ),
    ("manual_transform", 'transform = ln.Transform(key="my_pipeline", version="1.2.0")'),
    ("branches", "!lamin switch -c my_branch\n!lamin switch main\n!lamin merge my_branch"),
    (
        "plan_file",
        "!mkdir -p .plans && echo '# my agent plan' > .plans/my-agent-plan.md\n"
        "!lamin save .plans/my-agent-plan.md",
    ),
    ("track_plan", 'ln.track(plan=".plans/my-agent-plan.md")  # link plan artifact to this run'),
    ("finish", "ln.finish()"),
]
