/** An artifact's preview: a table paged in place, an image, text, or an AnnData's summary. */
import { caretLeftIcon, caretRightIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { getArtifactPreview, PREVIEW_ROWS_MAX } from '../../api';
import { artifactKeys, prefetched } from './prefetch';
import { ErrorBox } from '../../common/components';
import { plainText } from '../../common/format';
import { IPreviewTable } from '../../models';
import { isSameOriginUrl } from '../../registry/helpers';
import { useAsync } from '../../sidebar/hooks';

const ROWS_PER_PAGE = 20;

export function PreviewTable(props: { table: IPreviewTable; testid: string }): JSX.Element {
  const { columns, rows } = props.table;
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(rows.length / ROWS_PER_PAGE));
  const shown = rows.slice(page * ROWS_PER_PAGE, (page + 1) * ROWS_PER_PAGE);
  return (
    <div className="lk-PreviewTable" data-testid={props.testid}>
      <div className="lk-TableScroll">
        <table className="lk-Table">
          <thead>
            <tr>
              {columns.map(c => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) => (
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
      {pages > 1 && (
        <div className="lk-Pager">
          <ToolbarButtonComponent
            icon={caretLeftIcon}
            tooltip="Previous rows"
            enabled={page > 0}
            onClick={() => setPage(p => p - 1)}
            dataset={{ testid: 'lk-preview-prev' }}
          />
          <span className="lk-PagerText" data-testid="lk-preview-range">
            rows {page * ROWS_PER_PAGE + 1}–{page * ROWS_PER_PAGE + shown.length} of the first{' '}
            {rows.length}
          </span>
          <ToolbarButtonComponent
            icon={caretRightIcon}
            tooltip="Next rows"
            enabled={page < pages - 1}
            onClick={() => setPage(p => p + 1)}
            dataset={{ testid: 'lk-preview-next' }}
          />
        </div>
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
        getArtifactPreview(props.uid, PREVIEW_ROWS_MAX)
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
      return <PreviewTable table={data} testid="lk-preview" />;
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
