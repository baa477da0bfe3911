/** Pure lineage helpers: node ids, graph merging, layout (dagre or layered.ts) and routing. */
import * as dagre from '@dagrejs/dagre';

import { ILineageEdge, ILineageGraph, ILineageNode, IRecordRef } from '../models';
import { IPlacedGraph, layeredLayout } from './layered';

export const NODE_WIDTH = 184;
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
  const merged: ILineageGraph = { nodes: [...nodes.values()], edges: [...edges.values()] };
  if (a.cells || b.cells) {
    merged.cells = { ...(b.cells ?? {}), ...(a.cells ?? {}) };
  }
  return merged;
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

/** Above this many nodes the graph is laid out by layered.ts (dagre takes seconds there). */
export const LAYERED_MIN_NODES = 150;

const SPACING = { nodesep: 16, ranksep: 40, margin: 12 };

function dagreLayout(input: ILayoutInput, rankdir: 'TB' | 'LR'): IPlacedGraph {
  const g = new dagre.graphlib.Graph();
  g.setGraph({
    rankdir,
    nodesep: SPACING.nodesep,
    ranksep: SPACING.ranksep,
    marginx: SPACING.margin,
    marginy: SPACING.margin
  });
  g.setDefaultEdgeLabel(() => ({}));
  input.nodes.forEach(n => g.setNode(n.id, { width: n.width, height: n.height }));
  input.edges.forEach(e => g.setEdge(e.source, e.target));
  dagre.layout(g);
  const size = g.graph();
  return {
    nodes: new Map(input.nodes.map(n => [n.id, { x: g.node(n.id).x, y: g.node(n.id).y }])),
    edgePoints: new Map(
      input.edges.map(e => [
        `${e.source}\u0000${e.target}`,
        g.edge(e.source, e.target).points ?? []
      ])
    ),
    width: size.width ?? 0,
    height: size.height ?? 0
  };
}

/**
 * Lay the graph out in the direction of data flow: top to bottom by default,
 * which suits a tall, narrow sidebar; `LR` for left to right. dagre for small graphs,
 * layered.ts's linear-time layout for large ones (`engine` forces one).
 */
export function layoutGraph(
  graph: ILineageGraph,
  rankdir: 'TB' | 'LR' = 'TB',
  engine?: 'dagre' | 'layered'
): IGraphLayout {
  const input = buildLayoutInput(graph);
  const vertical = rankdir === 'TB';
  const layered = engine ? engine === 'layered' : input.nodes.length > LAYERED_MIN_NODES;
  const placedGraph = layered
    ? layeredLayout(input, { vertical, ...SPACING })
    : dagreLayout(input, rankdir);
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const nodes = input.nodes.map(n => {
    const placed = placedGraph.nodes.get(n.id) as { x: number; y: number };
    return {
      ...(byId.get(n.id) as ILineageNode),
      x: placed.x,
      y: placed.y,
      width: n.width,
      height: n.height
    };
  });
  const placed = new Map(nodes.map(n => [n.id, n]));
  const ranks = [...new Set(nodes.map(n => (vertical ? n.y : n.x)))].sort((a, b) => a - b);
  const half = vertical ? NODE_HEIGHT / 2 : NODE_WIDTH / 2;
  const edges = input.edges.map(e => ({
    ...e,
    points: routeEdge(
      placed.get(e.source) as IPositionedNode,
      placed.get(e.target) as IPositionedNode,
      placedGraph.edgePoints.get(`${e.source}\u0000${e.target}`) ?? [],
      { vertical, ranks, half }
    )
  }));
  return { nodes, edges, width: placedGraph.width, height: placedGraph.height };
}

type Point = { x: number; y: number };

/**
 * An edge's polyline that crosses every rank band straight at its dummy's position and
 * bends only in the gaps between ranks, so it never passes under a node: out of the
 * source's side facing the target, through the dummies dagre placed, into the target.
 */
