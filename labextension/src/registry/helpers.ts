/** Pure helpers of the registry browser. */
import { FilterLookup, IRecordFilter, IRegistry } from '../models';

export const LOOKUPS: FilterLookup[] = [
  'exact',
  'iexact',
  'contains',
  'icontains',
  'startswith',
  'istartswith',
  'endswith',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'isnull'
];

/** Columns shown in the narrow sidebar when the user has not chosen any: what people look a
 * record up by, then one fact; per registry, else the first preferred name field there is. */
const SIDEBAR_COLUMNS: { [registry: string]: string[] } = {
  Artifact: ['key', 'size'],
  Collection: ['key', 'created_at'],
  Transform: ['key', 'kind'],
  Run: ['name', 'status', 'started_at'],
  Storage: ['root', 'type'],
  User: ['handle', 'name'],
  Feature: ['name', 'dtype'],
  Schema: ['name', 'n_members']
};

const NAME_FIELDS = ['key', 'name', 'handle', 'root', 'description'];

/** Python code that fetches one record: `ln.Artifact.get("<uid>")`, `bt.CellType.get(...)`. */
export function recordGetCode(registry: string, uid: string, module = 'core'): string {
  const namespace = module === 'bionty' ? 'bt' : 'ln';
  return `${namespace}.${registry}.get(${JSON.stringify(uid)})`;
}

/** One cell of the table as text (React escapes it when rendering): the shared formatter. */
export { plainText as formatCell } from '../common/format';

/** Clicking a column header cycles: ascending, descending, unsorted. */
export function nextSort(current: string | undefined, field: string): string | undefined {
  if (current === field) {
    return `-${field}`;
  }
  if (current === `-${field}`) {
    return undefined;
  }
  return field;
}

/** `asc`, `desc` or null for a column header. */
export function sortDirection(current: string | undefined, field: string): 'asc' | 'desc' | null {
  if (current === field) {
    return 'asc';
  }
  if (current === `-${field}`) {
    return 'desc';
  }
  return null;
}

/** Fields that can be shown as a column (relations show as their id field). */
export function columnChoices(registry: IRegistry): string[] {
  return registry.fields.filter(f => !f.relation || f.name.endsWith('_id')).map(f => f.name);
}

/** The default columns of a registry in the sidebar: its own short list, else its name field
 * and when it was created; uid never comes first (it is the last column of the table). */
export function defaultColumns(registry: IRegistry): string[] {
  const names = new Set(registry.fields.map(f => f.name));
  const listed = (SIDEBAR_COLUMNS[registry.name] ?? []).filter(name => names.has(name));
  if (listed.length > 0) {
    return listed;
  }
  const nameField = NAME_FIELDS.find(name => names.has(name));
  const chosen = [nameField, names.has('created_at') ? 'created_at' : undefined].filter(
    (name): name is string => name !== undefined
  );
  return chosen.length > 0 ? chosen : columnChoices(registry).slice(0, 3);
}

/** Label filter: records linked to any of the comma-separated ulabel names. */
export function labelFilter(names: string, relation = 'ulabels'): IRecordFilter | null {
  const list = splitList(names);
  return list.length ? { field: `${relation}__name`, lookup: 'in', value: list } : null;
}

/** Feature filter: `<feature>:<lookup>:<value>`; numbers stay numbers. */
export function featureFilter(
  feature: string,
  lookup: FilterLookup,
  value: string
): IRecordFilter | null {
  const name = feature.trim();
  if (!name || name.includes(':')) {
    return null;
  }
  if (lookup === 'in') {
    return { field: name, lookup, value: splitList(value) };
  }
  return { field: name, lookup, value: value.trim() };
}

/** Parse `field:lookup:value` typed by a user; the value may hold further colons. */
export function parseFilter(text: string): IRecordFilter | null {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first <= 0 || second < 0) {
    return null;
  }
  const field = text.slice(0, first).trim();
  const lookup = text.slice(first + 1, second).trim() as FilterLookup;
  if (!field || !LOOKUPS.includes(lookup)) {
    return null;
  }
  const value = text.slice(second + 1);
  return lookup === 'in' ? { field, lookup, value: splitList(value) } : { field, lookup, value };
}

/** A filter as a chip label. */
export function describeFilter(filter: IRecordFilter): string {
  const value = Array.isArray(filter.value) ? filter.value.join(', ') : String(filter.value);
  return `${filter.field} ${filter.lookup} ${value}`;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map(item => item.trim())
    .filter(item => item.length > 0);
}

/** Page count for a total (at least 1). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** Only same-origin http(s) URLs (or absolute paths) are used as image sources. */
export function isSameOriginUrl(url: string, origin: string): boolean {
  if (url.startsWith('/') && !url.startsWith('//')) {
    return true;
  }
  try {
    const parsed = new URL(url, origin);
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === origin
    );
  } catch {
    return false;
  }
}

/**
 * How many records a registry's table lists when nothing is searched or filtered: all of them,
 * but for Artifact without the run files the table hides (unless they are shown).
 */
export function listedCount(registry: IRegistry, showRunFiles: boolean): number {
  return showRunFiles ? registry.count : Math.max(0, registry.count - (registry.run_files ?? 0));
}

/** The internal files of runs (reports, environments): hidden from tables by default. */
export const RUN_FILES_EXCLUDE: IRecordFilter = {
  field: 'kind',
  lookup: 'exact',
  value: '__lamindb_run__'
};
