/**
 * A layered (Sugiyama-style) layout in linear time per sweep, for large lineage graphs where
 * dagre's network-simplex ranking and ordering take seconds (500 nodes: 0.7-5 s here, against
 * a few ms for this one):
 *
 * 1. ranks by longest path from the sources, each source then pulled next to its first target
 *    (a transform sits just before its earliest run, not at rank 0);
 * 2. an edge across several ranks gets a dummy slot in each rank it crosses, so it is routed
 *    through a gap kept free for it and never passes under a node;
 * 3. the order within each rank by barycenter sweeps (down and up);
 * 4. positions across the ranks by least squares to the neighbours' mean position under the
 *    minimum spacing (pool-adjacent-violators), again in sweeps.
 *
 * The result has dagre's shape: node centres, the dummies' points per edge, the total size.
 */
import { ILayoutInput } from './layout';

export interface IPlacedGraph {
  nodes: Map<string, { x: number; y: number }>;
  /** Points of each edge's dummies, from source to target, by `${source}\0${target}`. */
  edgePoints: Map<string, Array<{ x: number; y: number }>>;
  width: number;
  height: number;
}

export interface ILayeredOptions {
  vertical: boolean;
  nodesep: number;
  ranksep: number;
  margin: number;
}

const SWEEPS = 6;
const DUMMY_SEP = 6;

interface ISlot {
  /** index into input.nodes, or -1 for a dummy */
  node: number;
  rank: number;
  size: number; // across the ranks
  preds: number[]; // slot indices
  succs: number[];
}

/** Longest-path ranks; cycles (not expected in lineage) are cut where Kahn's order stops. */
function ranksOf(n: number, edges: Array<[number, number]>): number[] {
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Array<number>(n).fill(0);
  for (const [s, t] of edges) {
    succs[s].push(t);
    preds[t].push(s);
    indegree[t]++;
  }
  const order: number[] = [];
  const queue = indegree.map((d, i) => (d === 0 ? i : -1)).filter(i => i >= 0);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    order.push(v);
    for (const t of succs[v]) {
      if (--indegree[t] === 0) {
        queue.push(t);
      }
    }
  }
  const placed = new Set(order);
  for (let i = 0; i < n; i++) {
    if (!placed.has(i)) {
      order.push(i); // on a cycle: after everything else
    }
  }
  const position = new Array<number>(n);
  order.forEach((v, i) => (position[v] = i));
  const rank = new Array<number>(n).fill(0);
  for (const v of order) {
    for (const p of preds[v]) {
      if (position[p] < position[v]) {
        rank[v] = Math.max(rank[v], rank[p] + 1);
      }
    }
  }
  for (const v of order) {
    const forward = succs[v].filter(t => position[t] > position[v]);
    if (preds[v].length === 0 && forward.length > 0) {
      rank[v] = Math.max(0, Math.min(...forward.map(t => rank[t])) - 1);
    }
  }
  return rank;
}

/** The slots of each rank: real nodes and one dummy per rank an edge crosses. */
function buildSlots(
  input: ILayoutInput,
  sizeAcross: (i: number) => number
): { slots: ISlot[]; chains: Map<string, number[]>; ranks: number[][] } {
  const index = new Map(input.nodes.map((node, i) => [node.id, i]));
  const edges = input.edges.map(
    e => [index.get(e.source), index.get(e.target)] as [number, number]
  );
  const rank = ranksOf(input.nodes.length, edges);
  const slots: ISlot[] = input.nodes.map((_, i) => ({
    node: i,
    rank: rank[i],
    size: sizeAcross(i),
    preds: [],
    succs: []
  }));
  const chains = new Map<string, number[]>();
  input.edges.forEach((edge, k) => {
    const [s, t] = edges[k];
    const chain: number[] = [];
    let previous = s;
    for (let r = rank[s] + 1; r < rank[t]; r++) {
      const dummy = slots.length;
      slots.push({ node: -1, rank: r, size: 0, preds: [previous], succs: [] });
      slots[previous].succs.push(dummy);
      chain.push(dummy);
      previous = dummy;
    }
    slots[previous].succs.push(t);
    slots[t].preds.push(previous);
    chains.set(`${edge.source}\u0000${edge.target}`, chain);
  });
  const ranks: number[][] = [];
  slots.forEach((slot, i) => {
    (ranks[slot.rank] ??= []).push(i);
  });
  return { slots, chains, ranks: ranks.map(r => r ?? []) };
}

