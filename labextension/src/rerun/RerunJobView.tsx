/**
 * A rerun job as it runs and when it ends: the runs it reruns with the state of each, a Cancel
 * button while it runs, then the outputs' statuses (a run's rerun or check) or the new runs (a
 * stale rerun), or the first failure.
 */
import React from 'react';

import { ErrorBox } from '../common/components';
import { IRecordRef } from '../models';
import { environmentSummary, IEnvironmentChanges } from './environment';
import { IRerunJob, IRerunResult, IRerunStep } from './jobs';

function EnvironmentChanges(props: { changes: IEnvironmentChanges }): JSX.Element {
  const summary = environmentSummary(props.changes);
  return (
    <div className="lk-RerunEnvironment" data-testid="lk-rerun-environment">
      <div className="lk-Muted">{summary.heading}</div>
      {summary.lines.length > 0 && (
        <ul>
          {summary.lines.map(line => (
            <li key={line}>
              <code>{line}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function RunLink(props: { uid: string; text: string; open: (t: IRecordRef) => void }): JSX.Element {
  return (
    <button className="lk-Link" onClick={() => props.open({ registry: 'Run', uid: props.uid })}>
      {props.text}
    </button>
  );
}

/** The outputs of one rerun or check, each with its status. */
export function RerunOutcome(props: {
  result: IRerunResult;
  open: (t: IRecordRef) => void;
}): JSX.Element {
  const { result } = props;
  const verdict = result.checked
    ? result.reproduced
      ? 'Reproduced: every output has the same content.'
      : 'Not reproduced: some outputs differ or are missing.'
    : 'Rerun finished.';
  return (
    <div data-testid="lk-rerun-outcome" data-reproduced={result.reproduced ? 'true' : 'false'}>
      <EnvironmentChanges changes={result.environment} />
      <div>
        {verdict} <span className="lk-Muted">({result.seconds} s)</span>{' '}
        {result.rerun && <RunLink uid={result.rerun} text="open the new run" open={props.open} />}
      </div>
      <table className="lk-Table">
        <tbody>
          {result.checks.map(check => (
            <tr
              key={`${check.label}-${check.status}`}
              data-testid="lk-rerun-output"
              data-status={check.status}
            >
              <th scope="row">{check.label}</th>
              <td>{check.status}</td>
              <td>{check.details}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STEP_TEXT: Record<IRerunStep['state'], string> = {
  pending: 'waiting',
  running: 'running…',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled'
};

function Steps(props: { steps: IRerunStep[]; open: (t: IRecordRef) => void }): JSX.Element {
  return (
    <ol className="lk-RerunSteps" data-testid="lk-rerun-steps">
      {props.steps.map(step => (
        <li key={step.run} data-testid="lk-rerun-step" data-state={step.state}>
          <RunLink uid={step.run} text={`${step.transform} (run ${step.run})`} open={props.open} />{' '}
          <span className={`lk-RerunStepState lk-mod-${step.state}`}>{STEP_TEXT[step.state]}</span>
          {step.rerun && (
            <>
              {' → '}
              <RunLink uid={step.rerun} text={`new run ${step.rerun}`} open={props.open} />
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

const HEADINGS: Record<IRerunJob['state'], string> = {
  running: 'Running',
  done: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled'
};

export function RerunJobView(props: {
  job: IRerunJob;
  onCancel: () => void;
  open: (t: IRecordRef) => void;
}): JSX.Element {
  const { job } = props;
  const what = job.kind === 'stale' ? `lamin rerun --stale ${job.target}` : 'the rerun';
  const result = job.result && !('reruns' in job.result && job.result.reruns) ? job.result : null;
  return (
    <div className="lk-RerunJob" data-testid="lk-rerun-job" data-state={job.state}>
      <div className="lk-Toolbar">
        <span data-testid="lk-rerun-job-state">
          {HEADINGS[job.state]}: {what}{' '}
          <span className="lk-Muted">
            ({job.seconds} s{job.steps.length > 1 ? `, ${job.steps.length} runs` : ''})
          </span>
        </span>
        {job.state === 'running' && (
          <button
            className="jp-Button jp-mod-styled jp-mod-warn"
            data-testid="lk-rerun-cancel"
            onClick={props.onCancel}
          >
            Cancel
          </button>
        )}
      </div>
      {job.kind === 'stale' && job.steps.length === 0 && job.state === 'done' && (
        <div className="lk-Muted" data-testid="lk-rerun-nothing">
          Nothing is stale downstream of {job.target}.
        </div>
      )}
      {job.environment && job.state === 'running' && (
        <EnvironmentChanges changes={job.environment} />
      )}
      {(job.kind === 'stale' || job.state === 'running') && job.steps.length > 0 && (
        <Steps steps={job.steps} open={props.open} />
      )}
      {job.error && <ErrorBox message={job.error} testid="lk-rerun-failed" />}
      {result && <RerunOutcome result={result as IRerunResult} open={props.open} />}
    </div>
  );
}
