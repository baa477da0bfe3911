/** Plugin: Lamin commands, their palette entries and notebook toolbar buttons. */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification, ToolbarButton } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { INotebookModel, INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { checkIcon } from '@jupyterlab/ui-components';

import { laminIcon } from '../sidebar/LaminSidebar';
import { createRunReport, showReportCell } from '../sidebar/RunReport';
import { CommandIDs, ILaminSidebar, SidebarTab } from '../tokens';
import { finishRun, insertBelowActive, trackNotebook } from './notebook';

const CATEGORY = 'Lamin';

function stringArg(args: ReadonlyPartialJSONObject, name: string): string | null {
  const value = args[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Adds "ln.track()" and "ln.finish()" buttons to every notebook's toolbar. */
class ToolbarButtons implements DocumentRegistry.IWidgetExtension<NotebookPanel, INotebookModel> {
  constructor(private readonly _app: JupyterFrontEnd) {}

  createNew(panel: NotebookPanel): IDisposable {
    const commands = this._app.commands;
    const track = new ToolbarButton({
      className: 'lk-ToolbarButton lk-TrackButton',
      icon: laminIcon,
      label: 'track',
      tooltip: 'Track this notebook with Lamin: insert and run ln.track() at the top',
      onClick: () => void commands.execute(CommandIDs.trackNotebook)
    });
    const finish = new ToolbarButton({
      className: 'lk-ToolbarButton lk-FinishButton',
      icon: checkIcon,
      label: 'finish',
      tooltip: 'Finish the Lamin run: insert and run ln.finish() at the end',
      onClick: () => void commands.execute(CommandIDs.finishRun)
    });
    panel.toolbar.insertItem(10, 'lamin-track', track);
    panel.toolbar.insertItem(11, 'lamin-finish', finish);
    return new DisposableDelegate(() => {
      track.dispose();
      finish.dispose();
    });
  }
}

export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'lamin-kernel:commands',
  description: 'Lamin commands: track notebook, finish run, open lineage, reports.',
  autoStart: true,
  requires: [INotebookTracker, ILaminSidebar],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    sidebar: ILaminSidebar,
    palette: ICommandPalette | null
  ) => {
    const { commands, shell } = app;
    const currentPanel = (): NotebookPanel | null => {
      const panel = tracker.currentWidget;
      if (panel && shell.currentWidget === panel) {
        shell.activateById(panel.id);
      }
      return panel;
    };
    const withNotebook =
      (action: (panel: NotebookPanel) => Promise<boolean>) => async (): Promise<boolean> => {
        const panel = currentPanel();
        if (!panel) {
          Notification.warning('Open a notebook first.', { autoClose: 3000 });
          return false;
        }
        return action(panel);
      };

    commands.addCommand(CommandIDs.trackNotebook, {
      label: 'Track Notebook',
      caption: 'Insert `import lamin_kernel as ln; ln.track()` at the top and run it',
      isEnabled: () => !!tracker.currentWidget,
      execute: withNotebook(trackNotebook)
    });
    commands.addCommand(CommandIDs.finishRun, {
      label: 'Finish Run',
      caption: 'Insert `ln.finish()` at the end of the notebook and run it',
      isEnabled: () => !!tracker.currentWidget,
      execute: withNotebook(finishRun)
    });
    commands.addCommand(CommandIDs.openLineage, {
      label: 'Show Lineage in Sidebar',
      caption: 'Show the lineage of a record, or of the active notebook’s run',
      execute: args => {
        const registry = stringArg(args, 'registry');
        const uid = stringArg(args, 'uid');
        sidebar.showLineage(registry && uid ? { registry, uid } : null);
      }
    });
    commands.addCommand(CommandIDs.openValidation, {
      label: 'Show Validation Reports',
      execute: args => {
        const artifact = stringArg(args, 'artifact');
        const run = stringArg(args, 'run');
        sidebar.showValidation(artifact ? { artifact } : run ? { run } : null);
      }
    });
    commands.addCommand(CommandIDs.openSidebar, {
      label: 'Open Lamin Sidebar',
      execute: args => sidebar.show((stringArg(args, 'tab') as SidebarTab | null) ?? undefined)
    });
    commands.addCommand(CommandIDs.openRecord, {
      label: 'Open Record',
      execute: args => {
        const registry = stringArg(args, 'registry');
        const uid = stringArg(args, 'uid');
        if (registry && uid) {
          return commands.execute(CommandIDs.openPage, { view: 'record', registry, uid });
        }
      }
    });
    commands.addCommand(CommandIDs.openRunReport, {
      label: args => (args.uid ? `Run Report ${String(args.uid).slice(0, 7)}` : 'Run Report'),
      execute: args => {
        const uid = stringArg(args, 'uid');
        if (!uid) {
          return;
        }
        const cell = stringArg(args, 'cell');
        const id = `lamin-run-report-${uid}`;
        const open = Array.from(shell.widgets('main')).find(w => w.id === id);
        if (open) {
          showReportCell(open, uid, cell);
          shell.activateById(id);
          return;
        }
        shell.add(createRunReport(uid, cell), 'main');
        shell.activateById(id);
      }
    });
    commands.addCommand(CommandIDs.insertCode, {
      label: 'Insert Code into Notebook',
      execute: args => {
        const code = stringArg(args, 'code');
        const panel = tracker.currentWidget;
        if (!code || !panel) {
          Notification.warning('Open a notebook to insert code into.', { autoClose: 3000 });
          return false;
        }
        insertBelowActive(panel, code);
        shell.activateById(panel.id);
        return true;
      }
    });

    if (palette) {
      for (const command of [
        CommandIDs.trackNotebook,
        CommandIDs.finishRun,
        CommandIDs.openLineage,
        CommandIDs.openValidation,
        CommandIDs.openSidebar,
        CommandIDs.refresh
      ]) {
        palette.addItem({ command, category: CATEGORY });
      }
    }
    app.docRegistry.addWidgetExtension('Notebook', new ToolbarButtons(app));
  }
};
