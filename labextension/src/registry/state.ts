/**
 * What the registry browser shows, per registry: search, filters, sort, columns, column
 * widths, whether internal run files show, the page. Kept across reloads in JupyterLab's
 * state database (the saved form drops the page and anything it does not recognise).
 */
import { ISignal, Signal } from '@lumino/signaling';

import { IRecordFilter, FilterLookup } from '../models';
import { LOOKUPS } from './helpers';

export interface IQueryState {
  search: string;
  filters: IRecordFilter[];
  sort: string | undefined;
  page: number;
  columns: string[] | null;
  widths: { [column: string]: number };
  showRunFiles: boolean;
}

export const EMPTY_QUERY: IQueryState = {
  search: '',
  filters: [],
  sort: undefined,
  page: 1,
  columns: null,
  widths: {},
  showRunFiles: false
};

export interface IBrowserSnapshot {
  registry: string | null;
  queries: { [registry: string]: Partial<IQueryState> };
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFilter(value: unknown): IRecordFilter | null {
  if (!isObject(value) || typeof value.field !== 'string' || typeof value.lookup !== 'string') {
    return null;
  }
  if (!LOOKUPS.includes(value.lookup as FilterLookup)) {
    return null;
  }
  const v = value.value;
  const ok =
    typeof v === 'string' ||
    typeof v === 'number' ||
    typeof v === 'boolean' ||
    (Array.isArray(v) && v.every(x => typeof x === 'string' || typeof x === 'number'));
  return ok ? { field: value.field, lookup: value.lookup as FilterLookup, value: v } : null;
}

/** A query read back from the state database, with anything malformed dropped. */
export function parseQuery(value: unknown): IQueryState {
  if (!isObject(value)) {
    return { ...EMPTY_QUERY };
  }
  const widths: { [column: string]: number } = {};
  if (isObject(value.widths)) {
    for (const [name, width] of Object.entries(value.widths)) {
      if (typeof width === 'number' && width >= 40 && width <= 2000) {
        widths[name] = width;
      }
    }
  }
  return {
    search: typeof value.search === 'string' ? value.search : '',
    filters: Array.isArray(value.filters)
      ? value.filters.map(parseFilter).filter((f): f is IRecordFilter => f !== null)
      : [],
    sort: typeof value.sort === 'string' && value.sort ? value.sort : undefined,
    page: 1,
    columns:
      Array.isArray(value.columns) && value.columns.every(c => typeof c === 'string')
        ? (value.columns as string[])
        : null,
    widths,
    showRunFiles: value.showRunFiles === true
  };
}

/** The browser's state, shared by the sidebar and saved on every change. */
export class BrowserState {
  private _registry: string | null = null;
  private _queries: { [registry: string]: IQueryState } = {};
  private _changed = new Signal<this, void>(this);

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get registry(): string | null {
    return this._registry;
  }

  query(registry: string): IQueryState {
    return this._queries[registry] ?? EMPTY_QUERY;
  }

  setRegistry(name: string): void {
    if (name !== this._registry) {
      this._registry = name;
      this._changed.emit();
    }
  }

  /** Change a registry's query; anything but the page or widths starts again at page 1. */
  update(registry: string, change: Partial<IQueryState>): void {
    const previous = this.query(registry);
    const keepsPage = Object.keys(change).every(key => key === 'page' || key === 'widths');
    this._queries = {
      ...this._queries,
      [registry]: { ...previous, ...(keepsPage ? {} : { page: 1 }), ...change }
    };
    this._changed.emit();
  }

  snapshot(): IBrowserSnapshot {
    const queries: IBrowserSnapshot['queries'] = {};
    for (const [name, query] of Object.entries(this._queries)) {
      const { page: _page, ...rest } = query;
      queries[name] = rest;
    }
    return { registry: this._registry, queries };
  }

  restore(value: unknown): void {
    if (!isObject(value)) {
      return;
    }
    this._registry = typeof value.registry === 'string' ? value.registry : null;
    this._queries = {};
    if (isObject(value.queries)) {
      for (const [name, query] of Object.entries(value.queries)) {
        this._queries[name] = parseQuery(query);
      }
    }
    this._changed.emit();
  }
}
