/**
 * Types of the lamin_kernel REST API (docs/rest-api.md) and of the
 * kernel <-> frontend comm messages.
 */
import type { IRunDiff } from './runDiff/types';

/** A JSON value as the server sends it. */
export type JSONScalar = string | number | boolean | null;
export type JSONValue = JSONScalar | JSONValue[] | { [key: string]: JSONValue };

/** The error body of every non-2xx answer. */
export interface IErrorBody {
  error: { type: string; message: string };
}

/** GET instance */
export interface IInstance {
  name: string;
  owner: string;
  slug: string;
  storage: { root: string; type: string };
  db: 'sqlite' | 'postgresql';
  modules: string[];
  branch: string;
}

export interface IRegistryField {
  name: string;
  type: string;
  relation: string | null;
}

export interface IRegistry {
  name: string;
  module: 'core' | 'bionty' | string;
  count: number;
  /** Artifact: how many of `count` are run files (reports, environments), hidden by default. */
  run_files?: number;
  fields: IRegistryField[];
}

/** GET registries */
export interface IRegistryList {
  registries: IRegistry[];
}

/** A registry row: always `id` and `uid`, plus the requested columns. */
export interface IRecordRow {
  id: number;
  uid: string;
  [field: string]: JSONValue;
}

/** Lookups the `filter` parameter understands (`field:lookup:value`). */
export type FilterLookup =
  | 'exact'
  | 'iexact'
  | 'contains'
  | 'icontains'
  | 'startswith'
  | 'istartswith'
  | 'endswith'
  | 'in'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'isnull';

export interface IRecordFilter {
  field: string;
  lookup: FilterLookup;
  /** A list is joined with commas (for the `in` lookup). */
  value: string | number | boolean | Array<string | number>;
}

/** Query parameters of GET registries/<name>/records */
export interface IRecordQuery {
  page?: number;
  page_size?: number;
  /** A field name, `-` prefix for descending. */
  sort?: string;
  search?: string;
  filters?: IRecordFilter[];
  /** Rows matching any of these are left out (e.g. `kind exact __lamindb_run__`). */
  excludes?: IRecordFilter[];
  columns?: string[];
}

/** GET registries/<name>/records */
export interface IRecordPage {
  registry: string;
  page: number;
  page_size: number;
  total: number;
  columns: string[];
  records: IRecordRow[];
}

export interface IRecordRef {
  registry: string;
  uid: string;
}

export interface IVersion {
  uid: string;
  version_tag: string | null;
  is_latest: boolean;
  created_at: string;
}

export interface ILabelRef {
  uid: string;
  name: string;
  /** The label's registry (ULabel, Record, bionty registries). */
  registry?: string;
}

/** GET registries/<name>/records/<uid> */
export interface IRecordDetail {
  registry: string;
  /** What a person calls the record: name, key, else description or uid. */
  label?: string;
  /** 'core' or the module of the registry ('bionty'). */
  module?: string;
  /** An artifact's file relative to the Jupyter server's root, when it lies inside. */
  local_path?: string | null;
  record: { [field: string]: JSONValue };
  describe: JSONValue;
  links: { [name: string]: ILabeledRef | null };
  versions: IVersion[];
  labels: { [relation: string]: ILabelRef[] };
  /** Many-to-many relations to other records (a schema's features, a collection's
   * artifacts): the newest few of each, `more` when there are others. */
  related?: { [relation: string]: { records: ILabeledRef[]; more: boolean } };
  features: { [name: string]: JSONValue };
  /** Artifacts, collections, runs: inputs upstream that have a newer version. */
  upstream_changes?: IUpstreamChange[];
}

export type LineageDirection = 'upstream' | 'downstream' | 'both';
export type LineageKind = 'artifact' | 'run' | 'transform' | 'collection';

export interface ILineageNode {
  /** `<kind>:<uid>` */
  id: string;
  kind: LineageKind | string;
  uid: string;
  label: string;
  registry: string;
  /** uid of the run that made an artifact or collection. */
  run?: string | null;
  /** A run whose inputs changed upstream: why (GET lineage marks stale runs). */
  upstream_changes?: IUpstreamChange[];
  /** An artifact or collection made by such a run. */
  upstream_changed?: boolean;
  /** A notebook cell of an expanded run (kind `cell`; `uid` is the run's). */
  cell?: IRunCell;
}

/** One version of an artifact or collection in an upstream change. */
export interface IVersionRef {
  registry: string;
  uid: string;
  label: string;
  version_tag: string | null;
  /** `v2` from a version tag, else `#0001` from the uid's version counter. */
  version: string;
}

/** Why a run's outputs are "upstream changed" (records/upstream.py). */
export interface IUpstreamChange {
  /** The input that has a newer version (of this run, or further up when `via` is set). */
  changed: IVersionRef;
  newer: IVersionRef;
  /** This run's input that was made from `changed`; null when `changed` is a direct input. */
  via: IVersionRef | null;
  direct: boolean;
  /** `lamin rerun --stale <key>` (an artifact's or a collection's key, else its uid). */
  rerun_command: string;
  /** What `--stale` takes: the key or uid in that command. */
  rerun_target: string;
}

/** An input or output of a run's cell. */
export interface ICellRef {
  registry: string;
  uid: string;
  label: string;
  version_tag: string | null;
  execution_count: number | null;
}

/** A cell (or script line) of a run with what it loaded and saved (GET lineage?cells=true). */
export interface IRunCell {
  key: string;
  cell_id: string | null;
  execution_count: number | null;
  cell_source_hash: string | null;
  call_file: string | null;
  call_line: number | null;
  inputs: ICellRef[];
  outputs: ICellRef[];
}

