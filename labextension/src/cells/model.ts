/**
 * Cell provenance as plain data: what GET notebook-cells and GET artifacts/<uid>/cells answer
 * (docs/rest-api.md), which notebook cell a recorded call site is, and the words shown for it.
 */
import { cellSourceHash } from './hash';

/** An artifact or collection a cell saved or loaded. */
export interface ICellRecordRef {
  registry: string;
  uid: string;
  label: string;
  version_tag: string | null;
  execution_count: number | null;
}

/** Where a save or load was called: a notebook cell, or a script's file and line. */
export interface ICallSite {
  cell_id: string | null;
  execution_count: number | null;
  cell_source_hash: string | null;
  call_file: string | null;
  call_line: number | null;
}

/** One cell of a run with what it loaded and saved. */
export interface ICellLinks extends ICallSite {
  key: string;
  inputs: ICellRecordRef[];
  outputs: ICellRecordRef[];
}

/** GET notebook-cells */
export interface INotebookCells {
  path: string;
  run: { uid: string; started_at: string | null; finished_at: string | null } | null;
  transform: { uid: string; key: string | null } | null;
  cells: ICellLinks[];
}

export type CellState = 'same' | 'changed' | 'gone' | 'unknown';

/** A cell that saved or loaded an artifact (GET artifacts/<uid>/cells). */
export interface ICellSite extends ICallSite {
  text: string;
  run: { uid: string; started_at: string | null; has_report: boolean };
  transform: { uid: string; key: string | null; kind: string };
  notebook_path: string | null;
  cell_state: CellState | null;
}

/** GET artifacts/<uid>/cells */
export interface IArtifactCells {
  saved_by: ICellSite | null;
  loaded_by: ICellSite[];
}

/** What the notebook shows of one of its cells. */
export interface INotebookCellInfo {
  id: string;
  executionCount: number | null;
  source: string;
}

/** `1 in · 2 out`, `2 out`, `1 in`. */
export function badgeText(links: Pick<ICellLinks, 'inputs' | 'outputs'>): string {
  const parts: string[] = [];
  if (links.inputs.length) {
    parts.push(`${links.inputs.length} in`);
  }
  if (links.outputs.length) {
    parts.push(`${links.outputs.length} out`);
  }
  return parts.join(' · ');
}

/**
 * The notebook cell a recorded call site stands for: the cell with its id; without a recorded
 * id, the one code cell showing that execution count. null when there is none.
 */
export function findCell<T extends INotebookCellInfo>(
  site: Pick<ICallSite, 'cell_id' | 'execution_count'>,
  cells: readonly T[]
): T | null {
  if (site.cell_id) {
    return cells.find(cell => cell.id === site.cell_id) ?? null;
  }
  if (site.execution_count === null) {
    return null;
  }
  const matches = cells.filter(cell => cell.executionCount === site.execution_count);
  return matches.length === 1 ? matches[0] : null;
}

/** Whether a recorded cell is in the notebook as it is now, and unchanged. */
export function cellState<T extends INotebookCellInfo>(
  site: Pick<ICallSite, 'cell_id' | 'execution_count' | 'cell_source_hash'>,
  cells: readonly T[]
): { state: CellState; cell: T | null } {
  const cell = findCell(site, cells);
  if (!cell) {
    return { state: site.cell_id ? 'gone' : 'unknown', cell: null };
  }
  const recorded = site.cell_source_hash;
  const same = !recorded || cellSourceHash(cell.source) === recorded;
  return { state: same ? 'same' : 'changed', cell };
}

/**
 * The badge of each notebook cell (by its id) from a run's cells; links recorded without an
 * id find their cell by execution count. Links of script lines or of unknown cells are left out.
 */
export function badgesByCell(
  links: readonly ICellLinks[],
  cells: readonly INotebookCellInfo[]
): Map<string, ICellLinks> {
  const badges = new Map<string, ICellLinks>();
  for (const entry of links) {
    if (!entry.inputs.length && !entry.outputs.length) {
      continue;
    }
    const cell = entry.cell_id || entry.execution_count !== null ? findCell(entry, cells) : null;
    if (!cell) {
      continue;
    }
    const known = badges.get(cell.id);
    badges.set(
      cell.id,
      known
        ? {
            ...known,
            inputs: [...known.inputs, ...entry.inputs],
            outputs: [...known.outputs, ...entry.outputs]
          }
        : entry
    );
  }
  return badges;
}

/** What a cell state means, for people; null when there is nothing to say. */
export function stateMessage(state: CellState | null): string | null {
  switch (state) {
    case 'changed':
      return 'the cell has changed since';
    case 'gone':
      return 'the cell is gone from the notebook';
    case 'unknown':
      return 'the cell cannot be told (no id was recorded)';
    default:
      return null;
  }
}

/** The fragment of a cell in a run's HTML report (nbconvert's anchor of its id). */
export function reportCellFragment(cellId: string): string {
  return `cell-id=${cellId}`;
}

/**
 * The label of a site's cell link: `cell [7]`, `cell [?]`, or `make.py:12`; null when the run
 * recorded neither a cell nor a line (a record saved through an older version, or by hand).
 */
export function cellLinkLabel(site: ICallSite): string | null {
  if (site.cell_id || site.execution_count !== null) {
    return `cell [${site.execution_count ?? '?'}]`;
  }
  return site.call_file ? `${site.call_file}:${site.call_line ?? '?'}` : null;
}
