/**
 * The "upstream changed" banner of the Artifact and Run pages: which input has a newer
 * version (from which version to which, and through which input when it is further up), and
 * the command that reruns what is stale, with a button that copies it and one that runs it on
 * the server (a rerun job: progress, Cancel, then the new runs or the first failure).
 */
import React from 'react';

import { IRecordRef, IUpstreamChange, IVersionRef } from '../models';
import { RerunButton } from '../rerun/RerunButton';
import { useRerunJob } from '../rerun/jobs';
import { RerunJobView } from '../rerun/RerunJobView';
import { ErrorBox } from './components';

export interface IUpstreamChangedProps {
  changes: IUpstreamChange[] | undefined;
  /** "this artifact" or "this run", for the sentence. */
  subject: string;
  onOpen: (ref: IRecordRef) => void;
  onCopy: (text: string) => void;
  testid?: string;
}

function VersionLink(props: {
  version: IVersionRef;
  onOpen: (ref: IRecordRef) => void;
  testid: string;
}): JSX.Element {
  const { version } = props;
  return (
    <button
      className="lk-Link"
      data-testid={props.testid}
      data-uid={version.uid}
      title={`${version.registry} ${version.uid}`}
      onClick={() => props.onOpen({ registry: version.registry, uid: version.uid })}
    >
      {version.version}
    </button>
  );
}

function ChangeLine(props: {
  change: IUpstreamChange;
  onOpen: (ref: IRecordRef) => void;
}): JSX.Element {
  const { change, onOpen } = props;
  return (
    <li data-testid="lk-upstream-change" data-direct={change.direct ? 'true' : 'false'}>
      input <b>{change.changed.label}</b>{' '}
      <VersionLink version={change.changed} onOpen={onOpen} testid="lk-upstream-old" /> →{' '}
      <VersionLink version={change.newer} onOpen={onOpen} testid="lk-upstream-new" />
      {change.via && (
        <span className="lk-Muted">
          {' '}
          (upstream of input{' '}
          <button
            className="lk-Link"
            onClick={() => onOpen({ registry: change.via!.registry, uid: change.via!.uid })}
          >
            {change.via.label}
          </button>
          )
        </span>
      )}
    </li>
  );
}

function StaleRerun(props: {
  target: string;
  command: string;
  onOpen: (ref: IRecordRef) => void;
  onCopy: (text: string) => void;
}): JSX.Element {
  const { job, error, start, cancel } = useRerunJob({ stale: props.target });
  const busy = job?.state === 'running';
  return (
    <div className="lk-UpstreamRerun" data-testid="lk-upstream-rerun">
      <div className="lk-UpstreamCommand">
        <span className="lk-Muted">to rerun what is stale:</span>
        <code data-testid="lk-upstream-command">{props.command}</code>
        <RerunButton
          label="Rerun stale"
          runningLabel="Rerunning…"
          running={busy}
          disabled={busy}
          onClick={() => start({ stale: props.target })}
          testid="lk-upstream-run"
          title="Rerun, in dependency order, every run downstream of the older version"
          accept
        />
        <button
          className="jp-Button jp-mod-styled jp-mod-reject lk-CopyButton"
          data-testid="lk-upstream-copy"
          title="Copy the command (run it in a terminal)"
          onClick={() => props.onCopy(props.command)}
        >
          Copy
        </button>
      </div>
      {error && <ErrorBox message={error} testid="lk-upstream-rerun-error" />}
      {job && <RerunJobView job={job} onCancel={cancel} open={props.onOpen} />}
    </div>
  );
}

export function UpstreamChanged(props: IUpstreamChangedProps): JSX.Element | null {
  const changes = props.changes ?? [];
  if (changes.length === 0) {
    return null;
  }
  const targets = new Map<string, string>();
  changes.forEach(c => targets.set(c.rerun_target, c.rerun_command));
  return (
    <div
      className="lk-Banner lk-UpstreamChanged"
      role="status"
      data-testid={props.testid ?? 'lk-upstream-changed'}
    >
      <div className="lk-UpstreamChangedTitle">
        <span className="lk-Badge lk-StaleBadgeText">upstream changed</span>
        <span>
          {props.subject} was made from {changes.length === 1 ? 'an input' : 'inputs'} that
          {changes.length === 1 ? ' has' : ' have'} a newer version now:
        </span>
      </div>
      <ul className="lk-UpstreamChangedList">
        {changes.map(change => (
          <ChangeLine
            key={`${change.changed.uid}-${change.via?.uid ?? ''}`}
            change={change}
            onOpen={props.onOpen}
          />
        ))}
      </ul>
      {[...targets.entries()].map(([target, command]) => (
        <StaleRerun
          key={target}
          target={target}
          command={command}
          onOpen={props.onOpen}
          onCopy={props.onCopy}
        />
      ))}
    </div>
  );
}
