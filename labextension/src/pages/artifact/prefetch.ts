/**
 * The artifact page's requests, started together with the record's detail: the page's
 * sections (preview, "Used by", validation) mount only once the detail has arrived, and
 * waiting for it before asking for their own data cost one round trip more on every click.
 */
import {
  getArtifactPreview,
  getDownstreamRuns,
  listValidationReports,
  PREVIEW_PAGE_ROWS
} from '../../api';

const FRESH_MS = 10_000;

const started = new Map<string, { promise: Promise<unknown>; at: number }>();

function start<T>(key: string, load: () => Promise<T>): void {
  const promise = load();
  promise.catch(() => undefined); // a section that never mounts leaves no unhandled rejection
  started.set(key, { promise, at: Date.now() });
}

/** The request started for `key` if it is fresh (each is used once), else a new one. */
export function prefetched<T>(key: string, load: () => Promise<T>): Promise<T> {
  const entry = started.get(key);
  started.delete(key);
  if (entry && Date.now() - entry.at < FRESH_MS) {
    return entry.promise as Promise<T>;
  }
  return load();
}

export const artifactKeys = {
  preview: (uid: string): string => `preview:${uid}`,
  downstream: (uid: string): string => `downstream:${uid}`,
  validation: (uid: string): string => `validation:${uid}`
};

/** Start the requests of an artifact page's sections. */
export function prefetchArtifactPage(uid: string): void {
  start(artifactKeys.preview(uid), () => getArtifactPreview(uid, PREVIEW_PAGE_ROWS));
  start(artifactKeys.downstream(uid), () => getDownstreamRuns(uid));
  start(artifactKeys.validation(uid), () => listValidationReports({ artifact: uid }));
}
