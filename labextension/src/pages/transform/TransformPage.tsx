/** The Transform page: source with syntax highlighting, versions, runs, the latest report. */
import React, { useEffect, useRef, useState } from 'react';

import { getTransformRuns, runReportUrl } from '../../api';
import { ErrorBox, Section, TimeText, ToolButton } from '../../common/components';
import { DescribeView } from '../../common/DescribeView';
import { plainText } from '../../common/format';
import { RunTable } from '../../common/RunTable';
import { IRecordDetail } from '../../models';
import { useAsync } from '../../sidebar/hooks';
import { IPageContext } from '../context';
import { compareIcon } from '../icons';
import { RecordActions, VersionList } from '../RecordActions';

/** The language of a transform's source, by its key (notebooks and scripts: Python). */
export function sourceLanguage(key: string): string {
  const lower = key.toLowerCase();
  if (lower.endsWith('.r') || lower.endsWith('.rmd')) {
    return 'r';
  }
  if (lower.endsWith('.sh')) {
    return 'shell';
  }
  return 'python';
}

export function SourceView(props: {
  code: string;
  language: string;
  context: IPageContext;
}): JSX.Element {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    element.textContent = props.code;
    void props.context.actions.highlight(props.code, props.language, element).catch(() => {
      element.textContent = props.code; // plain text when the language is unknown
    });
  }, [props.code, props.language]);
  return <pre ref={ref} className="lk-Source cm-s-jupyter" data-testid="lk-source" />;
}

export function TransformPage(props: {
  detail: IRecordDetail;
  context: IPageContext;
  generation: number;
  onSwitchVersion: (uid: string) => void;
}): JSX.Element {
  const { detail, context, generation } = props;
  const { actions } = context;
  const record = detail.record;
  const uid = String(record.uid);
  const runs = useAsync(() => getTransformRuns(uid), [uid, generation]);
  const [selected, setSelected] = useState<string[]>([]);
  const latestReport = runs.data?.runs.find(r => r.has_report);
  const source = typeof record.source_code === 'string' ? record.source_code : '';
  return (
    <div className="lk-PageBody">
      <div className="lk-PageToolbar" role="toolbar" aria-label="Transform actions">
        <RecordActions registry="Transform" uid={uid} actions={actions} />
        <ToolButton
          icon={compareIcon}
          label={selected.length >= 2 ? `Compare ${selected.length} runs` : 'Compare runs'}
          tooltip="Compare the selected runs (the two newest when none is selected)"
          testid="lk-compare-runs"
          enabled={(runs.data?.runs.length ?? 0) >= 2}
          onClick={() => actions.openCompare(uid, selected)}
        />
      </div>
      {typeof record.description === 'string' && record.description && (
        <p className="lk-Description">{record.description}</p>
      )}
      <div className="lk-Facts">
        <span>{plainText(record.kind)}</span>
        {record.version_tag && <span>version {plainText(record.version_tag)}</span>}
        <span>
          created <TimeText value={record.created_at} />
        </span>
        <span className="lk-Uid">{uid}</span>
      </div>
      <Section title="Runs" testid="lk-transform-runs" count={runs.data?.runs.length}>
        {runs.error && <ErrorBox message={runs.error} />}
        {runs.data && (
          <RunTable
            runs={runs.data.runs}
            onOpen={actions.open}
            selected={selected}
            onSelect={setSelected}
          />
        )}
      </Section>
      <Section title="Source" testid="lk-transform-source">
        {source ? (
          <SourceView
            code={source}
            language={sourceLanguage(String(record.key ?? ''))}
            context={context}
          />
        ) : (
          <span className="lk-Muted">No source saved yet (ln.finish() saves it).</span>
        )}
      </Section>
      <Section title="Versions" testid="lk-transform-versions" count={detail.versions.length}>
        <VersionList uid={uid} versions={detail.versions} onSwitch={props.onSwitchVersion} />
      </Section>
      {latestReport && (
        <Section title="Latest report" testid="lk-transform-report" open={false}>
          <iframe
            className="lk-ReportFrame"
            sandbox=""
            referrerPolicy="no-referrer"
            title={`Report of run ${latestReport.uid}`}
            src={runReportUrl(latestReport.uid)}
          />
        </Section>
      )}
      <Section title="Describe" testid="lk-describe-section" open={false}>
        <DescribeView value={detail.describe} />
      </Section>
    </div>
  );
}
