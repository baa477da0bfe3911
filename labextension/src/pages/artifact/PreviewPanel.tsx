/** An artifact's preview: a table paged through the server, an image, text, or an AnnData's summary. */
import {
  caretLeftIcon,
  caretRightIcon,
  fastForwardIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import { ServerConnection } from '@jupyterlab/services';
import React, { useEffect, useRef, useState } from 'react';

import { getArtifactPreview, PREVIEW_PAGE_ROWS } from '../../api';
import { artifactKeys, prefetched } from './prefetch';
import { pageOffset, previewPager } from './previewPaging';
import { ErrorBox } from '../../common/components';
import { plainText } from '../../common/format';
import { IPreviewPage, IPreviewTable } from '../../models';
import { isSameOriginUrl } from '../../registry/helpers';
import { PageJump } from '../../registry/RecordTable';
import { useAsync } from '../../sidebar/hooks';

function TableRows(props: IPreviewTable): JSX.Element {
  return (
    <div className="lk-TableScroll">
      <table className="lk-Table">
        <thead>
          <tr>
            {props.columns.map(c => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => {
                const text = plainText(cell);
                return (
                  <td key={j} title={text} className={typeof cell === 'number' ? 'lk-num' : ''}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** First, previous, the range, next, last and a page jump; `onOffset` asks for a page. */
function PreviewPagerBar(props: {
  page: IPreviewPage;
  partial?: boolean;
  busy?: boolean;
  onOffset: (offset: number) => void;
}): JSX.Element {
  const { offset, rows, total, more } = props.page;
  const pager = previewPager(offset, PREVIEW_PAGE_ROWS, rows.length, total, more, props.partial);
  const go = (page: number) => props.onOffset(pageOffset(page, PREVIEW_PAGE_ROWS, pager.pages));
  const idle = !props.busy;
  return (
    <div className="lk-Pager" aria-busy={props.busy}>
      <ToolbarButtonComponent
        icon={fastForwardIcon}
        className="lk-IconMirrored"
        tooltip="First rows"
        enabled={idle && pager.canPrevious}
        onClick={() => go(1)}
        dataset={{ testid: 'lk-preview-first' }}
      />
      <ToolbarButtonComponent
        icon={caretLeftIcon}
        tooltip="Previous rows"
        enabled={idle && pager.canPrevious}
        onClick={() => props.onOffset(Math.max(0, offset - PREVIEW_PAGE_ROWS))}
        dataset={{ testid: 'lk-preview-prev' }}
      />
      <span className="lk-PagerText" data-testid="lk-preview-range">
        {pager.text}
      </span>
      <ToolbarButtonComponent
        icon={caretRightIcon}
        tooltip="Next rows"
        enabled={idle && pager.canNext}
        onClick={() => props.onOffset(offset + PREVIEW_PAGE_ROWS)}
        dataset={{ testid: 'lk-preview-next' }}
      />
      <ToolbarButtonComponent
        icon={fastForwardIcon}
        tooltip={
          pager.pages === null ? 'Last rows (unknown: this file has no row count)' : 'Last rows'
        }
        enabled={idle && pager.canLast}
        onClick={() => go(pager.pages ?? pager.page)}
        dataset={{ testid: 'lk-preview-last' }}
      />
      {(pager.pages === null || pager.pages > 1) && (
        <PageJump page={pager.page} pages={pager.pages} onPage={go} testid="lk-preview-jump" />
      )}
    </div>
  );
}

/** Rows already at hand (an AnnData's first obs/var rows), paged in place. */
export function PreviewTable(props: { table: IPreviewTable; testid: string }): JSX.Element {
  const { columns, rows } = props.table;
  const [offset, setOffset] = useState(0);
  const shown = rows.slice(offset, offset + PREVIEW_PAGE_ROWS);
  const more = offset + shown.length < rows.length;
  const page = { columns, rows: shown, offset, total: rows.length, more };
  return (
    <div className="lk-PreviewTable" data-testid={props.testid}>
      <TableRows columns={columns} rows={shown} />
      {rows.length > PREVIEW_PAGE_ROWS && (
        <PreviewPagerBar page={page} partial onOffset={setOffset} />
      )}
    </div>
  );
}

/** A table file's rows, one page at a time from the server (which reads only that page). */
export function PagedPreviewTable(props: {
  uid: string;
  first: IPreviewPage;
  testid: string;
  /** The server connection (the default one when not given). */
  settings?: ServerConnection.ISettings;
}): JSX.Element {
  const [page, setPage] = useState(props.first);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    latest.current++;
    setPage(props.first);
    setBusy(false);
  }, [props.first]);
  const load = (offset: number) => {
    const request = ++latest.current;
    setBusy(true);
    getArtifactPreview(props.uid, PREVIEW_PAGE_ROWS, props.settings, offset)
      .then(answer => {
        if (request === latest.current && answer.kind === 'table') {
          setPage(answer);
          setError(null);
        }
      })
      .catch(reason => request === latest.current && setError(String(reason?.message ?? reason)))
      .finally(() => request === latest.current && setBusy(false));
  };
  return (
    <div className="lk-PreviewTable" data-testid={props.testid}>
      {error && <ErrorBox message={error} />}
      <TableRows columns={page.columns} rows={page.rows} />
      {(page.offset > 0 || page.more) && (
        <PreviewPagerBar page={page} busy={busy} onOffset={load} />
      )}
    </div>
  );
}

export function PreviewPanel(props: {
  uid: string;
  /** The key or description, for the image's alternative text. */
  name?: string;
  generation: number;
}): JSX.Element {
  const { data, error, loading } = useAsync(
    () =>
      prefetched(artifactKeys.preview(props.uid), () =>
        getArtifactPreview(props.uid, PREVIEW_PAGE_ROWS)
      ),
    [props.uid, props.generation]
  );
  if (loading && !data) {
    return <div className="lk-Loading">Loading preview…</div>;
  }
  if (error) {
    return <ErrorBox message={error} />;
  }
  if (!data) {
    return <></>;
  }
  switch (data.kind) {
    case 'table':
      return <PagedPreviewTable key={props.uid} uid={props.uid} first={data} testid="lk-preview" />;
    case 'anndata':
      return (
        <div className="lk-AnnData" data-testid="lk-preview">
          <div className="lk-Facts">
            <span>
              <b>{data.shape[0].toLocaleString('en-US')}</b> observations ×{' '}
              <b>{data.shape[1].toLocaleString('en-US')}</b> variables
            </span>
            {data.layers.length > 0 && <span>layers: {data.layers.join(', ')}</span>}
            {data.obsm.length > 0 && <span>obsm: {data.obsm.join(', ')}</span>}
          </div>
          <h4 className="lk-SubTitle">obs</h4>
          <PreviewTable table={data.obs} testid="lk-preview-obs" />
          <h4 className="lk-SubTitle">var</h4>
          <PreviewTable table={data.var} testid="lk-preview-var" />
        </div>
      );
    case 'text':
      return (
        <pre className="lk-PreviewText" data-testid="lk-preview">
          {data.text}
        </pre>
      );
    case 'image':
      if (!isSameOriginUrl(data.url, window.location.origin)) {
        return <ErrorBox message="The preview image is not served by this server." />;
      }
      return (
        <img
          className="lk-PreviewImage"
          data-testid="lk-preview"
          alt={`Preview of ${props.name ?? props.uid}`}
          src={data.url}
        />
      );
    default:
      return (
        <div className="lk-Muted" data-testid="lk-preview">
          {data.message}
        </div>
      );
  }
}
