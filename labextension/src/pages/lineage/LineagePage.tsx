/** The lineage of a record at full size in the main area. */
import React, { useEffect } from 'react';

import { LineagePanel } from '../../lineage/LineagePanel';
import { IRecordRef } from '../../models';
import { IPageContext } from '../context';

export function LineagePage(props: {
  target: IRecordRef;
  context: IPageContext;
  isVisible: () => boolean;
  onTitle: (title: string, caption: string) => void;
}): JSX.Element {
  const { target, context } = props;
  useEffect(
    () =>
      props.onTitle(
        `Lineage ${target.uid.slice(0, 8)}`,
        `Lineage of ${target.registry} ${target.uid}`
      ),
    [target.uid]
  );
  return (
    <div
      className="lk-Page lk-page-lineage"
      data-testid="lk-lineage-page"
      data-registry={target.registry}
      data-uid={target.uid}
    >
      <LineagePanel
        target={target}
        fromNotebook={false}
        depth={context.lineageDepth}
        generation={context.live.generation}
        visible
        full
        onOpen={context.actions.open}
        onTargetLabel={label =>
          props.onTitle(
            `Lineage · ${label}`,
            `Lineage of ${target.registry} ${label} (${target.uid})`
          )
        }
        onLaidOut={nodes => {
          // a mark for benchmarks and tests: the layout of this many nodes is on screen
          window.performance?.mark?.(`lk-lineage-laid-out-${nodes}`);
        }}
      />
    </div>
  );
}
