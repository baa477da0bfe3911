/** Pure lineage helpers: node ids, graph merging, dagre layout input and output. */
import * as dagre from '@dagrejs/dagre';

import { ILineageEdge, ILineageGraph, ILineageNode, IRecordRef } from '../models';

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 40;
export const MAX_LABEL_CHARS = 24;

/** The id the server gives a record's node: `<kind>:<uid>`, kind = lower-case registry. */
export function nodeIdFor(ref: IRecordRef): string {
  return `${ref.registry.toLowerCase()}:${ref.uid}`;
}

/** Union of two graphs; nodes by id, edges by (source, target). */
export function mergeGraphs(a: ILineageGraph, b: ILineageGraph): ILineageGraph {
  const nodes = new Map<string, ILineageNode>();
  for (const node of [...a.nodes, ...b.nodes]) {
    if (!nodes.has(node.id)) {
      nodes.set(node.id, node);
    }
  }
  const edges = new Map<string, ILineageEdge>();
  for (const edge of [...a.edges, ...b.edges]) {
    edges.set(`${edge.source}\u0000${edge.target}`, edge);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Shorten a label for a node box; the full text goes in the tooltip. */
export function shortLabel(label: string, max = MAX_LABEL_CHARS): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

export interface ILayoutInput {
  nodes: Array<{ id: string; width: number; height: number }>;
  edges: Array<{ source: string; target: string }>;
}

/**
 * What dagre lays out: deduplicated nodes, and only edges whose ends both
 * exist and that are not self-loops.
 */
export function buildLayoutInput(graph: ILineageGraph): ILayoutInput {
  const ids = new Set<string>();
  const nodes: ILayoutInput['nodes'] = [];
  for (const node of graph.nodes) {
    if (!ids.has(node.id)) {
      ids.add(node.id);
      nodes.push({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT });
    }
  }
  const seen = new Set<string>();
  const edges: ILayoutInput['edges'] = [];
  for (const edge of graph.edges) {
    const key = `${edge.source}\u0000${edge.target}`;
    if (
      ids.has(edge.source) &&
      ids.has(edge.target) &&
      edge.source !== edge.target &&
      !seen.has(key)
    ) {
      seen.add(key);
      edges.push({ source: edge.source, target: edge.target });
    }
  }
  return { nodes, edges };
}

export interface IPositionedNode extends ILineageNode {
  /** Centre of the box. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface IPositionedEdge extends ILineageEdge {
  points: Array<{ x: number; y: number }>;
}

export interface IGraphLayout {
  nodes: IPositionedNode[];
  edges: IPositionedEdge[];
  width: number;
  height: number;
}

/**
 * Lay the graph out in the direction of data flow: top to bottom by default,
 * which suits a tall, narrow sidebar; `LR` for left to right.
 */
export function layoutGraph(graph: ILineageGraph, rankdir: 'TB' | 'LR' = 'TB'): IGraphLayout {
  const input = buildLayoutInput(graph);
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir, nodesep: 16, ranksep: 40, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  input.nodes.forEach(n => g.setNode(n.id, { width: n.width, height: n.height }));
  input.edges.forEach(e => g.setEdge(e.source, e.target));
  dagre.layout(g);
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const nodes = input.nodes.map(n => {
    const placed = g.node(n.id);
    return {
      ...(byId.get(n.id) as ILineageNode),
      x: placed.x,
      y: placed.y,
      width: n.width,
      height: n.height
    };
  });
  const edges = input.edges.map(e => ({
    ...e,
    points: (g.edge(e.source, e.target).points ?? []).map(p => ({ x: p.x, y: p.y }))
  }));
  const size = g.graph();
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

/** An SVG path through the edge's points. */
export function edgePath(points: Array<{ x: number; y: number }>): string {
  if (points.length === 0) {
    return '';
  }
  return points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
    .join(' ');
}

export interface IViewTransform {
  x: number;
  y: number;
  k: number;
}

export const MIN_ZOOM = 0.2;
export const MAX_ZOOM = 3;

/** Scale and centre the layout in a viewport (never above 1:1). */
export function fitTransform(
  layout: { width: number; height: number },
  viewport: { width: number; height: number }
): IViewTransform {
  if (layout.width <= 0 || layout.height <= 0 || viewport.width <= 0 || viewport.height <= 0) {
    return { x: 0, y: 0, k: 1 };
  }
  const k = Math.max(
    MIN_ZOOM,
    Math.min(1, viewport.width / layout.width, viewport.height / layout.height)
  );
  return {
    k,
    x: (viewport.width - layout.width * k) / 2,
    y: (viewport.height - layout.height * k) / 2
  };
}

/** Zoom by `factor` keeping the point (px, py) of the viewport fixed. */
export function zoomAt(t: IViewTransform, factor: number, px: number, py: number): IViewTransform {
  const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, t.k * factor));
  const ratio = k / t.k;
  return { k, x: px - (px - t.x) * ratio, y: py - (py - t.y) * ratio };
}
