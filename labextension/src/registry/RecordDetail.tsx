/** One record: fields, links, labels, features, versions, describe tree, actions. */
import React, { useState } from 'react';

import { getRecord } from '../api';
import { IRecordDetail, IRecordRef, JSONValue } from '../models';
import { ISidebarActions } from '../sidebar/model';
import { useAsync } from '../sidebar/hooks';
import { ArtifactPreview } from './ArtifactPreview';
import { JSONTree } from './DescribeTree';
import { formatCell, recordGetCode } from './helpers';

export interface IRecordDetailProps {
  record: IRecordRef;
  module: string;
  generation: number;
  actions: ISidebarActions;
  onBack: () => void;
}

function Section(props: {
  title: string;
  testid: string;
  children: React.ReactNode;
  open?: boolean;
}): JSX.Element {
  return (
    <details className="lk-Section" data-testid={props.testid} open={props.open ?? true}>
      <summary className="lk-SectionTitle">{props.title}</summary>
      <div className="lk-SectionBody">{props.children}</div>
    </details>
  );
}

function RecordLink(props: {
  target: IRecordRef;
  actions: ISidebarActions;
  testid?: string;
}): JSX.Element {
  return (
    <button
      className="lk-Button lk-mod-link"
      data-testid={props.testid}
      onClick={() => props.actions.openRecord(props.target)}
    >
      {props.target.registry} {props.target.uid}
    </button>
  );
}

function KeyValues(props: { values: { [key: string]: JSONValue }; prefix: string }): JSX.Element {
  const entries = Object.entries(props.values);
  if (entries.length === 0) {
    return <div className="lk-Empty">None</div>;
  }
  return (
    <table className="lk-KeyValues">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key} data-testid={`${props.prefix}-${key}`}>
            <th>{key}</th>
            <td>
              {value !== null && typeof value === 'object' ? (
                <JSONTree value={value} />
              ) : (
                formatCell(value)
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DetailBody(props: IRecordDetailProps & { detail: IRecordDetail }): JSX.Element {
  const { detail, actions, record } = props;
  const [preview, setPreview] = useState(false);
  const code = recordGetCode(record.registry, record.uid, props.module);
  const run = detail.links?.run ?? null;
  const links = Object.entries(detail.links ?? {}).filter(
    (entry): entry is [string, IRecordRef] => entry[1] !== null
  );
  const labels = Object.entries(detail.labels ?? {}).filter(([, list]) => list.length > 0);
  const reportRun = record.registry === 'Run' ? record.uid : run?.uid;
  return (
    <>
      <div className="lk-Actions" data-testid="lk-record-actions">
        <button
          className="lk-Button"
          data-testid="lk-copy-uid"
          onClick={() => actions.copy(record.uid)}
        >
          Copy uid
        </button>
        <button
          className="lk-Button"
          data-testid="lk-copy-code"
          title={code}
          onClick={() => actions.copy(code)}
        >
          Copy code
        </button>
        <button
          className="lk-Button"
          data-testid="lk-insert-code"
          title={`Insert ${code} into the active notebook`}
          onClick={() => void actions.insertCode(code)}
        >
          Insert into notebook
        </button>
        <button
          className="lk-Button"
          data-testid="lk-show-lineage"
          onClick={() => actions.showLineage(record)}
        >
          Show lineage
        </button>
        {reportRun && (
          <button
            className="lk-Button"
            data-testid="lk-open-report"
            onClick={() => actions.openRunReport(reportRun)}
          >
            Run report
          </button>
        )}
        {(record.registry === 'Artifact' || record.registry === 'Run') && (
          <button
            className="lk-Button"
            data-testid="lk-open-validation"
            onClick={() =>
              actions.showValidation(
                record.registry === 'Artifact' ? { artifact: record.uid } : { run: record.uid }
              )
            }
          >
            Validation
          </button>
        )}
      </div>
      <code className="lk-Code" data-testid="lk-record-code">
        {code}
      </code>
      <Section title="Fields" testid="lk-record-fields">
        <KeyValues values={detail.record ?? {}} prefix="lk-record-field" />
      </Section>
      {links.length > 0 && (
        <Section title="Links" testid="lk-record-links">
          <ul className="lk-List">
            {links.map(([name, target]) => (
              <li key={name}>
                <span className="lk-TreeKey">{name}</span>
                <RecordLink target={target} actions={actions} testid={`lk-link-${name}`} />
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section title="Labels" testid="lk-record-labels">
        {labels.length === 0 ? (
          <div className="lk-Empty">None</div>
        ) : (
          labels.map(([relation, list]) => (
            <div key={relation} className="lk-LabelGroup">
              <span className="lk-TreeKey">{relation}</span>
              <ul className="lk-Chips">
                {list.map(label => (
                  <li key={label.uid} className="lk-Chip" title={label.uid}>
                    {label.name}
                  </li>
                ))}
              </ul>
            </div>
          ))
        )}
      </Section>
      <Section title="Features" testid="lk-record-features">
        <KeyValues values={detail.features ?? {}} prefix="lk-feature" />
      </Section>
      {detail.versions && detail.versions.length > 0 && (
        <Section title={`Versions (${detail.versions.length})`} testid="lk-record-versions">
          <ul className="lk-List">
            {detail.versions.map(version => (
              <li
                key={version.uid}
                className={version.uid === record.uid ? 'lk-mod-current' : undefined}
              >
                <button
                  className="lk-Button lk-mod-link"
                  onClick={() =>
                    actions.openRecord({ registry: record.registry, uid: version.uid })
                  }
                >
                  {version.version_tag ? `v${version.version_tag}` : version.uid}
                </button>
                <span className="lk-Muted">
                  {' '}
                  {version.created_at}
                  {version.is_latest ? ' · latest' : ''}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {detail.describe !== null && detail.describe !== undefined && (
        <Section title="Describe" testid="lk-record-describe" open={false}>
          <JSONTree value={detail.describe} />
        </Section>
      )}
      {record.registry === 'Artifact' && (
        <Section title="Preview" testid="lk-record-preview" open={false}>
          {preview ? (
            <ArtifactPreview uid={record.uid} />
          ) : (
            <button
              className="lk-Button"
              data-testid="lk-load-preview"
              onClick={() => setPreview(true)}
            >
              Load preview
            </button>
          )}
        </Section>
      )}
    </>
  );
}

export function RecordDetail(props: IRecordDetailProps): JSX.Element {
  const { record } = props;
  const { data, error, loading } = useAsync(
    () => getRecord(record.registry, record.uid),
    [record.registry, record.uid, props.generation]
  );
  const title =
    data && typeof data.record?.key === 'string'
      ? data.record.key
      : data && typeof data.record?.name === 'string'
        ? data.record.name
        : record.uid;
  return (
    <div className="lk-RecordDetail" data-testid="lk-record-detail" data-uid={record.uid}>
      <div className="lk-DetailHeader">
        <button className="lk-Button" data-testid="lk-detail-back" onClick={props.onBack}>
          ‹ Back
        </button>
        <span className="lk-DetailTitle" title={`${record.registry} ${record.uid}`}>
          {record.registry}: {title}
        </span>
      </div>
      {typeof data?.record?.description === 'string' && (
        <p className="lk-Description" data-testid="lk-record-description">
          {data.record.description}
        </p>
      )}
      {loading && !data && <div className="lk-Loading">Loading…</div>}
      {error && (
        <div className="lk-Error" data-testid="lk-error">
          {error}
        </div>
      )}
      {data && <DetailBody key={record.uid} {...props} detail={data} />}
    </div>
  );
}
