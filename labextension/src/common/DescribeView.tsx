/**
 * A record's describe() tree as a tree: its header fields, then each section with its rows
 * and child sections, as `describe()` prints it in a terminal (never raw JSON).
 */
import React from 'react';

import { JSONValue } from '../models';

export interface IDescribeSection {
  title: string;
  rows: string[][];
  children: IDescribeSection[];
}

export interface IDescribe {
  title: string;
  description: string | null;
  fields: string[][];
  sections: IDescribeSection[];
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textRows(value: unknown): string[][] {
  return Array.isArray(value)
    ? value.filter(Array.isArray).map(row => row.map(cell => (cell === null ? '' : String(cell))))
    : [];
}

function parseSection(value: unknown): IDescribeSection | null {
  if (!isObject(value) || typeof value.title !== 'string') {
    return null;
  }
  const children = Array.isArray(value.children) ? value.children.map(parseSection) : [];
  return {
    title: value.title,
    rows: textRows(value.rows),
    children: children.filter((c): c is IDescribeSection => c !== null)
  };
}

/** Check the server's describe JSON; null when it is not a describe tree. */
export function parseDescribe(value: JSONValue | undefined): IDescribe | null {
  if (!isObject(value) || typeof value.title !== 'string') {
    return null;
  }
  const sections = Array.isArray(value.sections) ? value.sections.map(parseSection) : [];
  return {
    title: value.title,
    description: typeof value.description === 'string' ? value.description : null,
    fields: textRows(value.fields),
    sections: sections.filter((s): s is IDescribeSection => s !== null)
  };
}

function SectionNode(props: { section: IDescribeSection; depth: number }): JSX.Element {
  const { section } = props;
  return (
    <li className="lk-DescribeSection">
      <details open={props.depth < 2}>
        <summary className="lk-DescribeTitle">{section.title}</summary>
        {section.rows.length > 0 && (
          <table className="lk-DescribeRows">
            <tbody>
              {section.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={j === 0 ? 'lk-DescribeName' : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {section.children.length > 0 && (
          <ul className="lk-DescribeTree">
            {section.children.map((child, i) => (
              <SectionNode key={`${child.title}-${i}`} section={child} depth={props.depth + 1} />
            ))}
          </ul>
        )}
      </details>
    </li>
  );
}

export function DescribeView(props: { value: JSONValue | undefined }): JSX.Element {
  const tree = parseDescribe(props.value);
  if (!tree) {
    return <span className="lk-Muted">No description tree.</span>;
  }
  return (
    <div className="lk-Describe" data-testid="lk-describe">
      <div className="lk-DescribeHeader">{tree.title}</div>
      {tree.description && <div className="lk-DescribeDescription">{tree.description}</div>}
      {tree.fields.length > 0 && (
        <table className="lk-DescribeRows">
          <tbody>
            {tree.fields.map(([name, ...rest], i) => (
              <tr key={i}>
                <td className="lk-DescribeName">{name}</td>
                <td>{rest.join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ul className="lk-DescribeTree">
        {tree.sections.map((section, i) => (
          <SectionNode key={`${section.title}-${i}`} section={section} depth={0} />
        ))}
      </ul>
    </div>
  );
}
