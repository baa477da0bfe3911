/** Small building blocks of the pages and panels: sections, chips, links, humanized values. */
import { closeIcon, LabIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import React from 'react';

import { ILabeledRef, IRecordRef, JSONValue } from '../models';
import { exactSize, exactTime, humanSize, humanTime, plainText } from './format';

/** A titled block of a page that can be folded away. */
export function Section(props: {
  title: string;
  testid: string;
  children: React.ReactNode;
  open?: boolean;
  count?: number;
  actions?: React.ReactNode;
}): JSX.Element {
  return (
    <details className="lk-Section" data-testid={props.testid} open={props.open ?? true}>
      <summary className="lk-SectionTitle">
        <span>{props.title}</span>
        {props.count !== undefined && <span className="lk-Count">{props.count}</span>}
        {props.actions && (
          <span className="lk-SectionActions" onClick={event => event.preventDefault()}>
            {props.actions}
          </span>
        )}
      </summary>
      <div className="lk-SectionBody">{props.children}</div>
    </details>
  );
}

/** A link-styled button that opens another record's page. */
export function RecordLink(props: {
  target: ILabeledRef;
  onOpen: (ref: IRecordRef) => void;
  testid?: string;
  showRegistry?: boolean;
}): JSX.Element {
  const { target } = props;
  const label = target.label || target.uid;
  return (
    <button
      className="lk-Link"
      data-testid={props.testid}
      data-registry={target.registry}
      data-uid={target.uid}
      title={`${target.registry} ${target.uid}`}
      onClick={() => props.onOpen({ registry: target.registry, uid: target.uid })}
    >
      {props.showRegistry && <span className="lk-LinkKind">{target.registry}</span>}
      {label}
    </button>
  );
}

/** A time as "5 min ago" with the exact time on hover. */
export function TimeText(props: { value: JSONValue | undefined }): JSX.Element {
  const text = humanTime(props.value);
  if (!text) {
    return <span className="lk-Muted">—</span>;
  }
  return (
    <time className="lk-Time" dateTime={String(props.value)} title={exactTime(props.value) ?? ''}>
      {text}
    </time>
  );
}

/** A size as "1.5 MB" with the exact bytes on hover. */
export function SizeText(props: { value: JSONValue | undefined }): JSX.Element {
  const text = humanSize(props.value);
  if (!text || typeof props.value !== 'number') {
    return <span className="lk-Muted">—</span>;
  }
  return <span title={exactSize(props.value)}>{text}</span>;
}

/** Chips: labels, feature values, facts. */
export function Chips(props: {
  items: Array<{ key: string; text: string; title?: string; onRemove?: () => void }>;
  testid?: string;
  empty?: string;
}): JSX.Element {
  if (props.items.length === 0) {
    return <span className="lk-Muted">{props.empty ?? 'None'}</span>;
  }
  return (
    <ul className="lk-Chips" data-testid={props.testid}>
      {props.items.map(item => (
        <li key={item.key} className="lk-Chip" title={item.title ?? item.text}>
          <span>{item.text}</span>
          {item.onRemove && (
            <button
              className="lk-ChipRemove"
              aria-label={`Remove ${item.text}`}
              title={`Remove ${item.text}`}
              onClick={item.onRemove}
            >
              <closeIcon.react tag="span" className="lk-ChipRemoveIcon" />
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A run's or a check's state as a coloured badge. */
export function StatusBadge(props: { status: string; title?: string }): JSX.Element {
  return (
    <span
      className={`lk-Badge lk-status-${props.status}`}
      data-testid="lk-status-badge"
      title={props.title ?? props.status}
    >
      {props.status}
    </span>
  );
}

/** Name/value rows; values that are objects show as compact JSON. */
export function KeyValues(props: {
  values: Array<[string, React.ReactNode | JSONValue]>;
  testid?: string;
  /** What to say when there is nothing to list. */
  empty?: string;
}): JSX.Element {
  if (props.values.length === 0) {
    return <span className="lk-Muted">{props.empty ?? 'None.'}</span>;
  }
  return (
    <table className="lk-KeyValues" data-testid={props.testid}>
      <tbody>
        {props.values.map(([key, value]) => (
          <tr key={key} data-key={key}>
            <th scope="row">{key}</th>
            <td>
              {React.isValidElement(value) ? value : plainText(value as JSONValue | undefined)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A JupyterLab toolbar button with an icon (and optional label). */
export function ToolButton(props: {
  icon?: LabIcon;
  label?: string;
  tooltip: string;
  testid: string;
  onClick: () => void;
  enabled?: boolean;
}): JSX.Element {
  return (
    <span className="lk-ToolButton" data-testid={props.testid}>
      <ToolbarButtonComponent
        icon={props.icon}
        label={props.label}
        tooltip={props.tooltip}
        aria-label={props.tooltip}
        onClick={props.onClick}
        enabled={props.enabled ?? true}
      />
    </span>
  );
}

/** What to show when a list is empty: a sentence and, optionally, what to do. */
export function EmptyState(props: {
  title: string;
  children?: React.ReactNode;
  testid?: string;
}): JSX.Element {
  return (
    <div className="lk-EmptyState" data-testid={props.testid ?? 'lk-empty-state'}>
      <div className="lk-EmptyTitle">{props.title}</div>
      {props.children && <div className="lk-EmptyBody">{props.children}</div>}
    </div>
  );
}

/** An error message in place. */
export function ErrorBox(props: { message: string; testid?: string }): JSX.Element {
  return (
    <div className="lk-Error" role="alert" data-testid={props.testid ?? 'lk-error'}>
      {props.message}
    </div>
  );
}
