/** The paginated, sortable table of one registry's records. */
import React from 'react';

import { IRecordPage, IRecordRow } from '../models';
import { formatCell, pageCount, sortDirection } from './helpers';

export interface IRecordTableProps {
  page: IRecordPage;
  sort: string | undefined;
  onSort: (field: string) => void;
  onOpen: (row: IRecordRow) => void;
  onPage: (page: number) => void;
}

export function RecordTable(props: IRecordTableProps): JSX.Element {
  const { page, sort } = props;
  const pages = pageCount(page.total, page.page_size);
  const first = page.total === 0 ? 0 : (page.page - 1) * page.page_size + 1;
  const last = Math.min(page.total, first + page.records.length - 1);
  return (
    <div className="lk-RecordTable">
      <div className="lk-TableScroll">
        <table className="lk-Table" data-testid="lk-record-table">
          <thead>
            <tr>
              {page.columns.map(column => {
                const direction = sortDirection(sort, column);
                return (
                  <th
                    key={column}
                    aria-sort={
                      direction === 'asc'
                        ? 'ascending'
                        : direction === 'desc'
                          ? 'descending'
                          : 'none'
                    }
                  >
                    <button
                      className="lk-SortButton"
                      data-testid={`lk-sort-${column}`}
                      title={`Sort by ${column}`}
                      onClick={() => props.onSort(column)}
                    >
                      {column}
                      <span className="lk-SortMark">
                        {direction === 'asc' ? ' ▲' : direction === 'desc' ? ' ▼' : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {page.records.map(row => (
              <tr
                key={row.uid ?? row.id}
                className="lk-RecordRow"
                data-testid="lk-record-row"
                data-uid={row.uid}
                tabIndex={0}
                onClick={() => props.onOpen(row)}
                onKeyDown={event => {
                  if (event.key === 'Enter') {
                    props.onOpen(row);
                  }
                }}
              >
                {page.columns.map(column => {
                  const text = formatCell(row[column]);
                  return (
                    <td key={column} title={text}>
                      {text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {page.records.length === 0 && (
          <div className="lk-Empty" data-testid="lk-record-empty">
            No records match.
          </div>
        )}
      </div>
      <div className="lk-Pager" data-testid="lk-pager">
        <button
          className="lk-Button"
          data-testid="lk-page-prev"
          disabled={page.page <= 1}
          onClick={() => props.onPage(page.page - 1)}
        >
          ‹ Prev
        </button>
        <span className="lk-PagerText" data-testid="lk-page-info">
          {first}–{last} of {page.total} · page {page.page}/{pages}
        </span>
        <button
          className="lk-Button"
          data-testid="lk-page-next"
          disabled={page.page >= pages}
          onClick={() => props.onPage(page.page + 1)}
        >
          Next ›
        </button>
      </div>
    </div>
  );
}
