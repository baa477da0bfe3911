/** The sidebar widget that hosts SidebarView. */
import { LabIcon, ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { BrowserState } from '../registry/state';
import { LaminSettings } from '../settings';
import { ILaminNotebookState, SIDEBAR_ID } from '../tokens';
import { ISidebarActions, SidebarModel } from './model';
import { SidebarView } from './SidebarView';

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <circle cx="6" cy="6" r="3"/><circle cx="18" cy="12" r="3"/><circle cx="6" cy="18" r="3"/>
    <path d="M8.4 7.2l7.2 3.6-.9 1.8-7.2-3.6zM7.5 16.2l7.2-3.6.9 1.8-7.2 3.6z"/>
  </g>
</svg>`;

export const laminIcon = new LabIcon({ name: 'lamin-kernel:logo', svgstr: LOGO_SVG });

export class LaminSidebar extends ReactWidget {
  constructor(
    readonly model: SidebarModel,
    readonly browser: BrowserState,
    private readonly _actions: ISidebarActions,
    private readonly _settings: LaminSettings,
    private readonly _notebookState: ILaminNotebookState | null
  ) {
    super();
    this.id = SIDEBAR_ID;
    this.title.icon = laminIcon;
    this.title.label = 'Lamin';
    this.title.caption = 'Lamin: registries, lineage, validation';
    this.addClass('lk-SidebarWidget');
  }

  render(): JSX.Element {
    return (
      <SidebarView
        model={this.model}
        browser={this.browser}
        actions={this._actions}
        settings={this._settings}
        notebookState={this._notebookState}
      />
    );
  }
}
