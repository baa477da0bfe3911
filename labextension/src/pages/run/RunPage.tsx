/**
 * The Run page: status, timing, params, feature values, environment (with a diff to another run of the same
 * transform), inputs and outputs, the report in its sandboxed frame, and its lineage.
 */
import { checkIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import {
  getEnvironmentDiff,
  getLineage,
  getRunOverview,
  getTransformRuns,
  runReportUrl
} from '../../api';
import {
  Chips,
  ErrorBox,
  KeyValues,
  RecordLink,
  Section,
  StatusBadge,
  TimeText,
  ToolButton
} from '../../common/components';
import { DiffGroup, MappingRows, mappingNote } from '../../common/diff';
import { humanDuration, plainText } from '../../common/format';
import { UpstreamChanged } from '../../common/UpstreamChanged';
import { LineageGraph } from '../../lineage/LineageGraph';
import { RerunPanel } from '../../rerun/RerunPanel';
import { ILabeledRef, ILineageGraph, IRecordDetail } from '../../models';
import { useAsync } from '../../sidebar/hooks';
import { IPageContext } from '../context';
import { compareIcon } from '../icons';
import { RecordActions } from '../RecordActions';

/** Inputs (edges into the run) and outputs (edges out of it) of a depth-1 lineage. */
export function runInputsOutputs(
  graph: ILineageGraph,
  runUid: string
): { inputs: ILabeledRef[]; outputs: ILabeledRef[] } {
  const id = `run:${runUid}`;
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const ref = (nodeId: string): ILabeledRef | null => {
    const node = byId.get(nodeId);
    return node && node.kind !== 'run' && node.kind !== 'transform'
      ? { registry: node.registry, uid: node.uid, label: node.label }
      : null;
  };
  const inputs = graph.edges.filter(e => e.target === id).map(e => ref(e.source));
  const outputs = graph.edges.filter(e => e.source === id).map(e => ref(e.target));
  return {
    inputs: inputs.filter((r): r is ILabeledRef => r !== null),
    outputs: outputs.filter((r): r is ILabeledRef => r !== null)
  };
}

function Environment(props: {
  runUid: string;
  transformUid: string;
  packages: { [name: string]: string };
  generation: number;
}): JSX.Element {
  const [filter, setFilter] = useState('');
  const [other, setOther] = useState('');
  const siblings = useAsync(() => getTransformRuns(props.transformUid), [props.transformUid]);
  const diff = useAsync(other ? () => getEnvironmentDiff(props.runUid, other) : null, [
    props.runUid,
    other
  ]);
  const entries = Object.entries(props.packages).filter(([name]) =>
    name.toLowerCase().includes(filter.toLowerCase())
  );
  const choices = (siblings.data?.runs ?? []).filter(r => r.uid !== props.runUid);
  return (
    <div className="lk-Environment">
      <div className="lk-Toolbar">
        <input
          className="lk-Input"
          type="search"
          aria-label="Filter packages"
          placeholder={`Filter ${Object.keys(props.packages).length} packages…`}
          value={filter}
          onChange={event => setFilter(event.target.value)}
        />
        {choices.length > 0 && (
          <label>
            Diff with{' '}
            <select
              className="lk-Select"
              data-testid="lk-env-diff-other"
              value={other}
              onChange={event => setOther(event.target.value)}
            >
              <option value="">another run…</option>
              {choices.map(r => (
                <option key={r.uid} value={r.uid}>
                  {r.uid.slice(0, 8)} · {r.started_at?.slice(0, 16).replace('T', ' ') ?? ''}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {diff.error && <ErrorBox message={diff.error} />}
      {diff.data && (
        <div className="lk-RunDiff lk-Diff" data-testid="lk-env-diff">
          <table className="lk-Table lk-CompareTable">
            <tbody>
              <DiffGroup title="Packages" note={mappingNote(diff.data)}>
                <MappingRows part={diff.data} testid="lk-env-diff-package" />
              </DiffGroup>
            </tbody>
          </table>
        </div>
      )}
      {entries.length === 0 ? (
        <span className="lk-Muted">No environment recorded.</span>
      ) : (
        <div className="lk-PackageList" data-testid="lk-env-packages">
          {entries.map(([name, version]) => (
            <span key={name} className="lk-Package">
              {name}
              <span className="lk-Muted">{version ? ` ${version}` : ''}</span>
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

export function RunPage(props: {
  detail: IRecordDetail;
  context: IPageContext;
  generation: number;
}): JSX.Element {
  const { detail, context, generation } = props;
  const { actions } = context;
  const uid = String(detail.record.uid);
  const overview = useAsync(() => getRunOverview(uid), [uid, generation]);
  const lineage = useAsync(
    () => getLineage('Run', uid, { direction: 'both', depth: 1 }),
    [uid, generation]
  );
  const transform = detail.links.transform ?? null;
  const run = overview.data;
  const io = lineage.data ? runInputsOutputs(lineage.data, uid) : null;
  return (
    <div className="lk-PageBody">
      <div className="lk-PageToolbar" role="toolbar" aria-label="Run actions">
        <RecordActions registry="Run" uid={uid} actions={actions} />
        <ToolButton
          icon={checkIcon}
          label="Validation"
          tooltip="Show the validation reports stored while this run was current"
          testid="lk-open-validation"
          onClick={() => actions.showValidation({ run: uid })}
        />
        {transform && (
          <ToolButton
            icon={compareIcon}
            label="Compare"
            tooltip="Compare this run with other runs of its transform"
            testid="lk-compare-runs"
            onClick={() => actions.openCompare(transform.uid, [uid])}
          />
        )}
      </div>
      {overview.error && <ErrorBox message={overview.error} />}
      {run && (
        <div className="lk-Facts" data-testid="lk-run-facts">
          <StatusBadge status={run.status} />
          <span>
            started <TimeText value={run.started_at} />
          </span>
          {run.finished_at && (
            <span>
              finished <TimeText value={run.finished_at} />
            </span>
          )}
          <span title={run.duration_s !== null ? `${run.duration_s} s` : ''}>
            {humanDuration(run.duration_s) ?? 'still running'}
          </span>
          {run.created_by && <span>by {run.created_by}</span>}
          {transform && (
            <span>
              of <RecordLink target={transform} onOpen={actions.open} testid="lk-link-transform" />
            </span>
          )}
          <span className="lk-Uid">{uid}</span>
        </div>
      )}
      <UpstreamChanged
        changes={run?.upstream_changes ?? detail.upstream_changes}
        subject="This run"
        onOpen={actions.open}
        onCopy={actions.copy}
      />
      {run?.error && (
        <pre className="lk-RunError" data-testid="lk-run-error">
          {run.error}
        </pre>
      )}
      <div className="lk-PageColumns">
        <div className="lk-PageMain">
          <Section title="Inputs and outputs" testid="lk-run-io">
            {lineage.error && <ErrorBox message={lineage.error} />}
            {io && (
              <div className="lk-IoColumns">
                <div data-testid="lk-run-inputs">
                  <h4 className="lk-SubTitle">Inputs ({io.inputs.length})</h4>
                  {io.inputs.length === 0 && <span className="lk-Muted">None.</span>}
                  {io.inputs.map(ref => (
                    <RecordLink key={ref.uid} target={ref} onOpen={actions.open} showRegistry />
                  ))}
                </div>
                <div data-testid="lk-run-outputs">
                  <h4 className="lk-SubTitle">Outputs ({io.outputs.length})</h4>
                  {io.outputs.length === 0 && <span className="lk-Muted">None.</span>}
                  {io.outputs.map(ref => (
                    <RecordLink key={ref.uid} target={ref} onOpen={actions.open} showRegistry />
                  ))}
                </div>
              </div>
            )}
          </Section>
          <Section title="Lineage" testid="lk-run-lineage">
            {lineage.data && (
              <div className="lk-MiniLineage">
                <LineageGraph
                  graph={lineage.data}
                  rootId={`run:${uid}`}
                  visible
                  onOpen={node => actions.open({ registry: node.registry, uid: node.uid })}
                  direction="LR"
                />
              </div>
            )}
          </Section>
          {detail.record.report_id !== null && detail.record.report_id !== undefined && (
            <Section title="Report" testid="lk-run-report">
              <iframe
                className="lk-ReportFrame"
                sandbox=""
                referrerPolicy="no-referrer"
                data-testid="lk-run-report-frame"
                title={`Report of run ${uid}`}
                src={runReportUrl(uid)}
              />
            </Section>
          )}
        </div>
        <aside className="lk-PageSide">
          <Section title="Rerun" testid="lk-run-rerun" open={false}>
            <RerunPanel runUid={uid} open={context.actions.open} />
          </Section>
          <Section title="Params" testid="lk-run-params">
            <KeyValues
              values={Object.entries(run?.params ?? {}).map(([k, v]) => [k, plainText(v)])}
              empty="No params (ln.track(params={...}))."
            />
          </Section>
          <Section
            title="Feature values"
            testid="lk-run-features"
            count={Object.keys(run?.features ?? {}).length}
          >
            <Chips
              testid="lk-run-feature-chips"
              empty="No feature values (run.features.add_values(...))."
              items={Object.entries(run?.features ?? {}).map(([name, value]) => ({
                key: name,
                text: `${name}: ${plainText(value)}`
              }))}
            />
          </Section>
          {run && transform && (
            <Section
              title="Environment"
              testid="lk-run-environment"
              count={Object.keys(run.environment).length}
              open={false}
            >
              <Environment
                runUid={uid}
                transformUid={transform.uid}
                packages={run.environment}
                generation={generation}
              />
            </Section>
          )}
        </aside>
      </div>
    </div>
  );
}
