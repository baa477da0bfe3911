/** The Registries tab: pick a registry, search, filter, sort, page; a row opens its page. */
import { ToolbarButtonComponent, filterListIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useMemo, useState } from 'react';

import { LaminApiError, listRecords } from '../api';
import { EmptyState } from '../common/components';
import { IRecordRow, IRegistry } from '../models';
import { useAsync, useDebounced, useSignal } from '../sidebar/hooks';
import { ColumnChooser } from './ColumnChooser';
import { FilterBar } from './FilterBar';
import { columnChoices, defaultColumns, listedCount, nextSort, RUN_FILES_EXCLUDE } from './helpers';
import { RecordTable } from './RecordTable';
import { BrowserState } from './state';

export interface IRegistryBrowserProps {
  state: BrowserState;
  registries: IRegistry[];
  pageSize: number;
  generation: number;
  onOpen: (registry: string, row: IRecordRow) => void;
  /** Create the default instance (the empty state of a new user). */
  onTrack: () => void;
}

/** The first sentence of a filter error; the list of fields it names folds away. */
function FilterError(props: { message: string }): JSX.Element {
  const [head, ...rest] = props.message.split('; ');
  return (
    <div className="lk-Error lk-FilterError" role="alert" data-testid="lk-filter-error">
      {head}.
      {rest.length > 0 && (
        <details>
          <summary>What can be filtered</summary>
          {rest.join('; ')}
        </details>
      )}
    </div>
  );
}

/** A 400 about a filter is shown under the filters; the table stays. */
function isFilterError(error: unknown): boolean {
  return (
    error instanceof LaminApiError &&
    error.status === 400 &&
    /filter|lookup|cannot filter|not an integer|not a number|true or false|ISO date/i.test(
      error.message
    )
  );
}

