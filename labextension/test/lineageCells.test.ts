import { describe, expect, it } from 'vitest';

import {
  canExpandRun,
  cellLabel,
  cellNodeId,
  describeChange,
  expandRuns,
  isStale
} from '../src/lineage/cells';
import { edgesUnderNodes, layoutGraph, mergeGraphs } from '../src/lineage/layout';
import { ICellRef, ILineageGraph, IRunCell, IUpstreamChange } from '../src/models';
import { node } from './lineageNodes';

const ref = (uid: string): ICellRef => ({
  registry: 'Artifact',
  uid,
  label: uid,
  version_tag: null,
  execution_count: null
});

const cell = (count: number, inputs: string[], outputs: string[]): IRunCell => ({
  key: `cell:c${count}`,
  cell_id: `c${count}`,
  execution_count: count,
  cell_source_hash: 'h',
  call_file: null,
  call_line: null,
  inputs: inputs.map(ref),
  outputs: outputs.map(ref)
});

const version = (uid: string, v: string) => ({
  registry: 'Artifact',
  uid,
  label: 'raw.parquet',
  version_tag: null,
  version: v
});

const CHANGE: IUpstreamChange = {
  changed: version('rawA0000', '#0000'),
  newer: version('rawA0001', '#0001'),
  via: null,
  direct: true,
  rerun_command: 'lamin rerun --stale raw.parquet',
  rerun_target: 'raw.parquet'
};

/** transform t -> run r; raw -> r (cell 2); r -> table (cell 3), r -> plot (cell 4);
 * r also made `old` without a recorded cell; table -> run r2 -> model. */
const GRAPH: ILineageGraph = {
  nodes: [
    node('transform', 't', 'Transform'),
    node('artifact', 'raw', 'Artifact'),
    {
      ...node('run', 'r', 'Run'),
      upstream_changes: [{ ...CHANGE, changed: version('raw', '#0000') }]
    },
    { ...node('artifact', 'table', 'Artifact'), run: 'r', upstream_changed: true },
    { ...node('artifact', 'plot', 'Artifact'), run: 'r', upstream_changed: true },
    { ...node('artifact', 'old', 'Artifact'), run: 'r' },
    node('run', 'r2', 'Run'),
    node('artifact', 'model', 'Artifact')
  ],
  edges: [
    { source: 'transform:t', target: 'run:r' },
    { source: 'artifact:raw', target: 'run:r' },
    { source: 'run:r', target: 'artifact:table' },
    { source: 'run:r', target: 'artifact:plot' },
    { source: 'run:r', target: 'artifact:old' },
    { source: 'artifact:table', target: 'run:r2' },
    { source: 'run:r2', target: 'artifact:model' }
  ],
  cells: {
    r: [cell(2, ['raw'], []), cell(3, [], ['table']), cell(4, ['missing'], ['plot'])],
    r2: []
  }
};

const edgeSet = (graph: ILineageGraph): Set<string> =>
  new Set(graph.edges.map(e => `${e.source} -> ${e.target}`));

describe('runs expanded into cells', () => {
  it('names cells by execution count, else file and line', () => {
    expect(cellLabel(cell(7, [], []))).toBe('cell [7]');
    expect(
      cellLabel({
        ...cell(1, [], []),
        cell_id: null,
        execution_count: null,
        call_file: '/x/make.py',
        call_line: 12
      })
    ).toBe('make.py:12');
    expect(cellNodeId('r', 'cell:c2')).toBe('cell:r:cell:c2');
  });

  it('leaves the graph alone while nothing is expanded', () => {
    expect(expandRuns(GRAPH, new Set())).toBe(GRAPH);
    expect(expandRuns({ ...GRAPH, cells: undefined }, new Set(['r'])).nodes).toHaveLength(8);
  });

  it('moves the run edges of recorded loads and saves to the cells', () => {
    const expanded = expandRuns(GRAPH, new Set(['r']));
    const cells = expanded.nodes.filter(n => n.kind === 'cell');
    expect(cells.map(n => n.label)).toEqual(['cell [2]', 'cell [3]', 'cell [4]']);
    const edges = edgeSet(expanded);
    const c = (n: number) => cellNodeId('r', `cell:c${n}`);
    for (const n of [2, 3, 4]) {
      expect(edges.has(`run:r -> ${c(n)}`)).toBe(true);
    }
    expect(edges.has(`artifact:raw -> ${c(2)}`)).toBe(true);
    expect(edges.has(`${c(3)} -> artifact:table`)).toBe(true);
    expect(edges.has(`${c(4)} -> artifact:plot`)).toBe(true);
    // replaced: the run's own edges to what the cells loaded and saved
    expect(edges.has('artifact:raw -> run:r')).toBe(false);
    expect(edges.has('run:r -> artifact:table')).toBe(false);
    // kept: an output saved before cells were recorded, and everything else
    expect(edges.has('run:r -> artifact:old')).toBe(true);
    expect(edges.has('artifact:table -> run:r2')).toBe(true);
    // an input outside the graph gets no edge
    expect([...edges].some(e => e.includes('missing'))).toBe(false);
    // the cell that loaded the changed input is marked, the others are not
    expect(cells.filter(isStale).map(n => n.label)).toEqual(['cell [2]']);
  });

  it('collapses back to the same graph', () => {
    const collapsed = expandRuns(GRAPH, new Set());
    expect(edgeSet(collapsed)).toEqual(edgeSet(GRAPH));
  });

  it('offers the toggle on runs with cells, and on every run before cells are fetched', () => {
    const run = GRAPH.nodes[2];
    expect(canExpandRun(GRAPH, run)).toBe(true);
    expect(canExpandRun(GRAPH, GRAPH.nodes[6])).toBe(false); // r2: no cells
    expect(canExpandRun(GRAPH, GRAPH.nodes[1])).toBe(false); // an artifact
    expect(canExpandRun({ ...GRAPH, cells: undefined }, GRAPH.nodes[6])).toBe(true);
  });

  it('lays out the cells between their run and what they saved, edges off other nodes', () => {
    const expanded = expandRuns(GRAPH, new Set(['r']));
    for (const engine of ['dagre', 'layered'] as const) {
      for (const direction of ['TB', 'LR'] as const) {
        const layout = layoutGraph(expanded, direction, engine);
        const along = (id: string) => {
          const n = layout.nodes.find(x => x.id === id)!;
          return direction === 'TB' ? n.y : n.x;
        };
        const c3 = cellNodeId('r', 'cell:c3');
        expect(along('run:r')).toBeLessThan(along(c3));
        expect(along(c3)).toBeLessThan(along('artifact:table'));
        expect(along('artifact:raw')).toBeLessThan(along(cellNodeId('r', 'cell:c2')));
        expect(along('artifact:table')).toBeLessThan(along('run:r2'));
        expect(edgesUnderNodes(layout)).toEqual([]);
      }
    }
  });

  it('keeps the marks and cells when graphs merge', () => {
    const merged = mergeGraphs(GRAPH, { nodes: [], edges: [], cells: { other: [] } });
    expect(Object.keys(merged.cells ?? {}).sort()).toEqual(['other', 'r', 'r2']);
    expect(merged.nodes.filter(isStale).map(n => n.id)).toEqual([
      'run:r',
      'artifact:table',
      'artifact:plot'
    ]);
    expect(describeChange(CHANGE)).toBe("'raw.parquet' #0000 → #0001");
    expect(describeChange({ ...CHANGE, via: version('tbl', '#0000') })).toContain(
      "via 'raw.parquet'"
    );
  });
});
