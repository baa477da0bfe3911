/** The data of `ln.Run.diff(a, b)` (records/run_diff.py), as GET compare-runs sends it. */
import type { JSONValue } from '../models';

export interface IMappingDiff {
  added: Record<string, JSONValue>;
  removed: Record<string, JSONValue>;
  changed: Record<string, [JSONValue, JSONValue]>;
  n_same: number;
}

export interface IDiffRef {
  registry: 'Artifact' | 'Collection';
  uid: string;
  label: string;
  version_tag: string | null;
  hash: string | null;
}

export interface IRecordPair {
  label: string;
  a: IDiffRef;
  b: IDiffRef;
}

export interface IRecordsDiff {
  added: IDiffRef[];
  removed: IDiffRef[];
  changed: IRecordPair[];
  same: IRecordPair[];
}

export interface ICellChange {
  status: 'added' | 'removed' | 'changed';
  cell_id: string | null;
  index_a: number | null;
  index_b: number | null;
  diff: string;
}

export interface IRunDiff {
  a: { uid: string; transform: { uid: string; key: string | null; version_tag: string | null } };
  b: { uid: string; transform: { uid: string; key: string | null; version_tag: string | null } };
  params: IMappingDiff;
  features: IMappingDiff;
  inputs: IRecordsDiff;
  outputs: IRecordsDiff;
  environment: IMappingDiff;
  source: {
    same: boolean;
    unified: string;
    cells: ICellChange[] | null;
    n_same_cells: number | null;
  };
  differs: boolean;
}
