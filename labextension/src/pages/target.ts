/** What a main-area page shows, as plain data (saved by the layout restorer, parsed back). */
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { IRecordRef } from '../models';

export type PageTarget =
  | { view: 'record'; registry: string; uid: string }
  | { view: 'lineage'; registry: string; uid: string }
  | { view: 'compare'; transform: string; runs: string[] };

const REGISTRY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const UID = /^[A-Za-z0-9]{1,64}$/;

/** A page target from command arguments; null when they do not name one. */
export function parseTarget(args: ReadonlyPartialJSONObject): PageTarget | null {
  const view = args.view ?? 'record';
  if (view === 'compare') {
    const transform = args.transform;
    const runs = Array.isArray(args.runs) ? args.runs.filter(r => typeof r === 'string') : [];
    if (typeof transform !== 'string' || !UID.test(transform)) {
      return null;
    }
    return { view, transform, runs: (runs as string[]).filter(r => UID.test(r)) };
  }
  const { registry, uid } = args;
  if (
    (view !== 'record' && view !== 'lineage') ||
    typeof registry !== 'string' ||
    typeof uid !== 'string' ||
    !REGISTRY.test(registry) ||
    !UID.test(uid)
  ) {
    return null;
  }
  return { view, registry, uid };
}

/** Arguments of the open-page command that reopen this target. */
export function targetArgs(target: PageTarget): ReadonlyPartialJSONObject {
  return target.view === 'compare'
    ? { view: target.view, transform: target.transform, runs: target.runs }
    : { view: target.view, registry: target.registry, uid: target.uid };
}

/** One page per target: its widget id. */
export function pageId(target: PageTarget): string {
  return target.view === 'compare'
    ? `lamin-compare-${target.transform}`
    : `lamin-${target.view}-${target.registry}-${target.uid}`;
}

/** `lamin:Artifact/<uid>` links (in Markdown cells) name a record; `lamin:lineage/Run/<uid>`
 * its lineage. */
export function parseLaminLink(href: string): PageTarget | null {
  const match = /^lamin:(?:\/\/)?(lineage\/)?([A-Za-z][A-Za-z0-9_]*)\/([A-Za-z0-9]+)\/?$/.exec(
    href.trim()
  );
  if (!match) {
    return null;
  }
  const [, lineage, registry, uid] = match;
  return { view: lineage ? 'lineage' : 'record', registry, uid };
}

/** The link text for a record: `lamin:Artifact/<uid>`. */
export function laminLink(ref: IRecordRef): string {
  return `lamin:${ref.registry}/${ref.uid}`;
}
