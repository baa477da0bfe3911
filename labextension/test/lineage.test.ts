import { describe, expect, it } from 'vitest';

import {
  buildLayoutInput,
  edgesUnderNodes,
  filterGraph,
  edgePath,
  fitTransform,
  LAYERED_MIN_NODES,
  layoutGraph,
  mergeGraphs,
  MAX_ZOOM,
  nodeIdFor,
  shortLabel,
  zoomAt
} from '../src/lineage/layout';
import { spacedPositions } from '../src/lineage/layered';
import { ILineageGraph } from '../src/models';
import { node } from './lineageNodes';

const GRAPH: ILineageGraph = {
  nodes: [
    node('transform', 't1', 'Transform'),
    node('artifact', 'in1', 'Artifact'),
    node('run', 'r1', 'Run'),
    node('artifact', 'out1', 'Artifact')
  ],
  edges: [
    { source: 'transform:t1', target: 'run:r1' },
    { source: 'artifact:in1', target: 'run:r1' },
    { source: 'run:r1', target: 'artifact:out1' }
  ]
};

describe('lineage graph helpers', () => {
  it('makes the node id of a record', () => {
    expect(nodeIdFor({ registry: 'Artifact', uid: 'abc' })).toBe('artifact:abc');
    expect(nodeIdFor({ registry: 'Run', uid: 'r' })).toBe('run:r');
  });

  it('merges graphs without duplicate nodes or edges', () => {
    const upstream: ILineageGraph = {
      nodes: GRAPH.nodes.slice(0, 3),
      edges: GRAPH.edges.slice(0, 2)
    };
    const downstream: ILineageGraph = {
      nodes: GRAPH.nodes.slice(2),
      edges: GRAPH.edges.slice(2)
    };
    const merged = mergeGraphs(upstream, downstream);
    expect(merged.nodes.map(n => n.id)).toEqual(GRAPH.nodes.map(n => n.id));
    expect(merged.edges).toEqual(GRAPH.edges);
    expect(mergeGraphs(merged, merged)).toEqual(merged);
  });

  it('drops dangling edges, self-loops and duplicate nodes from the layout input', () => {
    const input = buildLayoutInput({
      nodes: [...GRAPH.nodes, GRAPH.nodes[0]],
      edges: [
        ...GRAPH.edges,
        GRAPH.edges[0],
        { source: 'run:r1', target: 'artifact:missing' },
        { source: 'run:r1', target: 'run:r1' }
      ]
    });
    expect(input.nodes.map(n => n.id)).toEqual(GRAPH.nodes.map(n => n.id));
    expect(input.edges).toEqual(GRAPH.edges);
    expect(input.nodes.every(n => n.width > 0 && n.height > 0)).toBe(true);
  });

  it('lays out top to bottom in the direction of data flow', () => {
    const layout = layoutGraph(GRAPH);
    const y = Object.fromEntries(layout.nodes.map(n => [n.id, n.y]));
    expect(y['artifact:in1']).toBeLessThan(y['run:r1']);
    expect(y['transform:t1']).toBeLessThan(y['run:r1']);
    expect(y['run:r1']).toBeLessThan(y['artifact:out1']);
    expect(layout.edges).toHaveLength(3);
    expect(layout.edges.every(e => e.points.length >= 2)).toBe(true);
    expect(layout.width).toBeGreaterThan(0);
    expect(layout.nodes.find(n => n.id === 'run:r1')?.registry).toBe('Run');
  });

  it('lays out left to right on request', () => {
    const layout = layoutGraph(GRAPH, 'LR');
    const x = Object.fromEntries(layout.nodes.map(n => [n.id, n.x]));
    expect(x['artifact:in1']).toBeLessThan(x['run:r1']);
    expect(x['run:r1']).toBeLessThan(x['artifact:out1']);
  });

  it('lays out an empty graph', () => {
    expect(layoutGraph({ nodes: [], edges: [] }).nodes).toEqual([]);
  });

  it('draws edge paths and shortens labels', () => {
    expect(edgePath([])).toBe('');
    expect(
      edgePath([
        { x: 0, y: 1 },
        { x: 2.25, y: 3 }
      ])
    ).toBe('M0.0,1.0 C0.0,2.0 2.3,2.0 2.3,3.0');
    expect(shortLabel('short')).toBe('short');
    expect(shortLabel('a'.repeat(40), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('fits and zooms around a point', () => {
    expect(fitTransform({ width: 200, height: 100 }, { width: 400, height: 400 })).toEqual({
      k: 1,
      x: 100,
      y: 150
    });
    const fitted = fitTransform({ width: 800, height: 100 }, { width: 400, height: 400 });
    expect(fitted.k).toBe(0.5);
    const zoomed = zoomAt({ x: 0, y: 0, k: 1 }, 2, 100, 100);
    expect(zoomed).toEqual({ k: 2, x: -100, y: -100 });
    expect(zoomAt({ x: 0, y: 0, k: 1 }, 100, 0, 0).k).toBe(MAX_ZOOM);
  });
});

describe('lineage filters and edge routing', () => {
  const vertex = (id: string, kind: string) => ({ id, kind, uid: id, label: id, registry: kind });

  it('hides a kind and bridges the edges through it', () => {
    const graph = {
      nodes: [
        vertex('a', 'artifact'),
        vertex('r', 'run'),
        vertex('b', 'artifact'),
        vertex('t', 'transform')
      ],
      edges: [
        { source: 'a', target: 'r' },
        { source: 'r', target: 'b' },
        { source: 't', target: 'r' }
      ]
    };
    const shown = filterGraph(graph, new Set(['run']));
    expect(shown.nodes.map(n => n.id).sort()).toEqual(['a', 'b', 't']);
    expect(shown.edges.map(e => `${e.source}>${e.target}`).sort()).toEqual(['a>b', 't>b']);
    expect(filterGraph(graph, new Set())).toBe(graph);
  });

  it('never draws an edge under a node it does not connect (dagre, random graphs)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let trial = 0; trial < 30; trial++) {
      const n = 3 + Math.floor(random() * 12);
      const nodes = Array.from({ length: n }, (_, i) =>
        vertex(`n${i}`, ['artifact', 'run'][i % 2])
      );
      const edges = [];
      for (let s = 0; s < n; s++) {
        for (let t = s + 1; t < n; t++) {
          if (random() < 0.25) {
            edges.push({ source: `n${s}`, target: `n${t}` });
          }
        }
      }
      for (const direction of ['TB', 'LR'] as const) {
        for (const engine of ['dagre', 'layered'] as const) {
          const layout = layoutGraph({ nodes, edges }, direction, engine);
          expect(edgesUnderNodes(layout)).toEqual([]);
          expect(overlappingNodes(layout)).toEqual([]);
        }
      }
    }
  });

  it('lays out a 500-node lineage with the layered engine: ranks follow the data flow', () => {
    const nodes = [
      vertex('root', 'artifact'),
      vertex('t1', 'transform'),
      vertex('t2', 'transform')
    ];
    const edges: Array<{ source: string; target: string }> = [];
    const outputs: string[] = [];
    for (let r = 0; r < 25; r++) {
      nodes.push(vertex(`r${r}`, 'run'));
      edges.push({ source: 'root', target: `r${r}` }, { source: 't1', target: `r${r}` });
      for (let o = 0; o < 4; o++) {
        nodes.push(vertex(`a${r}-${o}`, 'artifact'));
        edges.push({ source: `r${r}`, target: `a${r}-${o}` });
        outputs.push(`a${r}-${o}`);
      }
    }
    outputs.forEach((a, j) => {
      nodes.push(vertex(`s${j}`, 'run'));
      edges.push({ source: a, target: `s${j}` }, { source: 't2', target: `s${j}` });
      for (let o = 0; o < 3; o++) {
        nodes.push(vertex(`b${j}-${o}`, 'artifact'));
        edges.push({ source: `s${j}`, target: `b${j}-${o}` });
      }
    });
    expect(nodes.length).toBeGreaterThan(LAYERED_MIN_NODES);
    const layout = layoutGraph({ nodes, edges }, 'LR');
    const x = new Map(layout.nodes.map(n => [n.id, n.x]));
    expect(new Set(layout.nodes.map(n => n.x)).size).toBe(5); // five ranks
    for (const edge of edges) {
      expect(x.get(edge.source) as number).toBeLessThan(x.get(edge.target) as number);
    }
    // a transform sits just before its runs, not in the first rank
    expect(x.get('t2')).toBe(x.get(outputs[0]));
    expect(overlappingNodes(layout)).toEqual([]);
    expect(edgesUnderNodes(layout)).toEqual([]);
  });

  it('spaces a rank by least squares under the minimum gaps', () => {
    expect(spacedPositions([0, 0, 0], [10, 10])).toEqual([-10, 0, 10]);
    expect(spacedPositions([0, 50], [10])).toEqual([0, 50]);
    expect(spacedPositions([], [])).toEqual([]);
  });
});

/** Pairs of node boxes that overlap. */
function overlappingNodes(layout: ReturnType<typeof layoutGraph>): string[] {
  const found: string[] = [];
  layout.nodes.forEach((a, i) => {
    for (const b of layout.nodes.slice(i + 1)) {
      if (
        Math.abs(a.x - b.x) < (a.width + b.width) / 2 - 0.5 &&
        Math.abs(a.y - b.y) < (a.height + b.height) / 2 - 0.5
      ) {
        found.push(`${a.id}/${b.id}`);
      }
    }
  });
  return found;
}
