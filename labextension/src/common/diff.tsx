/**
 * Rows of a difference, shared by the run diff on the compare-runs page and the environment
 * diff on the Run page: a sign (+ added, - removed, ~ changed, = same), what it is about, and
 * the values; `data-change` carries the sign for tests and styles.
 */
import React from 'react';

import { JSONValue } from '../models';
import { plainText } from './format';

export type DiffSign = '+' | '-' | '~' | '=';

/** {name: value} maps compared: `changed` holds [before, after]. */
export interface IMappingChanges {
  added: Record<string, JSONValue>;
  removed: Record<string, JSONValue>;
  changed: Record<string, [JSONValue, JSONValue]>;
  n_same: number;
}

const SIGN_CLASS: Record<DiffSign, string> = {
  '+': 'lk-mod-added',
  '-': 'lk-mod-removed',
  '~': 'lk-mod-changed',
  '=': ''
};

export function DiffMark(props: { sign: DiffSign }): JSX.Element {
  return <span className={`lk-RunDiffMark ${SIGN_CLASS[props.sign]}`}>{props.sign}</span>;
}

/** One table row: the sign, the name as the row's header, the values. */
export function DiffRow(props: {
  sign: DiffSign;
  label: string;
  testid: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <tr data-testid={props.testid} data-change={props.sign}>
      <td>
        <DiffMark sign={props.sign} />
      </td>
      <th scope="row">{props.label}</th>
      <td>{props.children}</td>
    </tr>
  );
}

/** The rows of a mapping diff: added, removed, then changed (before → after). */
export function MappingRows(props: { part: IMappingChanges; testid: string }): JSX.Element {
  const { part } = props;
  const rows: Array<[string, DiffSign, string]> = [
    ...Object.entries(part.added).map(([n, v]): [string, DiffSign, string] => [
      n,
      '+',
      plainText(v)
    ]),
    ...Object.entries(part.removed).map(([n, v]): [string, DiffSign, string] => [
      n,
      '-',
      plainText(v)
    ]),
    ...Object.entries(part.changed).map(([n, [a, b]]): [string, DiffSign, string] => [
      n,
      '~',
      `${plainText(a)} → ${plainText(b)}`
    ])
  ];
  return (
    <>
      {rows.map(([name, sign, text]) => (
        <DiffRow key={`${sign}${name}`} sign={sign} label={name} testid={props.testid}>
          {text}
        </DiffRow>
      ))}
    </>
  );
}

/** A group header row above some diff rows: its title and a note (how many are the same). */
export function DiffGroup(props: {
  title: string;
  note: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <>
      <tr className="lk-CompareGroup">
        <th colSpan={3} scope="colgroup">
          {props.title} <span className="lk-Muted">{props.note}</span>
        </th>
      </tr>
      {props.children}
    </>
  );
}

/** "(none)", "(all 3 the same)" or "(2 the same)". */
export function mappingNote(part: IMappingChanges): string {
  const differing =
    Object.keys(part.added).length +
    Object.keys(part.removed).length +
    Object.keys(part.changed).length;
  if (differing === 0) {
    return part.n_same === 0 ? '(none)' : `(all ${part.n_same} the same)`;
  }
  return `(${part.n_same} the same)`;
}