export function routeEdge(
  source: IPositionedNode,
  target: IPositionedNode,
  dagrePoints: Point[],
  bands: { vertical: boolean; ranks: number[]; half: number }
): Point[] {
  const { vertical, ranks, half } = bands;
  const along = (p: Point): number => (vertical ? p.y : p.x);
  const at = (across: number, alongValue: number): Point =>
    vertical ? { x: across, y: alongValue } : { x: alongValue, y: across };
  const across = (p: Point): number => (vertical ? p.x : p.y);
  const forward = along(target) >= along(source);
  const sign = forward ? 1 : -1;
  const low = Math.min(along(source), along(target));
  const high = Math.max(along(source), along(target));
  // dagre's inner points that sit on a rank strictly between the ends are its dummies
  const dummies = dagrePoints
    .map(p => ({ p, rank: ranks.find(r => Math.abs(r - along(p)) < 1) }))
    .filter(d => d.rank !== undefined && d.rank > low + 1 && d.rank < high - 1)
    .sort((a, b) => sign * ((a.rank as number) - (b.rank as number)));
  const points: Point[] = [at(across(source), along(source) + sign * half)];
  for (const { p, rank } of dummies) {
    points.push(at(across(p), (rank as number) - sign * half));
    points.push(at(across(p), (rank as number) + sign * half));
  }
  points.push(at(across(target), along(target) - sign * half));
  return points;
}

/**
 * An SVG path through a routed edge's points (see routeEdge): straight inside rank bands
 * (even segments), a curve across each gap between ranks (odd segments) that leaves and
 * arrives perpendicular to the bands and stays inside the gap.
 */
export function edgePath(points: Array<{ x: number; y: number }>, vertical = true): string {
  if (points.length === 0) {
    return '';
  }
  const f = (n: number): string => n.toFixed(1);
  let d = `M${f(points[0].x)},${f(points[0].y)}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (i % 2 === 0) {
      d += ` L${f(b.x)},${f(b.y)}`;
    } else if (vertical) {
      const my = (a.y + b.y) / 2;
      d += ` C${f(a.x)},${f(my)} ${f(b.x)},${f(my)} ${f(b.x)},${f(b.y)}`;
    } else {
      const mx = (a.x + b.x) / 2;
      d += ` C${f(mx)},${f(a.y)} ${f(mx)},${f(b.y)} ${f(b.x)},${f(b.y)}`;
    }
  }
  return d;
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

/** Node kinds in the legend's order. */
export const LINEAGE_KINDS = ['transform', 'run', 'artifact', 'collection'];

/**
 * The graph without the nodes of hidden kinds; an edge path that went through hidden nodes
 * becomes one edge, so hiding runs still shows which artifact was made from which.
 */
export function filterGraph(graph: ILineageGraph, hidden: ReadonlySet<string>): ILineageGraph {
  if (hidden.size === 0) {
    return graph;
  }
  const kindOf = new Map(graph.nodes.map(n => [n.id, n.kind]));
  const isHidden = (id: string): boolean => hidden.has(kindOf.get(id) ?? '');
  const successors = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = successors.get(edge.source) ?? [];
    list.push(edge.target);
    successors.set(edge.source, list);
  }
  const edges = new Map<string, ILineageEdge>();
  for (const node of graph.nodes) {
    if (isHidden(node.id)) {
      continue;
    }
    // walk through hidden nodes to the next visible ones
    const stack = [...(successors.get(node.id) ?? [])];
    const seen = new Set<string>();
    while (stack.length) {
      const next = stack.pop() as string;
      if (seen.has(next)) {
        continue;
      }
      seen.add(next);
      if (isHidden(next)) {
        stack.push(...(successors.get(next) ?? []));
      } else if (next !== node.id) {
        edges.set(`${node.id}\u0000${next}`, { source: node.id, target: next });
      }
    }
  }
  return { nodes: graph.nodes.filter(n => !isHidden(n.id)), edges: [...edges.values()] };
}

/** Segments of an edge's polyline that enter a node box other than its ends (for tests). */
export function edgesUnderNodes(layout: IGraphLayout): Array<[string, string, string]> {
  const hits: Array<[string, string, string]> = [];
  for (const edge of layout.edges) {
    for (const node of layout.nodes) {
      if (node.id === edge.source || node.id === edge.target) {
        continue;
      }
      const x0 = node.x - node.width / 2;
      const x1 = node.x + node.width / 2;
      const y0 = node.y - node.height / 2;
      const y1 = node.y + node.height / 2;
      const hit = edge.points.some((a, i) => {
        const b = edge.points[i + 1];
        if (!b) {
          return false;
        }
        for (let step = 0; step <= 40; step++) {
          const t = step / 40;
          const x = a.x + (b.x - a.x) * t;
          const y = a.y + (b.y - a.y) * t;
          if (x > x0 && x < x1 && y > y0 && y < y1) {
            return true;
          }
        }
        return false;
      });
      if (hit) {
        hits.push([edge.source, edge.target, node.id]);
      }
    }
  }
  return hits;
}
