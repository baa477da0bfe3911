/**
 * The page of any other registry's record (Collection, Record, ULabel, Feature, Schema,
 * bionty records, ...): its fields with foreign keys shown as named links, its labels and
 * features, its versions and its describe() tree; a collection made from inputs that have a
 * newer version has the "upstream changed" banner.
 */
import React from 'react';

import { Chips, KeyValues, RecordLink, Section, SizeText, TimeText } from '../../common/components';
import { DescribeView } from '../../common/DescribeView';
import { plainText } from '../../common/format';
import { UpstreamChanged } from '../../common/UpstreamChanged';
import { IRecordDetail, JSONValue } from '../../models';
import { IPageContext } from '../context';
import { RecordActions, VersionList } from '../RecordActions';

const HIDDEN_FIELDS = new Set([
  'id',
  'uid',
  'description',
  'is_locked',
  'space_id',
  'created_on_id'
]);

/** "input_of_runs" -> "Input of runs" */
export function relationTitle(relation: string): string {
  const words = relation.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The fields shown as rows: foreign-key ids become links, times and sizes humanized. */
export function fieldRows(
  detail: IRecordDetail,
  context: IPageContext
): Array<[string, React.ReactNode]> {
  const rows: Array<[string, React.ReactNode]> = [];
  for (const [name, value] of Object.entries(detail.record)) {
    if (HIDDEN_FIELDS.has(name)) {
      continue;
    }
    if (name.endsWith('_id')) {
      const link = detail.links[name.slice(0, -3)];
      if (link) {
        rows.push([
          name.slice(0, -3),
          <RecordLink key={name} target={link} onOpen={context.actions.open} />
        ]);
        continue;
      }
      if (value === null) {
        continue;
      }
    }
    rows.push([name, fieldValue(name, value)]);
  }
  return rows;
}

function fieldValue(name: string, value: JSONValue): React.ReactNode {
  if (name === 'size') {
    return <SizeText value={value} />;
  }
  if (/_at$/.test(name)) {
    return <TimeText value={value} />;
  }
  if (value === null) {
    return <span className="lk-Muted">—</span>;
  }
  if (typeof value === 'boolean') {
    return value ? 'yes' : 'no';
  }
  return plainText(value);
}

export function RecordPage(props: {
  detail: IRecordDetail;
  module: string;
  context: IPageContext;
  onSwitchVersion: (uid: string) => void;
}): JSX.Element {
  const { detail, context } = props;
  const { actions } = context;
  const uid = String(detail.record.uid);
  const labels = Object.entries(detail.labels ?? {}).filter(([, list]) => list.length > 0);
  const features = Object.entries(detail.features ?? {});
  const related = Object.entries(detail.related ?? {});
  const otherLinks = Object.entries(detail.links).filter(
    ([name, ref]) => ref && !(`${name}_id` in detail.record)
  );
  return (
    <div className="lk-PageBody">
      <div className="lk-PageToolbar" role="toolbar" aria-label="Record actions">
        <RecordActions
          registry={detail.registry}
          uid={uid}
          module={props.module}
          actions={actions}
        />
      </div>
      <UpstreamChanged
        changes={detail.upstream_changes}
        subject={`This ${detail.registry.toLowerCase()}`}
        onOpen={actions.open}
        onCopy={actions.copy}
      />
      {typeof detail.record.description === 'string' && detail.record.description && (
        <p className="lk-Description" data-testid="lk-record-description">
          {detail.record.description}
        </p>
      )}
      <div className="lk-PageColumns">
        <div className="lk-PageMain">
          <Section title="Fields" testid="lk-record-fields">
            <KeyValues values={fieldRows(detail, context)} testid="lk-field-table" />
          </Section>
          {otherLinks.length > 0 && (
            <Section title="Links" testid="lk-record-links">
              <KeyValues
                values={otherLinks.map(([name, ref]) => [
                  name,
                  <RecordLink key={name} target={ref!} onOpen={actions.open} />
                ])}
              />
            </Section>
          )}
          {related.map(([relation, { records, more }]) => (
            <Section
              key={relation}
              title={relationTitle(relation)}
              testid={`lk-related-${relation}`}
              count={records.length}
            >
              <ul className="lk-RelatedList">
                {records.map(ref => (
                  <li key={ref.uid}>
                    <RecordLink target={ref} onOpen={actions.open} showRegistry />
                  </li>
                ))}
              </ul>
              {more && (
                <span className="lk-Muted">
                  The newest {records.length} are listed; there are more.
                </span>
              )}
            </Section>
          ))}
          <Section title="Describe" testid="lk-describe-section">
            <DescribeView value={detail.describe} />
          </Section>
        </div>
        <aside className="lk-PageSide">
          <Section title="Labels" testid="lk-record-labels">
            {labels.length === 0 && <span className="lk-Muted">No labels.</span>}
            {labels.map(([relation, list]) => (
              <div key={relation} className="lk-LabelGroup">
                <span className="lk-TreeKey">{relation}</span>
                <Chips items={list.map(l => ({ key: l.uid, text: l.name, title: l.uid }))} />
              </div>
            ))}
          </Section>
          {features.length > 0 && (
            <Section title="Features" testid="lk-record-features">
              <Chips
                items={features.map(([name, value]) => ({
                  key: name,
                  text: `${name}: ${plainText(value)}`
                }))}
              />
            </Section>
          )}
          {detail.versions.length > 1 && (
            <Section title="Versions" testid="lk-record-versions" count={detail.versions.length}>
              <VersionList uid={uid} versions={detail.versions} onSwitch={props.onSwitchVersion} />
            </Section>
          )}
        </aside>
      </div>
    </div>
  );
}
