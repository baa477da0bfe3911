/** One main-area page: loads its record and shows the page of its registry; reloads on live
 * changes; a version switch re-targets the same tab. */
import React, { useEffect, useState } from 'react';

import { getRecord } from '../api';
import { ErrorBox } from '../common/components';
import { IRecordDetail, IRecordRef } from '../models';
import { useAsync, useSignal } from '../sidebar/hooks';
import { ArtifactPage } from './artifact/ArtifactPage';
import { prefetchArtifactPage } from './artifact/prefetch';
import { ComparePage } from './compare/ComparePage';
import { IPageContext } from './context';
import { LineagePage } from './lineage/LineagePage';
import { RecordPage } from './record/RecordPage';
import { RunPage } from './run/RunPage';
import { PageTarget } from './target';
import { TransformPage } from './transform/TransformPage';

export interface IPageViewProps {
  target: PageTarget;
  context: IPageContext;
  /** The page shows another record now (a version switch): update the tab's title. */
  onRetarget: (target: PageTarget) => void;
  /** The record's name is known: the tab's title. */
  onTitle: (title: string, caption: string) => void;
  isVisible: () => boolean;
}

function kindOf(registry: string): string {
  return registry === 'Artifact' || registry === 'Transform' || registry === 'Run'
    ? registry.toLowerCase()
    : 'record';
}

function RecordPageView(
  props: Omit<IPageViewProps, 'target'> & { target: IRecordRef }
): JSX.Element {
  const { target, context } = props;
  const [edits, setEdits] = useState(0);
  const detail = useAsync(() => {
    const loading = getRecord(target.registry, target.uid); // first: the page waits for it
    if (target.registry === 'Artifact') {
      prefetchArtifactPage(target.uid); // its sections' data, in parallel with the detail
    }
    return loading;
  }, [target.registry, target.uid, context.live.generation, edits]);
  const data: IRecordDetail | null = detail.data;
  useEffect(() => {
    if (data) {
      const title = data.label || target.uid;
      props.onTitle(title, `${target.registry} ${target.uid}\n${title}`);
    }
  }, [data]);
  const switchTo = (uid: string): void =>
    props.onRetarget({ view: 'record', registry: target.registry, uid });
  const generation = context.live.generation + edits;
  return (
    <div
      className={`lk-Page lk-page-${kindOf(target.registry)}`}
      data-testid="lk-page"
      data-registry={target.registry}
      data-uid={target.uid}
    >
      <header className="lk-PageHeader">
        <span className="lk-PageKind">{target.registry}</span>
        <h1 className="lk-PageTitle" data-testid="lk-page-title" title={data?.label ?? target.uid}>
          {data?.label ?? target.uid}
        </h1>
        {data && typeof data.record.version_tag === 'string' && (
          <span className="lk-Badge">v{data.record.version_tag}</span>
        )}
        {data && data.record.is_latest === false && (
          <span className="lk-Badge lk-status-aborted" title="A newer version exists">
            not the latest version
          </span>
        )}
      </header>
      {detail.error && <ErrorBox message={detail.error} testid="lk-page-error" />}
      {detail.loading && !data && <div className="lk-Loading">Loading…</div>}
      {data && data.registry === 'Artifact' && (
        <ArtifactPage
          detail={data}
          context={context}
          generation={generation}
          onSwitchVersion={switchTo}
          onEdited={() => {
            setEdits(n => n + 1);
            context.live.notify('edit');
          }}
        />
      )}
      {data && data.registry === 'Transform' && (
        <TransformPage
          detail={data}
          context={context}
          generation={generation}
          onSwitchVersion={switchTo}
        />
      )}
      {data && data.registry === 'Run' && (
        <RunPage detail={data} context={context} generation={generation} />
      )}
      {data && !['Artifact', 'Transform', 'Run'].includes(data.registry) && (
        <RecordPage
          detail={data}
          module={data.module ?? 'core'}
          context={context}
          onSwitchVersion={switchTo}
        />
      )}
    </div>
  );
}

export function PageView(props: IPageViewProps): JSX.Element {
  useSignal(props.context.live.changed);
  const { target } = props;
  if (target.view === 'compare') {
    return <ComparePage target={target} context={props.context} onTitle={props.onTitle} />;
  }
  if (target.view === 'lineage') {
    return (
      <LineagePage
        target={{ registry: target.registry, uid: target.uid }}
        context={props.context}
        isVisible={props.isVisible}
        onTitle={props.onTitle}
      />
    );
  }
  return <RecordPageView {...props} target={{ registry: target.registry, uid: target.uid }} />;
}