/** Order each rank by its nodes' mean order among their neighbours in the rank before. */
function orderRanks(slots: ISlot[], ranks: number[][]): void {
  const order = new Float64Array(slots.length);
  const number = (): void => ranks.forEach(r => r.forEach((s, i) => (order[s] = i)));
  number();
  const sweep = (r: number, neighbours: (s: ISlot) => number[]): void => {
    const key = new Map<number, number>();
    for (const s of ranks[r]) {
      const list = neighbours(slots[s]);
      key.set(s, list.length ? list.reduce((a, n) => a + order[n], 0) / list.length : order[s]);
    }
    ranks[r].sort((a, b) => (key.get(a) as number) - (key.get(b) as number) || order[a] - order[b]);
    ranks[r].forEach((s, i) => (order[s] = i));
  };
  for (let i = 0; i < SWEEPS; i++) {
    for (let r = 1; r < ranks.length; r++) {
      sweep(r, s => s.preds);
    }
    for (let r = ranks.length - 2; r >= 0; r--) {
      sweep(r, s => s.succs);
    }
  }
  number();
}

/** Least-squares positions of one rank near `wanted`, keeping each gap at least `gap[i]`
 * (pool adjacent violators on the positions shifted by the cumulative gaps). */
export function spacedPositions(wanted: number[], gaps: number[]): number[] {
  const offset = [0];
  for (let i = 1; i < wanted.length; i++) {
    offset.push(offset[i - 1] + gaps[i - 1]);
  }
  const blocks: Array<{ sum: number; count: number }> = [];
  wanted.forEach((w, i) => {
    blocks.push({ sum: w - offset[i], count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const before = blocks[blocks.length - 2];
      if (before.sum / before.count <= last.sum / last.count) {
        break;
      }
      before.sum += last.sum;
      before.count += last.count;
      blocks.pop();
    }
  });
  const result: number[] = [];
  for (const block of blocks) {
    for (let j = 0; j < block.count; j++) {
      result.push(block.sum / block.count + offset[result.length]);
    }
  }
  return result;
}

function placeAcross(slots: ISlot[], ranks: number[][], nodesep: number): Float64Array {
  const pos = new Float64Array(slots.length);
  const gapBetween = (a: ISlot, b: ISlot): number =>
    a.size / 2 + b.size / 2 + (a.node < 0 || b.node < 0 ? DUMMY_SEP : nodesep);
  const gaps = ranks.map(r => r.slice(1).map((s, i) => gapBetween(slots[r[i]], slots[s])));
  ranks.forEach((r, k) => {
    let x = 0;
    r.forEach((s, i) => {
      x += i === 0 ? 0 : gaps[k][i - 1];
      pos[s] = x;
    });
  });
  const place = (k: number, neighbours: (s: ISlot) => number[]): void => {
    const r = ranks[k];
    const wanted = r.map(s => {
      const list = neighbours(slots[s]);
      return list.length ? list.reduce((a, n) => a + pos[n], 0) / list.length : pos[s];
    });
    spacedPositions(wanted, gaps[k]).forEach((p, i) => (pos[r[i]] = p));
  };
  for (let i = 0; i < SWEEPS; i++) {
    for (let k = 1; k < ranks.length; k++) {
      place(k, s => s.preds);
    }
    for (let k = ranks.length - 2; k >= 0; k--) {
      place(k, s => s.succs);
    }
  }
  return pos;
}

/** Lay out `input` (deduplicated, no self-loops) in ranks along y (vertical) or x. */
export function layeredLayout(input: ILayoutInput, options: ILayeredOptions): IPlacedGraph {
  const { vertical, nodesep, ranksep, margin } = options;
  const across = (i: number): number => (vertical ? input.nodes[i].width : input.nodes[i].height);
  const along = (i: number): number => (vertical ? input.nodes[i].height : input.nodes[i].width);
  const { slots, chains, ranks } = buildSlots(input, across);
  orderRanks(slots, ranks);
  const pos = placeAcross(slots, ranks, nodesep);
  let low = Infinity;
  let high = -Infinity;
  slots.forEach((slot, i) => {
    low = Math.min(low, pos[i] - slot.size / 2);
    high = Math.max(high, pos[i] + slot.size / 2);
  });
  const depth = ranks.map(r =>
    Math.max(0, ...r.filter(s => slots[s].node >= 0).map(s => along(slots[s].node)))
  );
  const centre: number[] = [];
  let cursor = margin;
  depth.forEach(d => {
    centre.push(cursor + d / 2);
    cursor += d + ranksep;
  });
  const point = (s: number): { x: number; y: number } => {
    const a = pos[s] - low + margin;
    const b = centre[slots[s].rank];
    return vertical ? { x: a, y: b } : { x: b, y: a };
  };
  const nodes = new Map<string, { x: number; y: number }>();
  slots.forEach((slot, i) => {
    if (slot.node >= 0) {
      nodes.set(input.nodes[slot.node].id, point(i));
    }
  });
  const edgePoints = new Map<string, Array<{ x: number; y: number }>>();
  chains.forEach((chain, key) => edgePoints.set(key, chain.map(point)));
  const acrossSize = (slots.length ? high - low : 0) + 2 * margin;
  const alongSize = cursor - ranksep + margin;
  return {
    nodes,
    edgePoints,
    width: vertical ? acrossSize : alongSize,
    height: vertical ? alongSize : acrossSize
  };
}
