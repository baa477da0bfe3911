/** A button that starts a rerun job: its label while its own job runs, disabled while any runs. */
import React from 'react';

export interface IRerunButtonProps {
  label: string;
  /** shown instead of `label` while the job this button started is running */
  runningLabel: string;
  running: boolean;
  disabled: boolean;
  onClick: () => void;
  testid: string;
  title?: string;
  /** the primary action of its toolbar */
  accept?: boolean;
}

export function RerunButton(props: IRerunButtonProps): JSX.Element {
  return (
    <button
      className={`jp-Button jp-mod-styled${props.accept ? ' jp-mod-accept' : ''}`}
      data-testid={props.testid}
      title={props.title}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.running ? props.runningLabel : props.label}
    </button>
  );
}
