/**
 * One page of a registry's records (TanStack Table: resizable columns, server-side sort):
 * uid last, values humanized with the exact value on hover, page jumps, a right-click menu.
 */
import {
  caretDownIcon,
  caretLeftIcon,
  caretRightIcon,
  caretUpIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import {
  ColumnDef,
  ColumnSizingState,
  flexRender,
  getCoreRowModel,
  useReactTable
} from '@tanstack/react-table';
import React, { useMemo, useState } from 'react';

import { cellText, rangeText } from '../common/format';
import { IRecordPage, IRecordRow } from '../models';
import { pageCount, sortDirection } from './helpers';

export interface IRecordTableProps {
  page: IRecordPage;
  sort: string | undefined;
  widths?: { [column: string]: number };
  onSort: (field: string) => void;
  onOpen: (row: IRecordRow) => void;
  onPage: (page: number) => void;
  onResize?: (widths: { [column: string]: number }) => void;
}

/** uid goes last: people look for keys and names first. */
export function displayColumns(columns: string[]): string[] {
  return [...columns.filter(c => c !== 'uid'), ...(columns.includes('uid') ? ['uid'] : [])];
}

/** Widths that fit the sidebar's default width with its default columns (helpers.ts). */
const DEFAULT_WIDTHS: { [column: string]: number } = {
  key: 120,
  name: 130,
  handle: 120,
  root: 150,
  description: 180,
  uid: 190,
  size: 80,
  suffix: 70,
  kind: 70,
  status: 70,
  dtype: 80,
  n_members: 70,
  version_tag: 80,
  is_latest: 70,
  started_at: 90,
  created_at: 90
};

/** A "page [ ] of N" box; with `pages` null (the count is unknown) any page from 1 is taken. */
export function PageJump(props: {
  page: number;
  pages: number | null;
  onPage: (page: number) => void;
  testid?: string;
}): JSX.Element {
  const [text, setText] = useState('');
  const { pages } = props;
  return (
    <form
      className="lk-PageJump"
      onSubmit={event => {
        event.preventDefault();
        const value = Math.trunc(Number(text));
        if (Number.isFinite(value) && value >= 1) {
          props.onPage(pages === null ? value : Math.min(pages, value));
        }
        setText('');
      }}
    >
      <label>
        page{' '}
        <input
          className="lk-Input lk-PageInput"
          data-testid={props.testid ?? 'lk-page-jump'}
          inputMode="numeric"
          aria-label={pages === null ? 'Go to page' : `Go to page (1 to ${pages})`}
          placeholder={String(props.page)}
          value={text}
          onChange={event => setText(event.target.value.replace(/[^0-9]/g, ''))}
        />
        {pages !== null && ` of ${pages.toLocaleString('en-US')}`}
      </label>
    </form>
  );
}

export function RecordTable(props: IRecordTableProps): JSX.Element {
  const { page, sort } = props;
  const pages = pageCount(page.total, page.page_size);
  const columns = useMemo(() => displayColumns(page.columns), [page.columns.join(',')]);
  const [sizing, setSizing] = useState<ColumnSizingState>(props.widths ?? {});
  const definitions = useMemo<ColumnDef<IRecordRow>[]>(
    () =>
      columns.map(column => ({
        id: column,
        accessorFn: row => row[column],
        header: column,
        size: props.widths?.[column] ?? DEFAULT_WIDTHS[column] ?? 120,
        minSize: 48,
        maxSize: 1200
      })),
    [columns]
  );
  const table = useReactTable({
    data: page.records,
    columns: definitions,
    getCoreRowModel: getCoreRowModel(),
    columnResizeMode: 'onEnd',
    enableColumnResizing: true,
    manualSorting: true,
    state: { columnSizing: sizing },
    onColumnSizingChange: updater => {
      setSizing(previous => {
        const next = typeof updater === 'function' ? updater(previous) : updater;
        props.onResize?.(next);
        return next;
      });
    },
    getRowId: row => row.uid ?? String(row.id)
  });
  return (
    <div className="lk-RecordTable">
      <div className="lk-TableScroll">
        <table
          className="lk-Table lk-mod-fixed"
          data-testid="lk-record-table"
          data-registry={page.registry}
          style={{ width: table.getTotalSize() }}
        >
          <thead>
            {table.getHeaderGroups().map(group => (
              <tr key={group.id}>
                {group.headers.map(header => {
                  const column = header.column.id;
                  const direction = sortDirection(sort, column);
                  return (
                    <th
                      key={header.id}
                      style={{ width: header.getSize() }}
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
                        <span className="lk-SortLabel">{column}</span>
                        {direction === 'asc' && (
                          <caretUpIcon.react tag="span" className="lk-SortMark" />
                        )}
                        {direction === 'desc' && (
                          <caretDownIcon.react tag="span" className="lk-SortMark" />
                        )}
                      </button>
                      <div
                        className={`lk-Resizer${header.column.getIsResizing() ? ' lk-mod-resizing' : ''}`}
                        role="separator"
                        aria-orientation="vertical"
                        aria-label={`Resize ${column}`}
                        onMouseDown={header.getResizeHandler()}
                        onTouchStart={header.getResizeHandler()}
                        onClick={event => event.stopPropagation()}
                      />
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map(row => (
              <tr
                key={row.id}
                className="lk-RecordRow"
                data-testid="lk-record-row"
                data-uid={row.original.uid}
                data-registry={page.registry}
                tabIndex={0}
                onClick={() => props.onOpen(row.original)}
                onKeyDown={event => {
                  if (event.key === 'Enter') {
                    props.onOpen(row.original);
                  }
                }}
              >
                {row.getVisibleCells().map(cell => {
                  const shown = cellText(cell.column.id, row.original[cell.column.id]);
                  return (
                    <td
                      key={cell.id}
                      title={shown.title}
                      className={`lk-col-${cell.column.id}`}
                      style={{ width: cell.column.getSize() }}
                    >
                      {flexRender(() => shown.text, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="lk-Pager" data-testid="lk-pager">
        <ToolbarButtonComponent
          icon={caretLeftIcon}
          tooltip="Previous page"
          enabled={page.page > 1}
          onClick={() => props.onPage(page.page - 1)}
          dataset={{ testid: 'lk-page-prev' }}
        />
        <span className="lk-PagerText" data-testid="lk-page-info">
          {rangeText(page.page, page.page_size, page.records.length, page.total)}
        </span>
        <ToolbarButtonComponent
          icon={caretRightIcon}
          tooltip="Next page"
          enabled={page.page < pages}
          onClick={() => props.onPage(page.page + 1)}
          dataset={{ testid: 'lk-page-next' }}
        />
        {pages > 1 && <PageJump page={page.page} pages={pages} onPage={props.onPage} />}
      </div>
    </div>
  );
}
