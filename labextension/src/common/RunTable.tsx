/** Runs as a table: status, started, duration, user, params, inputs and outputs. */
import React from 'react';

import { IRecordRef, IRunSummary } from '../models';
import { StatusBadge, TimeText } from './components';
import { humanDuration, plainText } from './format';

export interface IRunTableProps {
  runs: IRunSummary[];
  onOpen: (ref: IRecordRef) => void;
  /** Show the transform's key (for runs of several transforms); the table is then compact
   * (no user column: the user is in the run's tooltip), to fit a page's main column. */
  showTransform?: boolean;
  /** With selection: checkboxes, for comparing runs. */
  selected?: string[];
  onSelect?: (uids: string[]) => void;
  testid?: string;
}

/** `a=1, lr=0.01` for the params cell; the full JSON in its tooltip. */
export function paramsText(params: { [name: string]: unknown }): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${plainText(v as never)}`)
    .join(', ');
}

export function RunTable(props: IRunTableProps): JSX.Element {
  const { runs, selected, onSelect } = props;
  const compact = props.showTransform ?? false;
  if (runs.length === 0) {
    return <span className="lk-Muted">No runs.</span>;
  }
  const toggle = (uid: string, on: boolean): void => {
    if (onSelect && selected) {
      onSelect(on ? [...selected, uid] : selected.filter(u => u !== uid));
    }
  };
  return (
    <div className="lk-TableScroll">
      <table
        className={`lk-Table lk-RunTable${compact ? ' lk-mod-compact' : ''}`}
        data-testid={props.testid ?? 'lk-run-table'}
      >
        <thead>
          <tr>
            {onSelect && (
              <th scope="col">
                <span className="lk-VisuallyHidden">Select</span>
              </th>
            )}
            <th scope="col">run</th>
            <th scope="col">status</th>
            {props.showTransform && <th scope="col">transform</th>}
            <th scope="col">started</th>
            <th scope="col">duration</th>
            {!compact && <th scope="col">user</th>}
            <th scope="col">params</th>
            <th scope="col" className="lk-num" title="inputs">
              in
            </th>
            <th scope="col" className="lk-num" title="outputs">
              out
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map(run => {
            const params = paramsText(run.params);
            return (
              <tr key={run.uid} className="lk-RunRow" data-uid={run.uid} data-testid="lk-run-row">
                {onSelect && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select run ${run.uid}`}
                      data-testid="lk-run-select"
                      checked={selected?.includes(run.uid) ?? false}
                      onChange={event => toggle(run.uid, event.target.checked)}
                    />
                  </td>
                )}
                <td>
                  <button
                    className="lk-Link"
                    data-testid="lk-run-open"
                    title={`Run ${run.uid}${run.created_by ? ` by ${run.created_by}` : ''}`}
                    onClick={() => props.onOpen({ registry: 'Run', uid: run.uid })}
                  >
                    {run.name ?? run.uid.slice(0, 8)}
                  </button>
                </td>
                <td>
                  <StatusBadge status={run.status} title={run.error ?? run.status} />
                </td>
                {props.showTransform && (
                  <td>
                    <button
                      className="lk-Link"
                      onClick={() =>
                        props.onOpen({ registry: 'Transform', uid: run.transform.uid })
                      }
                    >
                      {run.transform.key ?? run.transform.uid}
                    </button>
                  </td>
                )}
                <td>
                  <TimeText value={run.started_at} />
                </td>
                <td title={run.duration_s !== null ? `${run.duration_s} s` : 'not finished'}>
                  {humanDuration(run.duration_s) ?? '—'}
                </td>
                {!compact && <td>{run.created_by ?? '—'}</td>}
                <td className="lk-Params" title={JSON.stringify(run.params, null, 1)}>
                  {params || <span className="lk-Muted">—</span>}
                </td>
                <td className="lk-num">{run.n_inputs}</td>
                <td className="lk-num">{run.n_outputs}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
