/**
 * A lineage graph with its controls: expand upstream and downstream, filter by kind (the
 * legend's checkboxes), export SVG/PNG, open at full size. The sidebar, the main-area page
 * and the notebook output of view_lineage() all use this one component.
 */
import { caretDownIcon, caretUpIcon, downloadIcon, imageIcon } from '@jupyterlab/ui-components';
import React, { useCallback, useMemo, useRef, useState } from 'react';

import { LINEAGE_DEPTH_MAX } from '../api';
import { ToolButton } from '../common/components';
import { ILineageGraph, ILineageNode, IRecordRef } from '../models';
import { openFullIcon } from '../pages/icons';
import { canExpandRun, CELL_KIND, expandRuns, isStale } from './cells';
import { exportPng, exportSvg } from './export';
import { filterGraph, LINEAGE_KINDS } from './layout';
import { LineageGraph } from './LineageGraph';

export interface ILineageViewProps {
  graph: ILineageGraph;
  rootId: string | null;
  target: IRecordRef | null;
  up: number;
  down: number;
  /** Ask for one more level; absent when the graph cannot grow (a static output). */
  onExpand?: (direction: 'upstream' | 'downstream') => void;
  onOpen: (node: ILineageNode) => void;
  /** Open this lineage at full size in the main area (the sidebar and notebook outputs). */
  onOpenFull?: () => void;
  visible: boolean;
  direction: 'TB' | 'LR';
  compact?: boolean;
  onLaidOut?: (nodes: number) => void;
  /** Runs expand into their cells; called when the graph has no cells yet (fetch them). */
  onNeedCells?: () => void;
}

/** The set with `item` added or removed. */
function toggled(set: ReadonlySet<string>, item: string): Set<string> {
  const next = new Set(set);
  if (next.has(item)) {
    next.delete(item);
  } else {
    next.add(item);
  }
  return next;
}

export function LineageView(props: ILineageViewProps): JSX.Element {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const container = useRef<HTMLDivElement>(null);
  const full = useMemo(() => expandRuns(props.graph, expanded), [props.graph, expanded]);
  const shown = useMemo(() => filterGraph(full, hidden), [full, hidden]);
  const counts = useMemo(() => {
    const byKind: { [kind: string]: number } = { stale: 0 };
    full.nodes.forEach(n => {
      byKind[n.kind] = (byKind[n.kind] ?? 0) + 1;
      byKind.stale += isStale(n) ? 1 : 0;
    });
    return byKind;
  }, [full]);
  const expandable = !!props.graph.cells || !!props.onNeedCells;
  const canExpand = useMemo(
    () => (node: ILineageNode) => canExpandRun(props.graph, node),
    [props.graph]
  );
  const toggleCells = useCallback(
    (node: ILineageNode): void => {
      if (!props.graph.cells) {
        props.onNeedCells?.();
      }
      setExpanded(previous => toggled(previous, node.uid));
    },
    [props.graph, props.onNeedCells]
  );
  const kinds = counts[CELL_KIND] ? [...LINEAGE_KINDS, CELL_KIND] : LINEAGE_KINDS;
  const svg = (): SVGSVGElement | null =>
    container.current?.querySelector('svg.lk-LineageSvg') ?? null;
  const filename = `${props.target ? `${props.target.registry}-${props.target.uid}` : 'lineage'}`;
  const toggle = (kind: string): void => setHidden(previous => toggled(previous, kind));
  return (
    <div
      className={`lk-LineageView${props.compact ? ' lk-mod-compact' : ''}`}
      data-testid="lk-lineage-view"
      ref={container}
    >
      <div className="lk-Toolbar lk-LineageToolbar" role="toolbar" aria-label="Lineage">
        {props.onExpand && (
          <>
            <ToolButton
              icon={caretUpIcon}
              label={`${props.up}`}
              tooltip={`Show one more level upstream (now ${props.up})`}
              testid="lk-lineage-expand-upstream"
              enabled={props.up < LINEAGE_DEPTH_MAX}
              onClick={() => props.onExpand?.('upstream')}
            />
            <ToolButton
              icon={caretDownIcon}
              label={`${props.down}`}
              tooltip={`Show one more level downstream (now ${props.down})`}
              testid="lk-lineage-expand-downstream"
              enabled={props.down < LINEAGE_DEPTH_MAX}
              onClick={() => props.onExpand?.('downstream')}
            />
            <span className="lk-Muted" data-testid="lk-lineage-depth">
              levels up · down
            </span>
          </>
        )}
        <span className="lk-Spacer" />
        <ToolButton
          icon={downloadIcon}
          tooltip="Export as SVG"
          label={props.compact ? undefined : 'SVG'}
          testid="lk-lineage-export-svg"
          onClick={() => {
            const element = svg();
            if (element) {
              exportSvg(element, `${filename}.svg`);
            }
          }}
        />
        <ToolButton
          icon={imageIcon}
          tooltip="Export as PNG"
          label={props.compact ? undefined : 'PNG'}
          testid="lk-lineage-export-png"
          onClick={() => {
            const element = svg();
            if (element) {
              void exportPng(element, `${filename}.png`);
            }
          }}
        />
        {props.onOpenFull && (
          <ToolButton
            icon={openFullIcon}
            tooltip="Open at full size in the main area"
            label={props.compact ? undefined : 'Open'}
            testid="lk-lineage-open-full"
            onClick={props.onOpenFull}
          />
        )}
      </div>
      <fieldset className="lk-Legend" data-testid="lk-lineage-legend">
        <legend className="lk-VisuallyHidden">Show kinds</legend>
        {kinds.map(kind => (
          <label key={kind} className={`lk-LegendItem lk-kind-${kind}`}>
            <input
              type="checkbox"
              data-testid={`lk-lineage-kind-${kind}`}
              checked={!hidden.has(kind)}
              onChange={() => toggle(kind)}
            />
            <span className="lk-LegendSwatch" />
            {kind}
            <span className="lk-Muted"> {counts[kind] ?? 0}</span>
          </label>
        ))}
        {counts.stale > 0 && (
          <span
            className="lk-LegendItem lk-mod-stale"
            data-testid="lk-lineage-legend-stale"
            title="Made from inputs that have a newer version now (lamin rerun --stale)"
          >
            <span className="lk-StaleSwatch">!</span>
            upstream changed
            <span className="lk-Muted"> {counts.stale}</span>
          </span>
        )}
      </fieldset>
      <LineageGraph
        graph={shown}
        rootId={props.rootId}
        visible={props.visible}
        onOpen={props.onOpen}
        direction={props.direction}
        onLaidOut={props.onLaidOut}
        canExpand={expandable ? canExpand : undefined}
        expanded={expanded}
        onToggleCells={expandable ? toggleCells : undefined}
      />
    </div>
  );
}
