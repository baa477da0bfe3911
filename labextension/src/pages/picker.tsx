/** "Open artifact…": a search-as-you-type picker in a dialog. */
import { Dialog } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { listRecords } from '../api';
import { TimeText } from '../common/components';
import { humanSize } from '../common/format';
import { IRecordRef, IRecordRow } from '../models';
import { useAsync, useDebounced } from '../sidebar/hooks';
import { RUN_FILES_EXCLUDE } from '../registry/helpers';

function PickerList(props: {
  registry: string;
  onPick: (row: IRecordRow) => void;
  onActive: (row: IRecordRow | null) => void;
}): JSX.Element {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const search = useDebounced(text, 150);
  const result = useAsync(
    () =>
      listRecords(props.registry, {
        search: search || undefined,
        page_size: 12,
        columns: ['key', 'description', 'size', 'created_at'],
        excludes: props.registry === 'Artifact' ? [RUN_FILES_EXCLUDE] : []
      }),
    [search]
  );
  const rows = result.data?.records ?? [];
  props.onActive(rows[active] ?? null);
  return (
    <div className="lk-Picker" data-testid="lk-picker">
      <input
        className="lk-Input lk-PickerInput"
        data-testid="lk-picker-input"
        aria-label={`Search ${props.registry}`}
        placeholder={`Search ${props.registry} by key or description…`}
        autoFocus
        value={text}
        onChange={event => {
          setText(event.target.value);
          setActive(0);
        }}
        onKeyDown={event => {
          if (event.key === 'ArrowDown') {
            setActive(i => Math.min(rows.length - 1, i + 1));
            event.preventDefault();
          } else if (event.key === 'ArrowUp') {
            setActive(i => Math.max(0, i - 1));
            event.preventDefault();
          }
          // Enter: the dialog's default button (Open) takes the active row
        }}
      />
      {result.error && <div className="lk-Error">{result.error}</div>}
      <ul className="lk-PickerList" role="listbox">
        {rows.map((row, i) => (
          <li
            key={row.uid}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'lk-mod-active' : undefined}
            data-testid="lk-picker-item"
            data-uid={row.uid}
            onMouseEnter={() => setActive(i)}
            onClick={() => props.onPick(row)}
          >
            <span className="lk-PickerKey">{String(row.key ?? row.description ?? row.uid)}</span>
            <span className="lk-Muted">
              {humanSize(row.size)} · <TimeText value={row.created_at} />
            </span>
          </li>
        ))}
        {result.data && rows.length === 0 && <li className="lk-Muted">No match.</li>}
      </ul>
    </div>
  );
}

/** The dialog's body: the list, and the active row as the dialog's value. */
class PickerBody extends ReactWidget implements Dialog.IBodyWidget<IRecordRow | null> {
  private _active: IRecordRow | null = null;

  constructor(
    private readonly _registry: string,
    private readonly _onPick: (row: IRecordRow) => void
  ) {
    super();
  }

  getValue(): IRecordRow | null {
    return this._active;
  }

  render(): JSX.Element {
    return (
      <PickerList
        registry={this._registry}
        onPick={this._onPick}
        onActive={row => (this._active = row)}
      />
    );
  }
}

/** Ask for a record of `registry`; null when cancelled. */
export async function pickRecord(registry: string): Promise<IRecordRef | null> {
  let dialog: Dialog<IRecordRow | null> | null = null;
  const body = new PickerBody(registry, () => dialog?.resolve(1));
  dialog = new Dialog({
    title: `Open ${registry.toLowerCase()}`,
    body,
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Open' })],
    defaultButton: 1,
    focusNodeSelector: 'input'
  });
  const result = await dialog.launch();
  return result.button.accept && result.value ? { registry, uid: result.value.uid } : null;
}
