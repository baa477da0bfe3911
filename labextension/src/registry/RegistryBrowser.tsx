/** The Registries tab: pick a registry, search, filter, sort, page, open a record. */
import React, { useEffect, useMemo, useState } from 'react';

import { listRecords } from '../api';
import { IRecordFilter, IRegistry } from '../models';
import { useAsync, useDebounced } from '../sidebar/hooks';
import { ISidebarActions, SidebarModel } from '../sidebar/model';
import { ColumnChooser } from './ColumnChooser';
import { FilterBar } from './FilterBar';
import { columnChoices, defaultColumns, nextSort } from './helpers';
import { RecordDetail } from './RecordDetail';
import { RecordTable } from './RecordTable';

export interface IRegistryBrowserProps {
  model: SidebarModel;
  actions: ISidebarActions;
  registries: IRegistry[];
  pageSize: number;
}

interface IQueryState {
  search: string;
  filters: IRecordFilter[];
  sort: string | undefined;
  page: number;
  columns: string[] | null;
}

const EMPTY_QUERY: IQueryState = {
  search: '',
  filters: [],
  sort: undefined,
  page: 1,
  columns: null
};

export function RegistryBrowser(props: IRegistryBrowserProps): JSX.Element {
  const { model, registries } = props;
  const current: IRegistry | undefined =
    registries.find(r => r.name === model.registry) ?? registries[0];
  // The query of each registry is kept while the user switches between them.
  const [queries, setQueries] = useState<{ [registry: string]: IQueryState }>({});
  const query = (current && queries[current.name]) || EMPTY_QUERY;
  const update = (change: Partial<IQueryState>): void => {
    if (current) {
      setQueries(all => ({
        ...all,
        [current.name]: { ...(all[current.name] ?? EMPTY_QUERY), page: 1, ...change }
      }));
    }
  };
  const [searchText, setSearchText] = useState(query.search);
  useEffect(() => setSearchText(query.search), [current?.name]);
  const search = useDebounced(searchText, 300);
  useEffect(() => {
    if (search !== query.search) {
      update({ search });
    }
  }, [search]);

  const columns = useMemo(
    () => query.columns ?? (current ? defaultColumns(current) : []),
    [query.columns, current]
  );
  const records = useAsync(
    current
      ? () =>
          listRecords(current.name, {
            page: query.page,
            page_size: props.pageSize,
            sort: query.sort,
            search: query.search,
            filters: query.filters,
            columns
          })
      : null,
    [current?.name, JSON.stringify(query), columns.join(','), props.pageSize, model.generation]
  );

  if (!current) {
    return (
      <div className="lk-Empty" data-testid="lk-no-registries">
        No registries.
      </div>
    );
  }
  const choices = columnChoices(current);
  const fieldNames = current.fields.map(f => f.name);
  return (
    <div className="lk-RegistryBrowser" data-testid="lk-registry-browser">
      <div className="lk-Toolbar">
        <select
          className="lk-Select"
          data-testid="lk-registry-select"
          aria-label="Registry"
          value={current.name}
          onChange={event => model.setRegistry(event.target.value)}
        >
          {registries.map(r => (
            <option key={r.name} value={r.name}>
              {r.module === 'bionty' ? `bt.${r.name}` : r.name} ({r.count})
            </option>
          ))}
        </select>
        <input
          className="lk-Input lk-SearchInput"
          type="search"
          data-testid="lk-registry-search"
          aria-label="Search records"
          placeholder={`Search ${current.name}…`}
          value={searchText}
          onChange={event => setSearchText(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              update({ search: searchText });
            }
          }}
        />
      </div>
      {model.record ? (
        <RecordDetail
          record={model.record}
          module={registries.find(r => r.name === model.record?.registry)?.module ?? 'core'}
          generation={model.generation}
          actions={props.actions}
          onBack={() => model.closeRecord()}
        />
      ) : (
        <>
          <FilterBar
            filters={query.filters}
            fieldNames={fieldNames}
            onChange={filters => update({ filters })}
          />
          <ColumnChooser
            choices={choices}
            selected={columns}
            onChange={chosen => update({ columns: chosen, page: query.page })}
            onReset={() => update({ columns: null, page: query.page })}
          />
          {records.error && (
            <div className="lk-Error" data-testid="lk-error">
              {records.error}
            </div>
          )}
          {records.loading && !records.data && <div className="lk-Loading">Loading…</div>}
          {records.data && (
            <RecordTable
              page={records.data}
              sort={query.sort}
              onSort={field => update({ sort: nextSort(query.sort, field) })}
              onPage={page => update({ page })}
              onOpen={row => props.actions.openRecord({ registry: current.name, uid: row.uid })}
            />
          )}
        </>
      )}
    </div>
  );
}
