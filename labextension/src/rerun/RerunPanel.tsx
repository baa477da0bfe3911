/**
 * Rerun a run from its page (`lamin rerun RUN_UID [--check]`, as a server job): "Check
 * reproducibility" runs the transform again with the same inputs, compares the outputs and
 * keeps nothing; "Rerun" makes a new run initiated by this one. The job's progress, Cancel, and
 * then each output's status or the failure are shown.
 */
import React from 'react';

import { ErrorBox } from '../common/components';
import { IRecordRef } from '../models';
import { useRerunJob } from './jobs';
import { RerunButton } from './RerunButton';
import { RerunJobView } from './RerunJobView';

export function RerunPanel(props: { runUid: string; open: (t: IRecordRef) => void }): JSX.Element {
  const { job, error, start, cancel } = useRerunJob({ run: props.runUid, check: false });
  const busy = job?.state === 'running';
  return (
    <div className="lk-Rerun" data-testid="lk-rerun">
      <div className="lk-Toolbar">
        <RerunButton
          label="Check reproducibility"
          runningLabel="Checking…"
          running={busy && !!job?.check}
          disabled={busy}
          onClick={() => start({ run: props.runUid, check: true })}
          testid="lk-rerun-check"
          accept
        />
        <RerunButton
          label="Rerun"
          runningLabel="Running…"
          running={busy && !job?.check}
          disabled={busy}
          onClick={() => start({ run: props.runUid, check: false })}
          testid="lk-rerun-run"
        />
        <span className="lk-Muted">same inputs, from the stored source</span>
      </div>
      {error && <ErrorBox message={error} />}
      {job && <RerunJobView job={job} onCancel={cancel} open={props.open} />}
    </div>
  );
}
