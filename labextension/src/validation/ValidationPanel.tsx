/** The Validation tab: reports of a chosen artifact or of the active notebook's run. */
import React from 'react';

import { listValidationReports } from '../api';
import { IFeatureValidation, IValidationReport, ValidationTarget } from '../models';
import { useAsync } from '../sidebar/hooks';
import { ISidebarActions } from '../sidebar/model';
import {
  sortReports,
  statusLabel,
  summarizeReport,
  targetLabel,
  termsWithSuggestions
} from './summary';

export interface IValidationPanelProps {
  target: ValidationTarget | null;
  fromNotebook: boolean;
  generation: number;
  visible: boolean;
  actions: ISidebarActions;
}

function FeatureRow(props: { feature: IFeatureValidation }): JSX.Element {
  const { feature } = props;
  const terms = termsWithSuggestions(feature);
  return (
    <>
      <tr
        className={`lk-ValidationFeature lk-status-${feature.status}`}
        data-testid="lk-validation-feature"
        data-feature={feature.name}
        data-status={feature.status}
      >
        <td className="lk-FeatureName">{feature.name}</td>
        <td>
          <span className={`lk-Badge lk-status-${feature.status}`}>
            {statusLabel(feature.status)}
          </span>
        </td>
        <td className="lk-Number">{feature.n_values}</td>
      </tr>
      {terms.length > 0 && (
        <tr className="lk-TermsRow" data-feature={feature.name}>
          <td colSpan={3}>
            <ul className="lk-List lk-Terms">
              {terms.map(({ term, suggestions }) => (
                <li key={term} data-testid="lk-validation-term">
                  <code>{term}</code>
                  {suggestions && <span className="lk-Muted"> → {suggestions}</span>}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}

function Report(props: { report: IValidationReport; actions: ISidebarActions }): JSX.Element {
  const { report, actions } = props;
  const summary = summarizeReport(report);
  return (
    <details
      className={`lk-Section lk-ValidationReport${report.passed ? ' lk-mod-passed' : ' lk-mod-failed'}`}
      data-testid="lk-validation-report"
      data-report-id={String(report.id)}
      data-passed={report.passed ? 'true' : 'false'}
      open={!report.passed}
    >
      <summary className="lk-SectionTitle">
        <span
          className={`lk-Badge ${report.passed ? 'lk-status-validated' : 'lk-status-not_validated'}`}
        >
          {report.passed ? 'passed' : 'failed'}
        </span>{' '}
        {report.created_at} · {summary.validated}/{summary.features} features validated
      </summary>
      <div className="lk-SectionBody">
        <div className="lk-Muted">
          {report.artifact && (
            <button
              className="lk-Button lk-mod-link"
              onClick={() =>
                actions.openRecord({ registry: 'Artifact', uid: report.artifact as string })
              }
            >
              Artifact {report.artifact}
            </button>
          )}
          {report.schema && (
            <button
              className="lk-Button lk-mod-link"
              onClick={() =>
                actions.openRecord({ registry: 'Schema', uid: report.schema as string })
              }
            >
              Schema {report.schema}
            </button>
          )}
        </div>
        {report.slots.map(slot => (
          <div
            key={slot.slot}
            className="lk-ValidationSlot"
            data-testid="lk-validation-slot"
            data-slot={slot.slot}
          >
            <div className="lk-SlotTitle">{slot.slot}</div>
            <table className="lk-Table">
              <thead>
                <tr>
                  <th>feature</th>
                  <th>status</th>
                  <th>values</th>
                </tr>
              </thead>
              <tbody>
                {slot.features.map(feature => (
                  <FeatureRow key={feature.name} feature={feature} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </details>
  );
}

export function ValidationPanel(props: IValidationPanelProps): JSX.Element {
  const { target } = props;
  const key = target ? JSON.stringify(target) : null;
  const reports = useAsync(target && props.visible ? () => listValidationReports(target) : null, [
    key,
    props.generation,
    props.visible
  ]);
  if (!target) {
    return (
      <div className="lk-Empty" data-testid="lk-validation-empty">
        Open an artifact and choose “Validation”, or track the active notebook with ln.track().
      </div>
    );
  }
  const list = reports.data ? sortReports(reports.data.reports) : [];
  return (
    <div className="lk-ValidationPanel" data-testid="lk-validation-panel">
      <div className="lk-Toolbar">
        <span className="lk-LineageTitle" data-testid="lk-validation-target">
          {props.fromNotebook ? 'Current run: ' : ''}
          {targetLabel(target)}
        </span>
      </div>
      {reports.error && (
        <div className="lk-Error" data-testid="lk-error">
          {reports.error}
        </div>
      )}
      {reports.loading && !reports.data && <div className="lk-Loading">Loading reports…</div>}
      {reports.data && list.length === 0 && (
        <div className="lk-Empty" data-testid="lk-validation-none">
          No validation reports.
        </div>
      )}
      {list.map(report => (
        <Report key={String(report.id)} report={report} actions={props.actions} />
      ))}
    </div>
  );
}
