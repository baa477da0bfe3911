/** The status bar item: "Lamin: not tracked" or the active notebook's run. */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { INotebookState } from '../models';
import { ILaminNotebookState } from '../tokens';
import { formatStatus, formatStatusTooltip } from './format';

export class LaminStatusItem extends ReactWidget {
  constructor(
    private readonly _service: ILaminNotebookState,
    private readonly _onClick: () => void
  ) {
    super();
    this.id = 'lamin-status';
    this.addClass('lk-StatusItem');
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this._service.activeChanged} initialArgs={this._service.active}>
        {(_, state) => this._renderState(state ?? null)}
      </UseSignal>
    );
  }

  private _renderState(state: INotebookState | null): JSX.Element {
    const panel = this._service.activePanel;
    const error = panel ? this._service.errorOf(panel) : null;
    const tracked = !!state && state.tracked;
    return (
      <span
        data-testid="lk-status"
        data-tracked={tracked ? 'true' : 'false'}
        className={`lk-StatusItem-text${tracked ? ' lk-mod-tracked' : ''}${error ? ' lk-mod-error' : ''}`}
        title={formatStatusTooltip(state, error)}
        role="button"
        tabIndex={0}
        onClick={this._onClick}
        onKeyDown={event => {
          if (event.key === 'Enter' || event.key === ' ') {
            this._onClick();
          }
        }}
      >
        {formatStatus(state)}
      </span>
    );
  }
}
