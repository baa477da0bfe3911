/**
 * Rerun a run from its page (`lamin rerun RUN_UID [--check]`): "Check reproducibility" runs
 * the transform again with the same inputs, compares the outputs and keeps nothing; "Rerun"
 * makes a new run initiated by this one. The answer lists each output's status.
 */
import React, { useState } from 'react';

import { requestJSON } from '../api';
import { ErrorBox } from '../common/components';
import { IRecordRef } from '../models';
import { environmentSummary, IEnvironmentChanges } from './environment';

interface IOutputCheck {
  label: string;
  status: 'reproduced' | 'differs' | 'missing' | 'new';
  original: string | null;
  rerun: string | null;
  details: string;
}

interface IRerunAnswer {
  original: string;
  checked: boolean;
  failed: string | null;
  rerun: string | null;
  reproduced?: boolean;
  seconds?: number;
  environment?: IEnvironmentChanges;
  checks: IOutputCheck[];
}

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

/** POST runs/<uid>/rerun {"check": bool} */
export function rerunRun(uid: string, check: boolean): Promise<IRerunAnswer> {
  return requestJSON<IRerunAnswer>(['runs', uid, 'rerun'], {}, undefined, 'POST', { check });
}

function Outcome(props: { answer: IRerunAnswer; open: (t: IRecordRef) => void }): JSX.Element {
  const { answer } = props;
  const environment = answer.environment && <EnvironmentChanges changes={answer.environment} />;
  if (answer.failed) {
    return (
      <div>
        {environment}
        <ErrorBox message={answer.failed} testid="lk-rerun-failed" />
      </div>
    );
  }
  const verdict = answer.checked
    ? answer.reproduced
      ? 'Reproduced: every output has the same content.'
      : 'Not reproduced: some outputs differ or are missing.'
    : 'Rerun finished.';
  return (
    <div data-testid="lk-rerun-outcome" data-reproduced={answer.reproduced ? 'true' : 'false'}>
      {environment}
      <div>
        {verdict} <span className="lk-Muted">({answer.seconds ?? 0} s)</span>{' '}
        {answer.rerun && (
          <button
            className="lk-Link"
            onClick={() => props.open({ registry: 'Run', uid: answer.rerun as string })}
          >
            open the new run
          </button>
        )}
      </div>
      <table className="lk-Table">
        <tbody>
          {answer.checks.map(check => (
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

export function RerunPanel(props: { runUid: string; open: (t: IRecordRef) => void }): JSX.Element {
  const [busy, setBusy] = useState<'check' | 'rerun' | null>(null);
  const [answer, setAnswer] = useState<IRerunAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = (check: boolean): void => {
    setBusy(check ? 'check' : 'rerun');
    setError(null);
    rerunRun(props.runUid, check)
      .then(setAnswer)
      .catch(reason => setError(String(reason?.message ?? reason)))
      .finally(() => setBusy(null));
  };
  return (
    <div className="lk-Rerun" data-testid="lk-rerun">
      <div className="lk-Toolbar">
        <button
          className="jp-Button jp-mod-styled jp-mod-accept"
          data-testid="lk-rerun-check"
          disabled={busy !== null}
          onClick={() => start(true)}
        >
          {busy === 'check' ? 'Checking…' : 'Check reproducibility'}
        </button>
        <button
          className="jp-Button jp-mod-styled"
          data-testid="lk-rerun-run"
          disabled={busy !== null}
          onClick={() => start(false)}
        >
          {busy === 'rerun' ? 'Running…' : 'Rerun'}
        </button>
        <span className="lk-Muted">same inputs, from the stored source</span>
      </div>
      {error && <ErrorBox message={error} />}
      {answer && <Outcome answer={answer} open={props.open} />}
    </div>
  );
}
