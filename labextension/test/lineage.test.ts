import { describe, expect, it } from 'vitest';

import {
  buildLayoutInput,
  edgesUnderNodes,
  filterGraph,
  edgePath,
  fitTransform,
  layoutGraph,
  mergeGraphs,
  MAX_ZOOM,
  nodeIdFor,
  shortLabel,
  zoomAt
} from '../src/lineage/layout';
import { ILineageGraph } from '../src/models';

const node = (kind: string, uid: string, registry: string) => ({
  id: `${kind}:${uid}`,
  kind,
  uid,
  label: `${kind} ${uid}`,
  registry
});

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
        expect(edgesUnderNodes(layoutGraph({ nodes, edges }, direction))).toEqual([]);
      }
    }
  });
});
