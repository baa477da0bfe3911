/** Plugins: the notebook tracking-state service and the status bar item. */
import { ILabShell, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IStatusBar } from '@jupyterlab/statusbar';
import { Signal } from '@lumino/signaling';

import { CommandIDs, ILaminLive, ILaminNotebookState, ILaminSettings } from '../tokens';
import { NotebookStateService } from './NotebookStateService';
import { LaminStatusItem } from './StatusItem';

export const notebookStatePlugin: JupyterFrontEndPlugin<ILaminNotebookState> = {
  id: 'lamin-kernel:notebook-state',
  description: 'Follows whether lamin_kernel tracks each open notebook (comm + REST).',
  autoStart: true,
  requires: [INotebookTracker, ILaminSettings, ILaminLive],
  provides: ILaminNotebookState,
  activate: (_app: JupyterFrontEnd, tracker: INotebookTracker, settings, live) =>
    new NotebookStateService(tracker, settings, undefined, live)
};

export const statusBarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'lamin-kernel:status',
  description: 'Shows the active notebook’s Lamin run in the status bar.',
  autoStart: true,
  requires: [ILaminNotebookState, INotebookTracker],
  optional: [IStatusBar, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    service: ILaminNotebookState,
    tracker: INotebookTracker,
    statusBar: IStatusBar | null,
    labShell: ILabShell | null
  ) => {
    if (!statusBar) {
      return;
    }
    const item = new LaminStatusItem(service, () => {
      void app.commands.execute(CommandIDs.openLineage);
    });
    // The item shows only while a notebook is the current main-area widget.
    const activeStateChanged = new Signal<LaminStatusItem, void>(item);
    const emit = (): void => activeStateChanged.emit();
    tracker.currentChanged.connect(emit);
    labShell?.currentChanged.connect(emit);
    statusBar.registerStatusItem('lamin-kernel:status', {
      item,
      align: 'left',
      rank: 5,
      isActive: () =>
        !!tracker.currentWidget && (!labShell || labShell.currentWidget === tracker.currentWidget),
      activeStateChanged
    });
  }
};
