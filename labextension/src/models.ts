/**
 * Types of the lamin_kernel REST API (docs/rest-api.md) and of the
 * kernel <-> frontend comm messages.
 */

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
}

/** GET registries/<name>/records/<uid> */
export interface IRecordDetail {
  registry: string;
  record: { [field: string]: JSONValue };
  describe: JSONValue;
  links: { [name: string]: IRecordRef | null };
  versions: IVersion[];
  labels: { [relation: string]: ILabelRef[] };
  features: { [name: string]: JSONValue };
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
}

/** GET artifacts/<uid>/preview */
export type IArtifactPreview =
  | { kind: 'table'; columns: string[]; rows: JSONValue[][] }
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