export function RegistryBrowser(props: IRegistryBrowserProps): JSX.Element {
  const { state, registries } = props;
  useSignal(state.changed);
  const current: IRegistry | undefined =
    registries.find(r => r.name === state.registry) ?? registries[0];
  const name = current?.name ?? '';
  const query = state.query(name);
  const [searchText, setSearchText] = useState(query.search);
  useEffect(() => setSearchText(query.search), [name]);
  const search = useDebounced(searchText, 300);
  useEffect(() => {
    if (current && search !== query.search) {
      state.update(name, { search });
    }
  }, [search]);
  const [showFilters, setShowFilters] = useState(query.filters.length > 0);
  const columns = useMemo(
    () => query.columns ?? (current ? defaultColumns(current) : []),
    [query.columns, current]
  );
  const hideRunFiles = name === 'Artifact' && !query.showRunFiles;
  const [lastGood, setLastGood] = useState<Awaited<ReturnType<typeof listRecords>> | null>(null);
  const records = useAsync(
    current
      ? async () => {
          try {
            const page = await listRecords(name, {
              page: query.page,
              page_size: props.pageSize,
              sort: query.sort,
              search: query.search,
              filters: query.filters,
              excludes: hideRunFiles ? [RUN_FILES_EXCLUDE] : [],
              columns
            });
            setLastGood(page);
            return page;
          } catch (error) {
            if (isFilterError(error)) {
              setShowFilters(true);
            }
            throw error;
          }
        }
      : null,
    [
      name,
      JSON.stringify([query.search, query.filters, query.sort, query.page, query.showRunFiles]),
      columns.join(','),
      props.pageSize,
      props.generation
    ]
  );
  if (!current) {
    return (
      <EmptyState title="No registries" testid="lk-no-registries">
        The server answered without registries: is the instance set up?
      </EmptyState>
    );
  }
  const filterError = records.error && /filter|lookup/i.test(records.error) ? records.error : null;
  const page = records.data ?? (filterError ? lastGood : null);
  const isEmptyRegistry =
    listedCount(current, query.showRunFiles) === 0 && !query.search && query.filters.length === 0;
  return (
    <div className="lk-RegistryBrowser" data-testid="lk-registry-browser">
      <div className="lk-Toolbar">
        <select
          className="lk-Select"
          data-testid="lk-registry-select"
          aria-label="Registry"
          value={current.name}
          onChange={event => state.setRegistry(event.target.value)}
        >
          {registries.map(r => (
            <option key={r.name} value={r.name}>
              {r.module === 'bionty' ? `bt.${r.name}` : r.name} (
              {listedCount(r, state.query(r.name).showRunFiles).toLocaleString('en-US')})
            </option>
          ))}
        </select>
        <input
          className="lk-Input lk-SearchInput"
          type="search"
          data-testid="lk-registry-search"
          aria-label="Search records"
          placeholder="Search…"
          title={`Search the ${current.name} records`}
          value={searchText}
          onChange={event => setSearchText(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              state.update(name, { search: searchText });
            }
          }}
        />
        <span data-testid="lk-toggle-filters">
          <ToolbarButtonComponent
            icon={filterListIcon}
            tooltip={showFilters ? 'Hide filters' : 'Filter by labels, features and fields'}
            pressed={showFilters}
            onClick={() => setShowFilters(v => !v)}
          />
        </span>
      </div>
      {(showFilters || query.filters.length > 0) && (
        <FilterBar
          filters={query.filters}
          fieldNames={current.fields.map(f => f.name)}
          onChange={filters => state.update(name, { filters })}
        />
      )}
      {filterError && <FilterError message={filterError} />}
      <div className="lk-TableOptions">
        <ColumnChooser
          choices={columnChoices(current)}
          selected={columns}
          onChange={chosen => state.update(name, { columns: chosen, page: query.page })}
          onReset={() => state.update(name, { columns: null, page: query.page })}
        />
        {name === 'Artifact' && (
          <label className="lk-Toggle" title="Reports, environments and notebooks of runs">
            <input
              type="checkbox"
              data-testid="lk-show-run-files"
              checked={query.showRunFiles}
              onChange={event => state.update(name, { showRunFiles: event.target.checked })}
            />{' '}
            show run files
          </label>
        )}
      </div>
      {records.error && !filterError && (
        <div className="lk-Error" role="alert" data-testid="lk-error">
          {records.error}
        </div>
      )}
      {records.loading && !page && <div className="lk-Loading">Loading…</div>}
      {isEmptyRegistry && page && page.total === 0 ? (
        <EmptyState title={`No ${current.name} records yet`} testid="lk-record-empty">
          {current.name === 'Artifact' || current.name === 'Run' || current.name === 'Transform' ? (
            <>
              Track a notebook with <code>ln.track()</code> (or the button below), then save data:{' '}
              <code>
                ln.Artifact
                <wbr />
                .from_dataframe(
                <wbr />
                df, key=&quot;my.parquet&quot;)
                <wbr />
                .save()
              </code>
              .
              <div>
                <button className="lk-Button lk-mod-accept" onClick={props.onTrack}>
                  Track the active notebook
                </button>
              </div>
            </>
          ) : (
            <>
              Create one in a notebook, e.g.{' '}
              <code>ln.{current.name}(name=&quot;…&quot;).save()</code>.
            </>
          )}
        </EmptyState>
      ) : (
        page && (
          <>
            {page.total === 0 && (
              <EmptyState title="No records match" testid="lk-record-nomatch">
                Change the search or remove a filter.
              </EmptyState>
            )}
            <RecordTable
              key={`${name}:${columns.join(',')}`}
              page={page}
              sort={query.sort}
              widths={query.widths}
              onSort={field => state.update(name, { sort: nextSort(query.sort, field) })}
              onPage={p => state.update(name, { page: p })}
              onOpen={row => props.onOpen(name, row)}
              onResize={widths => state.update(name, { widths })}
            />
          </>
        )
      )}
    </div>
  );
}