/** Edges point in the direction of data flow. */
export interface ILineageEdge {
  source: string;
  target: string;
}

/** GET lineage/<registry>/<uid> */
export interface ILineageGraph {
  nodes: ILineageNode[];
  edges: ILineageEdge[];
  /** With `cells=true`: each run's cells, by run uid. */
  cells?: { [runUid: string]: IRunCell[] };
}

/** GET artifacts/<uid>/preview */
export interface IPreviewTable {
  columns: string[];
  rows: JSONValue[][];
}

/** One page of a table file's rows, from row `offset` (0-based). */
export interface IPreviewPage extends IPreviewTable {
  offset: number;
  /** From the file's metadata (parquet); null when unknown without reading it all (CSV). */
  total: number | null;
  /** Whether rows follow this page. */
  more: boolean;
}

export type IArtifactPreview =
  | ({ kind: 'table' } & IPreviewPage)
  | {
      kind: 'anndata';
      shape: [number, number];
      obs: IPreviewTable;
      var: IPreviewTable;
      layers: string[];
      obsm: string[];
    }
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string }
  | { kind: 'none'; message: string };

export type FeatureStatus = 'validated' | 'not_validated' | 'missing' | 'dtype_mismatch';

export interface ISuggestion {
  value: string;
  score: number;
}

export interface IFeatureValidation {
  name: string;
  status: FeatureStatus | string;
  n_values: number;
  non_validated: string[];
  suggestions: { [term: string]: ISuggestion[] };
}

export interface ISlotValidation {
  slot: string;
  features: IFeatureValidation[];
}

export interface IValidationReport {
  id: number | string;
  created_at: string;
  passed: boolean;
  artifact: string | null;
  run: string | null;
  schema: string | null;
  slots: ISlotValidation[];
}

/** GET validation-reports */
export interface IValidationReportList {
  reports: IValidationReport[];
}

/** Exactly one of the two selects the reports. */
export type ValidationTarget = { artifact: string } | { run: string };

export interface ITransformRef {
  uid: string;
  key: string;
  version_tag: string | null;
}

export interface IRunRef {
  uid: string;
  started_at: string | null;
  finished_at: string | null;
}

/** GET notebook-state, and the `status` comm message without `type`. */
export type INotebookState =
  | { tracked: false }
  | {
      tracked: true;
      transform: ITransformRef;
      run: IRunRef;
      n_inputs: number;
      n_outputs: number;
    };

/** Kernel -> frontend comm messages on target `lamin_kernel`. */
export type KernelMessage =
  ({ type: 'status' } & INotebookState) | { type: 'save_request'; request_id: string };

/** Frontend -> kernel comm messages. */
export interface ISavedMessage {
  type: 'saved';
  request_id: string;
}

/** A link to another record, with the name a person knows it by. */
export interface ILabeledRef extends IRecordRef {
  label?: string;
}

/** GET changes */
export interface IChangeToken {
  token: string;
}

export interface IFieldChange {
  name: string;
  old: JSONValue;
  new: JSONValue;
}

export interface ISetDiff {
  added: string[];
  removed: string[];
  kept: string[];
}

/** GET artifacts/<uid>/diff?against=<uid> */
export interface IVersionDiff {
  old: string;
  new: string;
  same_content: boolean;
  fields: IFieldChange[];
  columns: ISetDiff | null;
  schema: ISetDiff;
  labels: { [relation: string]: ISetDiff };
  features: IFieldChange[];
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'aborted';

/** One run as the run tables show it. */
export interface IRunSummary {
  uid: string;
  name: string | null;
  status: RunStatus | string;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration_s: number | null;
  created_by: string | null;
  params: { [name: string]: JSONValue };
  /** feature values, as run.features.get_values() reads them */
  features?: { [name: string]: JSONValue };
  n_inputs: number;
  n_outputs: number;
  has_report: boolean;
  transform: { uid: string; key: string | null; version_tag: string | null };
}

/** GET transforms/<uid>/runs, GET artifacts/<uid>/downstream */
export interface IRunList {
  runs: IRunSummary[];
}

/** GET runs/<uid>/summary */
export interface IRunOverview extends IRunSummary {
  environment: { [distribution: string]: string };
  upstream_changes?: IUpstreamChange[];
}

/** GET runs/<uid>/environment-diff?other=<uid> */
export interface IEnvironmentDiff {
  run: string;
  other: string;
  added: { [name: string]: string };
  removed: { [name: string]: string };
  changed: { [name: string]: [string, string] };
  n_same: number;
}

export interface ICompareRow {
  name?: string;
  key?: string;
  values: JSONValue[];
  differs: boolean;
}

/** GET compare-runs?run=..&run=.. */
export interface IRunComparison {
  runs: IRunSummary[];
  params: ICompareRow[];
  features?: ICompareRow[];
  inputs: ICompareRow[];
  outputs: ICompareRow[];
  environment: ICompareRow[];
  source: { values: Array<string | null>; differs: boolean };
  /** Two runs: `Run.diff(first, second)` (labextension/src/runDiff/types.ts). */
  diff?: IRunDiff | null;
}

/** PATCH artifacts/<uid> */
export interface IArtifactEdit {
  description?: string | null;
  add_ulabels?: string[];
  remove_ulabels?: string[];
  trash?: boolean;
}

/** The `application/vnd.lamin.lineage+json` output of view_lineage(). */
export interface ILineageMime extends ILineageGraph {
  root: string | null;
  direction?: LineageDirection;
  depth?: number;
}
