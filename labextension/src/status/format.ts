/** Pure helpers for the status bar item. */
import { INotebookState, KernelMessage } from '../models';

/** Short run uid as shown in the status bar. */
export function shortUid(uid: string, length = 7): string {
  return uid.slice(0, length);
}

/**
 * "Lamin: not tracked" or
 * "Lamin: <key> v<version_tag> · run <uid[:7]> · <n_inputs> in / <n_outputs> out".
 */
export function formatStatus(state: INotebookState | null): string {
  if (!state || !state.tracked) {
    return 'Lamin: not tracked';
  }
  const version = state.transform.version_tag ? ` v${state.transform.version_tag}` : '';
  return (
    `Lamin: ${state.transform.key}${version}` +
    ` · run ${shortUid(state.run.uid)}` +
    ` · ${state.n_inputs} in / ${state.n_outputs} out`
  );
}

/** Tooltip with the full uids, the run's times, and the last error if any. */
export function formatStatusTooltip(state: INotebookState | null, error: string | null): string {
  const lines: string[] = [];
  if (state && state.tracked) {
    lines.push(`Transform ${state.transform.uid} (${state.transform.key})`);
    lines.push(`Run ${state.run.uid}`);
    if (state.run.started_at) {
      lines.push(`started ${state.run.started_at}`);
    }
    if (state.run.finished_at) {
      lines.push(`finished ${state.run.finished_at}`);
    }
    lines.push('Click to show the lineage of this run.');
  } else {
    lines.push('This notebook is not tracked: run ln.track() (command "Lamin: Track notebook").');
  }
  if (error) {
    lines.push(`Last update failed: ${error}`);
  }
  return lines.join('\n');
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Check a comm message from the kernel; null for anything this version does not know. */
export function parseKernelMessage(data: unknown): KernelMessage | null {
  if (!isObject(data)) {
    return null;
  }
  if (data.type === 'save_request' && typeof data.request_id === 'string') {
    return { type: 'save_request', request_id: data.request_id };
  }
  if (data.type === 'status') {
    const state = parseNotebookState(data);
    return state ? { type: 'status', ...state } : null;
  }
  return null;
}

/** Check a notebook-state answer (or a status message); null when malformed. */
export function parseNotebookState(data: unknown): INotebookState | null {
  if (!isObject(data) || typeof data.tracked !== 'boolean') {
    return null;
  }
  if (!data.tracked) {
    return { tracked: false };
  }
  const transform = data.transform;
  const run = data.run;
  if (!isObject(transform) || !isObject(run) || typeof run.uid !== 'string') {
    return null;
  }
  return {
    tracked: true,
    transform: {
      uid: String(transform.uid ?? ''),
      key: String(transform.key ?? ''),
      version_tag:
        transform.version_tag === null || transform.version_tag === undefined
          ? null
          : String(transform.version_tag)
    },
    run: {
      uid: run.uid,
      started_at: typeof run.started_at === 'string' ? run.started_at : null,
      finished_at: typeof run.finished_at === 'string' ? run.finished_at : null
    },
    n_inputs: Number(data.n_inputs ?? 0),
    n_outputs: Number(data.n_outputs ?? 0)
  };
}
