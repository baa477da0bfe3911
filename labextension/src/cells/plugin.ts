/**
 * Plugin: cell badges in notebooks (what each cell saved and loaded) and the command that
 * opens a notebook at a recorded cell (the artifact page's "saved by cell [7] of …").
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

import { getNotebookCells } from '../api';
import { LiveState } from '../live/LiveState';
import { CommandIDs, ILaminLive, ILaminNotebookState, ILaminPages } from '../tokens';
import { ICellTarget, openNotebookCell } from './jump';
import { NotebookBadges } from './NotebookBadges';

function cellTarget(args: Record<string, unknown>): ICellTarget | null {
  const path = typeof args.path === 'string' ? args.path : '';
  if (!path) {
    return null;
  }
  const text = (name: string): string | null =>
    typeof args[name] === 'string' && args[name] ? (args[name] as string) : null;
  const count = args.execution_count;
  return {
    path,
    cell_id: text('cell_id'),
    cell_source_hash: text('cell_source_hash'),
    execution_count: typeof count === 'number' ? count : null
  };
}

export const cellsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'lamin-kernel:cells',
  description: 'Cell badges of what each notebook cell saved and loaded; jumps to a cell.',
  autoStart: true,
  requires: [INotebookTracker, ILaminPages, ILaminLive],
  optional: [ILaminNotebookState],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    pages: ILaminPages,
    live: LiveState,
    notebookState: ILaminNotebookState | null
  ) => {
    const badges = new Map<NotebookPanel, NotebookBadges>();
    const sources = {
      fetchCells: (path: string, run: string | null) => getNotebookCells(path, run),
      currentRun: (panel: NotebookPanel) => {
        const state = notebookState?.stateOf(panel);
        return state && state.tracked ? state.run.uid : null;
      },
      openRecord: (ref: { registry: string; uid: string }) => void pages.open(ref)
    };
    const watch = (panel: NotebookPanel): void => {
      if (badges.has(panel)) {
        return;
      }
      badges.set(panel, new NotebookBadges(panel, sources));
      panel.disposed.connect(() => badges.delete(panel));
    };
    tracker.forEach(watch);
    tracker.widgetAdded.connect((_, panel) => watch(panel));
    NotebookActions.executed.connect((_, args) => {
      const panel = tracker.find(p => p.content === args.notebook);
      if (panel) {
        badges.get(panel)?.refresh();
      }
    });
    // the kernel's status (a save, a load, a new or finished run) or another process wrote
    live.changed.connect(() => badges.forEach(badge => badge.refresh()));

    app.commands.addCommand(CommandIDs.openNotebookCell, {
      label: 'Open Notebook at Cell',
      caption: 'Open a notebook and select the cell that saved or loaded a record',
      execute: async args => {
        const target = cellTarget(args as Record<string, unknown>);
        return target ? openNotebookCell(app.commands, tracker, target) : 'missing';
      }
    });
  }
};
