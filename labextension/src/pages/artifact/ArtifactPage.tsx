/**
 * The Artifact page: what it is, its versions and their differences, labels and features,
 * the validation result, a preview, where it came from and where it was used, and actions.
 */
import { deleteIcon, downloadIcon, folderIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { artifactFileUrl, editArtifact, getDownstreamRuns, listValidationReports } from '../../api';
import {
  Chips,
  ErrorBox,
  KeyValues,
  RecordLink,
  Section,
  SizeText,
  TimeText,
  ToolButton
} from '../../common/components';
import { DescribeView } from '../../common/DescribeView';
import { plainText } from '../../common/format';
import { RunTable } from '../../common/RunTable';
import { UpstreamChanged } from '../../common/UpstreamChanged';
import { IRecordDetail } from '../../models';
import { useAsync } from '../../sidebar/hooks';
import { summarizeReport } from '../../validation/summary';
import { IPageContext } from '../context';
import { RecordActions } from '../RecordActions';
import { DescriptionEditor, LabelEditor } from './editors';
import { CellSites } from './CellSites';
import { artifactKeys, prefetched } from './prefetch';
import { PreviewPanel } from './PreviewPanel';
import { VersionPanel } from './VersionPanel';

/** main, archive or trash for the built-in branches (others by id). */
export function branchName(id: unknown): string {
  return id === 1 ? 'main' : id === 0 ? 'archive' : id === -1 ? 'trash' : `branch ${String(id)}`;
}

export interface IArtifactPageProps {
  detail: IRecordDetail;
  context: IPageContext;
  generation: number;
  onSwitchVersion: (uid: string) => void;
  onEdited: () => void;
}

function Validation(props: { uid: string; generation: number; context: IPageContext }) {
  const reports = useAsync(
    () =>
      prefetched(artifactKeys.validation(props.uid), () =>
        listValidationReports({ artifact: props.uid })
      ),
    [props.uid, props.generation]
  );
  if (reports.error) {
    return <ErrorBox message={reports.error} />;
  }
  const latest = reports.data?.reports[0];
  if (!latest) {
    return <span className="lk-Muted">Not validated against a schema.</span>;
  }
  const summary = summarizeReport(latest);
  return (
    <div className="lk-ValidationSummary" data-testid="lk-artifact-validation">
      <span className={`lk-Badge lk-status-${latest.passed ? 'finished' : 'failed'}`}>
        {latest.passed ? 'validated' : 'not validated'}
      </span>
      <span>
        {summary.validated} of {summary.features} features validated
      </span>
      <TimeText value={latest.created_at} />
      <button
        className="lk-Link"
        onClick={() => props.context.actions.showValidation({ artifact: props.uid })}
      >
        Show report
      </button>
    </div>
  );
}

export function ArtifactPage(props: IArtifactPageProps): JSX.Element {
  const { detail, context, generation } = props;
  const { actions } = context;
  const record = detail.record;
  const uid = String(record.uid);
  const inTrash = record.branch_id === -1;
  const [editError, setEditError] = useState<string | null>(null);
  const downstream = useAsync(
    () => prefetched(artifactKeys.downstream(uid), () => getDownstreamRuns(uid)),
    [uid, generation]
  );
  const edit = async (change: Parameters<typeof editArtifact>[1]): Promise<void> => {
    setEditError(null);
    try {
      await editArtifact(uid, change);
      props.onEdited();
    } catch (error) {
      setEditError(error instanceof Error ? error.message : String(error));
    }
  };
  const run = detail.links.run ?? null;
  const transform = detail.links.transform ?? null;
  const features = Object.entries(detail.features ?? {});
  const labelItems = Object.entries(detail.labels ?? {});
  return (
    <div className="lk-PageBody">
      <div className="lk-PageToolbar" role="toolbar" aria-label="Artifact actions">
        <RecordActions registry="Artifact" uid={uid} actions={actions} />
        <a
          className="lk-ToolLink"
          data-testid="lk-download"
          href={artifactFileUrl(uid)}
          download={String(record.key ?? uid)
            .split('/')
            .pop()}
          title="Download the artifact's file"
        >
          <downloadIcon.react tag="span" className="lk-ToolIcon" />
          Download
        </a>
        {detail.local_path && (
          <ToolButton
            icon={folderIcon}
            label="Show in file browser"
            tooltip={detail.local_path}
            testid="lk-show-in-browser"
            onClick={() => actions.showInFileBrowser(detail.local_path as string)}
          />
        )}
        <ToolButton
          icon={deleteIcon}
          label={inTrash ? 'Restore' : 'Move to trash'}
          tooltip={inTrash ? 'Restore from the trash' : 'Move to the trash (restore undoes it)'}
          testid={inTrash ? 'lk-restore' : 'lk-trash'}
          onClick={() => void edit({ trash: !inTrash })}
        />
      </div>
      {inTrash && (
        <div className="lk-Banner" data-testid="lk-in-trash">
          This artifact is in the trash.
        </div>
      )}
      <UpstreamChanged
        changes={detail.upstream_changes}
        subject="This artifact"
        onOpen={actions.open}
        onCopy={actions.copy}
      />
      {editError && <ErrorBox message={editError} testid="lk-edit-error" />}
      <DescriptionEditor
        value={typeof record.description === 'string' ? record.description : ''}
        onSave={description => edit({ description })}
      />
      <div className="lk-Facts" data-testid="lk-artifact-facts">
        <span title="suffix">{plainText(record.suffix) || 'no suffix'}</span>
        {record.otype && <span title="object type">{plainText(record.otype)}</span>}
        <SizeText value={record.size} />
        {typeof record.n_observations === 'number' && (
          <span>{record.n_observations.toLocaleString('en-US')} observations</span>
        )}
        {typeof record.n_files === 'number' && <span>{record.n_files} files</span>}
        <span>
          created <TimeText value={record.created_at} />
        </span>
        {detail.links.created_by && <span>by {detail.links.created_by.label}</span>}
        <span className="lk-Uid" title="uid">
          {uid}
        </span>
      </div>
      <div className="lk-PageColumns">
        <div className="lk-PageMain">
          <Section title="Preview" testid="lk-artifact-preview">
            <PreviewPanel
              uid={uid}
              name={plainText(record.key ?? record.description) || undefined}
              generation={generation}
            />
          </Section>
          <Section title="Versions" testid="lk-artifact-versions" count={detail.versions.length}>
            <VersionPanel uid={uid} versions={detail.versions} onSwitch={props.onSwitchVersion} />
          </Section>
          <Section
            title="Used by"
            testid="lk-artifact-downstream"
            count={downstream.data?.runs.length}
          >
            {downstream.error && <ErrorBox message={downstream.error} />}
            {downstream.data && (
              <RunTable runs={downstream.data.runs} onOpen={actions.open} showTransform />
            )}
          </Section>
          <Section title="Describe" testid="lk-describe-section" open={false}>
            <DescribeView value={detail.describe} />
          </Section>
        </div>
        <aside className="lk-PageSide">
          <Section title="Provenance" testid="lk-artifact-provenance">
            <KeyValues
              values={[
                [
                  'transform',
                  transform ? (
                    <RecordLink
                      target={transform}
                      onOpen={actions.open}
                      testid="lk-link-transform"
                    />
                  ) : (
                    <span className="lk-Muted">none (saved outside a tracked run)</span>
                  )
                ],
                [
                  'run',
                  run ? (
                    <RecordLink target={run} onOpen={actions.open} testid="lk-link-run" />
                  ) : (
                    <span className="lk-Muted">—</span>
                  )
                ],
                ['storage', detail.links.storage?.label ?? '—'],
                ['branch', detail.links.branch?.label ?? branchName(record.branch_id)]
              ]}
            />
            <CellSites uid={uid} generation={generation} context={context} />
          </Section>
          <Section title="Labels" testid="lk-record-labels">
            {labelItems.length === 0 && <span className="lk-Muted">No labels.</span>}
            {labelItems
              .filter(([, list]) => list.length > 0)
              .map(([relation, list]) => (
                <div key={relation} className="lk-LabelGroup">
                  <span className="lk-TreeKey">{relation}</span>
                  <Chips
                    testid={`lk-labels-${relation}`}
                    items={list.map(label => ({
                      key: label.uid,
                      text: label.name,
                      title: `${label.registry ?? relation} ${label.uid}`,
                      onRemove:
                        relation === 'ulabels'
                          ? () => void edit({ remove_ulabels: [label.uid] })
                          : undefined
                    }))}
                  />
                </div>
              ))}
            <LabelEditor onAdd={names => edit({ add_ulabels: names })} />
          </Section>
          <Section title="Features" testid="lk-record-features" count={features.length}>
            <Chips
              testid="lk-feature-chips"
              empty="No feature values."
              items={features.map(([name, value]) => ({
                key: name,
                text: `${name}: ${plainText(value)}`
              }))}
            />
          </Section>
          <Section title="Validation" testid="lk-validation-section">
            <Validation uid={uid} generation={generation} context={context} />
          </Section>
        </aside>
      </div>
    </div>
  );
}
