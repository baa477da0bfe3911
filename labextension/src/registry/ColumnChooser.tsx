/** A collapsible list of checkboxes choosing the table's columns. */
import React from 'react';

export interface IColumnChooserProps {
  choices: string[];
  selected: string[];
  onChange: (columns: string[]) => void;
  onReset: () => void;
}

export function ColumnChooser(props: IColumnChooserProps): JSX.Element {
  const toggle = (name: string, checked: boolean): void => {
    const next = checked
      ? props.choices.filter(c => c === name || props.selected.includes(c))
      : props.selected.filter(c => c !== name);
    if (next.length > 0) {
      props.onChange(next);
    }
  };
  return (
    <details className="lk-ColumnChooser" data-testid="lk-column-chooser">
      <summary>Columns ({props.selected.length})</summary>
      <div className="lk-ColumnList">
        {props.choices.map(name => (
          <label key={name} className="lk-ColumnOption">
            <input
              type="checkbox"
              data-testid={`lk-column-${name}`}
              checked={props.selected.includes(name)}
              onChange={event => toggle(name, event.target.checked)}
            />
            {name}
          </label>
        ))}
        <button className="lk-Button lk-mod-link" onClick={props.onReset}>
          Default columns
        </button>
      </div>
    </details>
  );
}
