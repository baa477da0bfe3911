/** The preview of an artifact: a table, text, an image or a message. */
import React from 'react';

import { getArtifactPreview } from '../api';
import { useAsync } from '../sidebar/hooks';
import { formatCell, isSameOriginUrl } from './helpers';

export function ArtifactPreview(props: { uid: string }): JSX.Element {
  const { data, error, loading } = useAsync(() => getArtifactPreview(props.uid, 20), [props.uid]);
  if (loading) {
    return <div className="lk-Loading">Loading preview…</div>;
  }
  if (error) {
    return <div className="lk-Error">{error}</div>;
  }
  if (!data) {
    return <></>;
  }
  switch (data.kind) {
    case 'table':
      return (
        <div className="lk-TableScroll" data-testid="lk-preview">
          <table className="lk-Table">
            <thead>
              <tr>
                {data.columns.map(c => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>{formatCell(cell)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
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
        return <div className="lk-Error">The preview image is not served by this server.</div>;
      }
      return (
        <img
          className="lk-PreviewImage"
          data-testid="lk-preview"
          alt={`Preview of ${props.uid}`}
          src={data.url}
        />
      );
    default:
      return (
        <div className="lk-Empty" data-testid="lk-preview">
          {data.message}
        </div>
      );
  }
}
