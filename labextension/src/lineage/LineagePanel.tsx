/** The Lineage tab: a record's lineage, or the active notebook's current run. */
import React, { useEffect, useState } from 'react';

import { getLineage, LINEAGE_DEPTH_MAX } from '../api';
import { ILineageGraph, IRecordRef } from '../models';
import { useAsync } from '../sidebar/hooks';
import { ISidebarActions } from '../sidebar/model';
import { LineageGraph } from './LineageGraph';
import { mergeGraphs, nodeIdFor } from './layout';

export interface ILineagePanelProps {
  /** What to show; null when neither a record nor a tracked run is known. */
  target: IRecordRef | null;
  /** True when the target is the active notebook's run rather than a chosen record. */
  fromNotebook: boolean;
  depth: number;
  generation: number;
  visible: boolean;
  actions: ISidebarActions;
}

async function fetchLineage(target: IRecordRef, up: number, down: number): Promise<ILineageGraph> {
  const [upstream, downstream] = await Promise.all([
    getLineage(target.registry, target.uid, { direction: 'upstream', depth: up }),
    getLineage(target.registry, target.uid, { direction: 'downstream', depth: down })
  ]);
  return mergeGraphs(upstream, downstream);
}

export function LineagePanel(props: ILineagePanelProps): JSX.Element {
  const { target } = props;
  const [up, setUp] = useState(props.depth);
  const [down, setDown] = useState(props.depth);
  useEffect(() => {
    setUp(props.depth);
    setDown(props.depth);
  }, [target?.registry, target?.uid, props.depth]);
  const lineage = useAsync(target && props.visible ? () => fetchLineage(target, up, down) : null, [
    target?.registry,
    target?.uid,
    up,
    down,
    props.generation,
    props.visible
  ]);
  if (!target) {
    return (
      <div className="lk-Empty" data-testid="lk-lineage-empty">
        Open a record and choose “Show lineage”, or track the active notebook with ln.track().
      </div>
    );
  }
  return (
    <div className="lk-LineagePanel" data-testid="lk-lineage-panel">
      <div className="lk-Toolbar">
        <span className="lk-LineageTitle" data-testid="lk-lineage-target" data-uid={target.uid}>
          {props.fromNotebook ? 'Current run' : target.registry} {target.uid}
        </span>
      </div>
      <div className="lk-Toolbar">
        <button
          className="lk-Button"
          data-testid="lk-lineage-expand-upstream"
          disabled={up >= LINEAGE_DEPTH_MAX}
          title={`Upstream depth ${up}`}
          onClick={() => setUp(d => Math.min(LINEAGE_DEPTH_MAX, d + 1))}
        >
          ▲ Expand upstream
        </button>
        <button
          className="lk-Button"
          data-testid="lk-lineage-expand-downstream"
          disabled={down >= LINEAGE_DEPTH_MAX}
          title={`Downstream depth ${down}`}
          onClick={() => setDown(d => Math.min(LINEAGE_DEPTH_MAX, d + 1))}
        >
          Expand downstream ▼
        </button>
        <span className="lk-Muted" data-testid="lk-lineage-depth">
          depth ▲ {up} · ▼ {down}
        </span>
      </div>
      {lineage.error && (
        <div className="lk-Error" data-testid="lk-error">
          {lineage.error}
        </div>
      )}
      {lineage.loading && !lineage.data && <div className="lk-Loading">Loading lineage…</div>}
      {lineage.data && (
        <LineageGraph
          graph={lineage.data}
          rootId={nodeIdFor(target)}
          visible={props.visible}
          onOpen={node => props.actions.openRecord({ registry: node.registry, uid: node.uid })}
        />
      )}
      <div className="lk-Legend">
        {['artifact', 'run', 'transform', 'collection'].map(kind => (
          <span key={kind} className={`lk-LegendItem lk-kind-${kind}`}>
            <span className="lk-LegendSwatch" />
            {kind}
          </span>
        ))}
      </div>
    </div>
  );
}
