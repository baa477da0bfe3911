/**
 * Runs expanded into their notebook cells (pure): each cell of an expanded run becomes a node
 * (kind `cell`) after its run, with its own edges from what it loaded and to what it saved;
 * the run's own edges to those records give way to the cells'. Collapsing is the graph
 * without the run in `expanded`. Also: which nodes are "upstream changed".
 */
import { ILineageEdge, ILineageGraph, ILineageNode, IRunCell, IUpstreamChange } from '../models';

export const CELL_KIND = 'cell';

/** `cell:<run uid>:<cell key>` */
export function cellNodeId(runUid: string, key: string): string {
  return `cell:${runUid}:${key}`;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** `cell [7]`, `make.py:12` or `no cell recorded` (calls of the run that recorded no site). */
export function cellLabel(cell: IRunCell): string {
  if (cell.cell_id || cell.execution_count !== null) {
    return `cell [${cell.execution_count ?? '?'}]`;
  }
  if (cell.call_file) {
    return `${baseName(cell.call_file)}:${cell.call_line ?? '?'}`;
  }
  return 'no cell recorded';
}

/** Whether a node is marked "upstream changed" (a stale run, its outputs, its cells). */
export function isStale(node: ILineageNode): boolean {
  return !!node.upstream_changed || (node.upstream_changes?.length ?? 0) > 0;
}

/** One line per change: `'raw.parquet' #0000 → #0001` (and through which input). */
export function describeChange(change: IUpstreamChange): string {
  const text = `'${change.changed.label}' ${change.changed.version} → ${change.newer.version}`;
  return change.via ? `${text} (via '${change.via.label}')` : text;
}

/** Whether the run node has cells to expand into (unknown cells: it may). */
export function canExpandRun(graph: ILineageGraph, node: ILineageNode): boolean {
  if (node.kind !== 'run') {
    return false;
  }
  return graph.cells ? (graph.cells[node.uid]?.length ?? 0) > 0 : true;
}

const edgeKey = (source: string, target: string): string => `${source}\u0000${target}`;

/** The inputs of a stale run through which its changes arrive (uids). */
function staleInputs(run: ILineageNode | undefined): Set<string> {
  return new Set((run?.upstream_changes ?? []).map(c => (c.via ? c.via.uid : c.changed.uid)));
}

/** The graph with the runs in `expanded` (run uids) opened into their cells. */
export function expandRuns(graph: ILineageGraph, expanded: ReadonlySet<string>): ILineageGraph {
  if (!graph.cells || expanded.size === 0) {
    return graph;
  }
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const nodes: ILineageNode[] = [...graph.nodes];
  const added: ILineageEdge[] = [];
  const replaced = new Set<string>();
  for (const runUid of expanded) {
    const runId = `run:${runUid}`;
    const cells = graph.cells[runUid] ?? [];
    if (!byId.has(runId) || cells.length === 0) {
      continue;
    }
    const stale = staleInputs(byId.get(runId));
    for (const cell of cells) {
      const id = cellNodeId(runUid, cell.key);
      nodes.push({
        id,
        kind: CELL_KIND,
        uid: runUid,
        label: cellLabel(cell),
        registry: 'Run',
        cell,
        upstream_changed: cell.inputs.some(ref => stale.has(ref.uid)) || undefined
      });
      added.push({ source: runId, target: id });
      for (const ref of cell.inputs) {
        const source = `${ref.registry.toLowerCase()}:${ref.uid}`;
        if (byId.has(source)) {
          added.push({ source, target: id });
          replaced.add(edgeKey(source, runId));
        }
      }
      for (const ref of cell.outputs) {
        const target = `${ref.registry.toLowerCase()}:${ref.uid}`;
        if (byId.has(target)) {
          added.push({ source: id, target });
          replaced.add(edgeKey(runId, target));
        }
      }
    }
  }
  const edges = graph.edges.filter(e => !replaced.has(edgeKey(e.source, e.target)));
  return { nodes, edges: [...edges, ...added], cells: graph.cells };
}
