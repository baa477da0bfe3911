import { describe, expect, it } from 'vitest';

import { cellSourceHash, sha256Hex } from '../src/cells/hash';
import {
  badgesByCell,
  badgeText,
  cellLinkLabel,
  cellState,
  findCell,
  ICellLinks,
  ICellRecordRef,
  INotebookCellInfo,
  stateMessage
} from '../src/cells/model';
import { IRegistry } from '../src/models';
import { listedCount } from '../src/registry/helpers';

// computed by lamin_kernel.records.call_sites.cell_source_hash
const PYTHON_HASHES: Array<[string, string]> = [
  ['', 'e3b0c44298fc1c14'],
  ['x = 1', '8ff436def1451285'],
  ['df = ln.Artifact.get(key=\'raw/table.parquet\').load()\nprint("größe ✓")', '66e0d8a1142c81a4'],
  ['a'.repeat(200), 'c2a908d98f5df987']
];

function ref(uid: string): ICellRecordRef {
  return {
    registry: 'Artifact',
    uid,
    label: `${uid}.parquet`,
    version_tag: null,
    execution_count: 1
  };
}

function links(
  cellId: string | null,
  count: number | null,
  ins: string[],
  outs: string[]
): ICellLinks {
  return {
    key: cellId ? `cell:${cellId}` : `count:${count}`,
    cell_id: cellId,
    execution_count: count,
    cell_source_hash: null,
    call_file: null,
    call_line: null,
    inputs: ins.map(ref),
    outputs: outs.map(ref)
  };
}

const CELLS: INotebookCellInfo[] = [
  { id: 'a', executionCount: 1, source: 'import lamin_kernel as ln' },
  { id: 'b', executionCount: 2, source: 'x = 1' },
  { id: 'c', executionCount: 3, source: 'y = 2' }
];

describe('cell source hash', () => {
  it('is SHA-256 (the standard test vector)', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    );
  });

  it('matches the hash the kernel stores, for any text and length', () => {
    for (const [source, hash] of PYTHON_HASHES) {
      expect(cellSourceHash(source)).toBe(hash);
    }
  });
});

describe('cell badges', () => {
  it('counts what a cell loaded and saved', () => {
    expect(badgeText(links('a', 1, ['r1'], ['o1', 'o2']))).toBe('1 in · 2 out');
    expect(badgeText(links('a', 1, [], ['o1']))).toBe('1 out');
    expect(badgeText(links('a', 1, ['r1'], []))).toBe('1 in');
  });

  it('puts each run cell on the notebook cell with its id, else its execution count', () => {
    const badges = badgesByCell(
      [links('b', 2, ['r1'], []), links(null, 3, [], ['o1']), links('gone', 9, ['r2'], [])],
      CELLS
    );
    expect([...badges.keys()]).toEqual(['b', 'c']);
    expect(badges.get('c')?.outputs.map(o => o.uid)).toEqual(['o1']);
  });

  it('merges two entries that land on one cell and skips script lines', () => {
    const line: ICellLinks = { ...links(null, null, ['r3'], []), call_file: 'x.py', call_line: 3 };
    const badges = badgesByCell(
      [links('b', 2, ['r1'], []), links(null, 2, [], ['o1']), line],
      CELLS
    );
    expect(badges.size).toBe(1);
    expect(badgeText(badges.get('b') as ICellLinks)).toBe('1 in · 1 out');
  });
});

describe('recorded cells in a notebook', () => {
  const site = { cell_id: 'b', execution_count: 2, cell_source_hash: cellSourceHash('x = 1') };

  it('finds a cell by id, and by execution count only when no id was recorded', () => {
    expect(findCell(site, CELLS)?.id).toBe('b');
    expect(findCell({ cell_id: null, execution_count: 3 }, CELLS)?.id).toBe('c');
    expect(findCell({ cell_id: 'zz', execution_count: 3 }, CELLS)).toBeNull();
    const twice = [...CELLS, { id: 'd', executionCount: 3, source: '' }];
    expect(findCell({ cell_id: null, execution_count: 3 }, twice)).toBeNull();
  });

  it('tells same, changed, gone and unknown', () => {
    expect(cellState(site, CELLS).state).toBe('same');
    const edited = CELLS.map(c => (c.id === 'b' ? { ...c, source: 'x = 10' } : c));
    expect(cellState(site, edited).state).toBe('changed');
    expect(
      cellState(
        site,
        CELLS.filter(c => c.id !== 'b')
      ).state
    ).toBe('gone');
    expect(cellState({ ...site, cell_id: null, execution_count: 7 }, CELLS).state).toBe('unknown');
    expect(stateMessage('changed')).toBe('the cell has changed since');
    expect(stateMessage('gone')).toMatch(/gone/);
    expect(stateMessage('same')).toBeNull();
  });

  it('labels a cell by its execution count and a script by file and line', () => {
    expect(cellLinkLabel({ ...site, call_file: null, call_line: 1 })).toBe('cell [2]');
    expect(
      cellLinkLabel({
        cell_id: null,
        execution_count: null,
        cell_source_hash: null,
        call_file: 'make.py',
        call_line: 12
      })
    ).toBe('make.py:12');
    expect(
      cellLinkLabel({
        cell_id: null,
        execution_count: null,
        cell_source_hash: null,
        call_file: null,
        call_line: null
      })
    ).toBeNull();
  });
});

describe('registry counts', () => {
  const artifact: IRegistry = {
    name: 'Artifact',
    module: 'core',
    count: 7,
    run_files: 3,
    fields: []
  };

  it('leave out the run files the table hides', () => {
    expect(listedCount(artifact, false)).toBe(4);
    expect(listedCount(artifact, true)).toBe(7);
    expect(listedCount({ ...artifact, name: 'Run', run_files: undefined }, false)).toBe(7);
  });
});
