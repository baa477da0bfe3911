/** Inline editors of the Artifact page: its description and its labels. */
import { addIcon, editIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useState } from 'react';

import { ToolButton } from '../../common/components';

export function DescriptionEditor(props: {
  value: string;
  onSave: (text: string | null) => Promise<void>;
}): JSX.Element {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  if (!editing) {
    return (
      <div className="lk-DescriptionRow">
        <p
          className={`lk-Description${props.value ? '' : ' lk-Muted'}`}
          data-testid="lk-record-description"
        >
          {props.value || 'No description.'}
        </p>
        <ToolButton
          icon={editIcon}
          tooltip="Edit the description"
          testid="lk-edit-description"
          onClick={() => setEditing(true)}
        />
      </div>
    );
  }
  return (
    <form
      className="lk-DescriptionForm"
      onSubmit={event => {
        event.preventDefault();
        void props.onSave(text.trim() || null).then(() => setEditing(false));
      }}
    >
      <textarea
        className="lk-Input lk-Textarea"
        data-testid="lk-description-input"
        aria-label="Description"
        value={text}
        rows={3}
        autoFocus
        onChange={event => setText(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'Escape') {
            setEditing(false);
            setText(props.value);
          }
        }}
      />
      <div className="lk-FormButtons">
        <button className="lk-Button lk-mod-accept" type="submit" data-testid="lk-description-save">
          Save
        </button>
        <button className="lk-Button" type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function LabelEditor(props: { onAdd: (names: string[]) => Promise<void> }): JSX.Element {
  const [text, setText] = useState('');
  const names = text
    .split(',')
    .map(n => n.trim())
    .filter(Boolean);
  return (
    <form
      className="lk-LabelForm"
      onSubmit={event => {
        event.preventDefault();
        if (names.length) {
          void props.onAdd(names).then(() => setText(''));
        }
      }}
    >
      <input
        className="lk-Input"
        data-testid="lk-add-label-input"
        aria-label="Add ULabels by name"
        placeholder="Add ULabel by name…"
        value={text}
        onChange={event => setText(event.target.value)}
      />
      <ToolButton
        icon={addIcon}
        tooltip="Add the labels"
        testid="lk-add-label"
        enabled={names.length > 0}
        onClick={() => void props.onAdd(names).then(() => setText(''))}
      />
    </form>
  );
}
