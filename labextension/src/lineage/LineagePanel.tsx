/** The lineage of a record (or of the active notebook's run) with its controls; the
 * sidebar shows it compact, the main-area Lineage page at full size. */
import React, { useEffect, useState } from 'react';

import { getLineage } from '../api';
import { EmptyState, ErrorBox } from '../common/components';
import { ILineageGraph, IRecordRef } from '../models';
import { useAsync } from '../sidebar/hooks';
import { mergeGraphs, nodeIdFor } from './layout';
import { LineageView } from './LineageView';

export interface ILineagePanelProps {
  /** What to show; null when neither a record nor a tracked run is known. */
  target: IRecordRef | null;
  /** True when the target is the active notebook's run rather than a chosen record. */
  fromNotebook: boolean;
  depth: number;
  generation: number;
  visible: boolean;
  onOpen: (ref: IRecordRef) => void;
  onOpenFull?: (ref: IRecordRef) => void;
  /** Full size, left to right (the main area); else compact, top to bottom. */
  full?: boolean;
  onLaidOut?: (nodes: number) => void;
  /** The target's name once the graph is loaded (a page titles its tab with it). */
  onTargetLabel?: (label: string) => void;
}

export async function fetchLineage(
  target: IRecordRef,
  up: number,
  down: number,
  cells = false
): Promise<ILineageGraph> {
  const [upstream, downstream] = await Promise.all([
    getLineage(target.registry, target.uid, { direction: 'upstream', depth: up, cells }),
    getLineage(target.registry, target.uid, { direction: 'downstream', depth: down, cells })
  ]);
  return mergeGraphs(upstream, downstream);
}

export function LineagePanel(props: ILineagePanelProps): JSX.Element {
  const { target } = props;
  const [up, setUp] = useState(props.depth);
  const [down, setDown] = useState(props.depth);
  // cells are fetched once a run is first expanded (they cost queries big graphs don't need)
  const [withCells, setWithCells] = useState(false);
  useEffect(() => {
    setUp(props.depth);
    setDown(props.depth);
  }, [target?.registry, target?.uid, props.depth]);
  const lineage = useAsync(
    target && props.visible ? () => fetchLineage(target, up, down, withCells) : null,
    [target?.registry, target?.uid, up, down, withCells, props.generation, props.visible]
  );
  const targetLabel = lineage.data?.nodes.find(n => n.uid === target?.uid)?.label;
  useEffect(() => {
    if (targetLabel) {
      props.onTargetLabel?.(targetLabel);
    }
  }, [targetLabel]);
  if (!target) {
    return (
      <EmptyState title="No lineage to show yet" testid="lk-lineage-empty">
        Open a record and choose “Lineage”, or track the active notebook with{' '}
        <code>ln.track()</code>: its run’s lineage shows here.
      </EmptyState>
    );
  }
  return (
    <div className="lk-LineagePanel" data-testid="lk-lineage-panel">
      <div
        className="lk-LineageTitle"
        data-testid="lk-lineage-target"
        data-uid={target.uid}
        title={`${target.registry} ${target.uid}`}
      >
        <span className="lk-PageKind">{props.fromNotebook ? 'Current run' : target.registry}</span>{' '}
        {targetLabel ?? target.uid}
      </div>
      {lineage.error && <ErrorBox message={lineage.error} />}
      {lineage.loading && !lineage.data && <div className="lk-Loading">Loading lineage…</div>}
      {lineage.data && (
        <LineageView
          graph={lineage.data}
          rootId={nodeIdFor(target)}
          target={target}
          up={up}
          down={down}
          onExpand={direction =>
            direction === 'upstream' ? setUp(d => d + 1) : setDown(d => d + 1)
          }
          onOpen={node => props.onOpen({ registry: node.registry, uid: node.uid })}
          onOpenFull={props.onOpenFull ? () => props.onOpenFull?.(target) : undefined}
          visible={props.visible}
          direction={props.full ? 'LR' : 'TB'}
          compact={!props.full}
          onLaidOut={props.onLaidOut}
          onNeedCells={() => setWithCells(true)}
        />
      )}
    </div>
  );
}
