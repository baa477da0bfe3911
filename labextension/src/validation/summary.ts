/** Pure helpers for validation reports. */
import { IFeatureValidation, ISuggestion, IValidationReport, ValidationTarget } from '../models';

export interface IReportSummary {
  features: number;
  validated: number;
  failing: number;
  byStatus: { [status: string]: number };
}

/** Count features by status over all slots of a report. */
export function summarizeReport(report: IValidationReport): IReportSummary {
  const byStatus: { [status: string]: number } = {};
  let features = 0;
  for (const slot of report.slots) {
    for (const feature of slot.features) {
      features += 1;
      byStatus[feature.status] = (byStatus[feature.status] ?? 0) + 1;
    }
  }
  const validated = byStatus.validated ?? 0;
  return { features, validated, failing: features - validated, byStatus };
}

/** "validated", "not validated", "dtype mismatch" … */
export function statusLabel(status: string): string {
  return status.replace(/_/g, ' ');
}

/** The best suggestions first: "CD8-positive T cell (0.92)". */
export function formatSuggestions(suggestions: ISuggestion[], limit = 3): string {
  return [...suggestions]
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(s => `${s.value} (${s.score.toFixed(2)})`)
    .join(', ');
}

/** Non-validated terms with their suggestions, in the report's order. */
export function termsWithSuggestions(
  feature: IFeatureValidation
): Array<{ term: string; suggestions: string }> {
  return feature.non_validated.map(term => ({
    term,
    suggestions: formatSuggestions(feature.suggestions?.[term] ?? [])
  }));
}

/** Heading for what the reports belong to. */
export function targetLabel(target: ValidationTarget): string {
  return 'artifact' in target ? `Artifact ${target.artifact}` : `Run ${target.run}`;
}

/** Newest report first. */
export function sortReports(reports: IValidationReport[]): IValidationReport[] {
  return [...reports].sort((a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0
  );
}
