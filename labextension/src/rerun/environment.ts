/**
 * The packages that differ between a run's stored environment and the one a rerun runs in, as
 * `lamin rerun` lists them (`records.environment_diff.changes_since_run` on the server).
 */
export interface IEnvironmentChanges {
  recorded: 'environment' | 'imported' | null;
  added: Record<string, string>;
  removed: Record<string, string>;
  changed: Record<string, [string, string]>;
  n_same: number;
}

/** A heading and one line per package: `~ name: old → new`, `+ name==version`, `- name==version`. */
export function environmentSummary(changes: IEnvironmentChanges): {
  heading: string;
  lines: string[];
} {
  if (changes.recorded === null) {
    return { heading: 'The run stored no environment: packages cannot be compared.', lines: [] };
  }
  const lines = [
    ...Object.entries(changes.changed).map(([n, [a, b]]) => `~ ${n}: ${a} → ${b}`),
    ...Object.entries(changes.added).map(([n, v]) => `+ ${n}==${v}`),
    ...Object.entries(changes.removed).map(([n, v]) => `- ${n}==${v}`)
  ];
  const scope = changes.recorded === 'imported' ? 'imported packages' : 'environment';
  if (lines.length === 0) {
    return { heading: `Same ${scope} as the run (${changes.n_same} packages).`, lines };
  }
  const counts = ['changed', 'added', 'removed']
    .map(k => `${Object.keys(changes[k as 'added']).length} ${k}`)
    .join(', ');
  return { heading: `Packages that differ from the run's ${scope} (${counts}):`, lines };
}
