/** Any JSON (a describe() tree, a feature value) as nested lists of plain text. */
import React from 'react';

import { JSONValue } from '../models';

type JSONObject = { [key: string]: JSONValue };

function isObject(value: JSONValue): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A node shaped like `{"label"|"title"|"name": "...", "children": [...]}`. */
function treeLabel(value: JSONObject): string | null {
  for (const key of ['label', 'title', 'name']) {
    if (typeof value[key] === 'string' && Array.isArray(value.children)) {
      return value[key] as string;
    }
  }
  return null;
}

function scalarText(value: JSONValue): string {
  return value === null ? 'null' : String(value);
}

export function JSONTree(props: { value: JSONValue; depth?: number }): JSX.Element {
  const { value } = props;
  const depth = props.depth ?? 0;
  if (depth > 12) {
    return <span className="lk-TreeScalar">…</span>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return <span className="lk-TreeScalar">[]</span>;
    }
    return (
      <ul className="lk-Tree">
        {value.map((item, index) => (
          <li key={index}>
            <JSONTree value={item} depth={depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  if (isObject(value)) {
    const label = treeLabel(value);
    if (label !== null) {
      const { children, ...rest } = value;
      const extra = Object.entries(rest).filter(([k]) => !['label', 'title', 'name'].includes(k));
      return (
        <div className="lk-TreeNode">
          <span className="lk-TreeLabel">{label}</span>
          {extra.length > 0 && <JSONTree value={Object.fromEntries(extra)} depth={depth + 1} />}
          <JSONTree value={children as JSONValue[]} depth={depth + 1} />
        </div>
      );
    }
    return (
      <ul className="lk-Tree">
        {Object.entries(value).map(([key, item]) => (
          <li key={key}>
            <span className="lk-TreeKey">{key}</span>
            {isObject(item) || Array.isArray(item) ? (
              <JSONTree value={item} depth={depth + 1} />
            ) : (
              <span className="lk-TreeScalar">{scalarText(item)}</span>
            )}
          </li>
        ))}
      </ul>
    );
  }
  return <span className="lk-TreeScalar">{scalarText(value)}</span>;
}
