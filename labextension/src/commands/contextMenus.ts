/**
 * Plugin: context menus. File browser: "Register as Artifact", "Show Lineage of This File"
 * (only for files that are artifacts); notebook tab: "Show Runs of This Notebook"; rows of
 * Lamin tables: open, copy code, show lineage.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { addIcon, copyIcon, launchIcon } from '@jupyterlab/ui-components';

import { getFileArtifact, getNotebookTransform, registerFile } from '../api';
import { ILabeledRef, IRecordRef } from '../models';
import { lineageIcon } from '../pages/icons';
import { recordGetCode } from '../registry/helpers';
import { CommandIDs, ILaminLive } from '../tokens';
import { LiveState } from '../live/LiveState';

const ROW_SELECTOR = '.lk-RecordRow';
const FILE_SELECTOR = '.jp-DirListing-item[data-isdir="false"]';
const TAB_SELECTOR = '.lm-DockPanel-tabBar .lm-TabBar-tab';

/** The record of the table row the context menu was opened on. */
function rowUnderMenu(app: JupyterFrontEnd): IRecordRef | null {
  const row = app.contextMenuHitTest(node => node.classList.contains('lk-RecordRow'));
  const registry = row?.getAttribute('data-registry');
  const uid = row?.getAttribute('data-uid');
  return registry && uid ? { registry, uid } : null;
}

/** Paths of files in the file browser that are artifacts, learnt per folder listing. */
class FileArtifacts {
  private _known = new Map<string, ILabeledRef | null>();
  private _pending = new Set<string>();

  constructor(private readonly _browser: IDefaultFileBrowser) {
    const model = _browser.model;
    const scan = (): void => this.scan();
    model.pathChanged.connect(scan);
    model.refreshed.connect(scan);
  }

  get(path: string): ILabeledRef | null | undefined {
    return this._known.get(path);
  }

  set(path: string, ref: ILabeledRef | null): void {
    this._known.set(path, ref);
  }

  /** Ask the server about each file of the folder shown (a key or hash lookup each). */
  scan(): void {
    for (const item of this._browser.model.items()) {
      if (item.type !== 'directory' && !this._pending.has(item.path)) {
        this._pending.add(item.path);
        void getFileArtifact(item.path)
          .then(answer => this._known.set(item.path, answer.artifact))
          .catch(() => this._known.delete(item.path))
          .finally(() => this._pending.delete(item.path));
      }
    }
  }
}

export const contextMenusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'lamin-kernel:context-menus',
  description: 'Lamin items in the context menus of files, notebook tabs and Lamin tables.',
  autoStart: true,
  requires: [ILaminLive],
  optional: [IDefaultFileBrowser, INotebookTracker, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    live: LiveState,
    browser: IDefaultFileBrowser | null,
    notebooks: INotebookTracker | null,
    palette: ICommandPalette | null
  ) => {
    const { commands, contextMenu } = app;
    const openPage = (view: string, ref: IRecordRef): Promise<unknown> =>
      commands.execute(CommandIDs.openPage, { view, ...ref });

    // -- rows of Lamin tables
    commands.addCommand(CommandIDs.rowOpen, {
      label: 'Open',
      icon: launchIcon,
      execute: () => {
        const ref = rowUnderMenu(app);
        return ref ? openPage('record', ref) : null;
      }
    });
    commands.addCommand(CommandIDs.rowCopyCode, {
      label: 'Copy Code',
      icon: copyIcon,
      execute: () => {
        const ref = rowUnderMenu(app);
        if (ref) {
          const code = recordGetCode(ref.registry, ref.uid);
          Clipboard.copyToSystem(code);
          Notification.info(`Copied ${code}`, { autoClose: 2000 });
        }
      }
    });
    commands.addCommand(CommandIDs.rowShowLineage, {
      label: 'Show Lineage',
      icon: lineageIcon,
      isVisible: () =>
        ['Artifact', 'Collection', 'Run', 'Transform'].includes(rowUnderMenu(app)?.registry ?? ''),
      execute: () => {
        const ref = rowUnderMenu(app);
        return ref ? openPage('lineage', ref) : null;
      }
    });
    contextMenu.addItem({ command: CommandIDs.rowOpen, selector: ROW_SELECTOR, rank: 1 });
    contextMenu.addItem({ command: CommandIDs.rowCopyCode, selector: ROW_SELECTOR, rank: 2 });
    contextMenu.addItem({ command: CommandIDs.rowShowLineage, selector: ROW_SELECTOR, rank: 3 });

    // -- the file browser
    if (browser) {
      const artifacts = new FileArtifacts(browser);
      const selectedFile = (): string | null => {
        const item = browser.selectedItems().next();
        const model = item && !item.done ? item.value : null;
        return model && model.type !== 'directory' ? model.path : null;
      };
      commands.addCommand(CommandIDs.registerFile, {
        label: 'Register as Artifact',
        caption: 'Save this file in the Lamin instance, with its path as the key',
        icon: addIcon,
        isVisible: () => {
          const path = selectedFile();
          return !!path && !artifacts.get(path);
        },
        execute: async () => {
          const path = selectedFile();
          if (!path) {
            return;
          }
          try {
            const { artifact } = await registerFile(path);
            artifacts.set(path, artifact);
            live.notify('edit');
            Notification.success(`Registered ${path} as artifact ${artifact.uid}`, {
              autoClose: 4000,
              actions: [{ label: 'Open', callback: () => void openPage('record', artifact) }]
            });
          } catch (error) {
            Notification.error(`Could not register ${path}: ${String(error)}`);
          }
        }
      });
      commands.addCommand(CommandIDs.showFileLineage, {
        label: 'Show Lineage of This File',
        icon: lineageIcon,
        isVisible: () => {
          const path = selectedFile();
          return !!path && !!artifacts.get(path);
        },
        execute: () => {
          const path = selectedFile();
          const ref = path ? artifacts.get(path) : null;
          return ref ? openPage('lineage', ref) : null;
        }
      });
      contextMenu.addItem({ command: CommandIDs.registerFile, selector: FILE_SELECTOR, rank: 60 });
      contextMenu.addItem({
        command: CommandIDs.showFileLineage,
        selector: FILE_SELECTOR,
        rank: 61
      });
    }

    // -- notebook tabs
    if (notebooks) {
      const notebookUnderMenu = (): NotebookPanel | null => {
        const tab = app.contextMenuHitTest(node => node.classList.contains('lm-TabBar-tab'));
        const title = tab?.querySelector('.lm-TabBar-tabLabel')?.textContent;
        const panel = notebooks.find(p => p.title.label === title && p.title.label !== '');
        return panel ?? (tab ? null : notebooks.currentWidget);
      };
      commands.addCommand(CommandIDs.showNotebookRuns, {
        label: 'Show Runs of This Notebook',
        icon: lineageIcon,
        isVisible: () => !!notebookUnderMenu(),
        execute: async () => {
          const panel = notebookUnderMenu() ?? notebooks.currentWidget;
          if (!panel) {
            return;
          }
          const { transform } = await getNotebookTransform(panel.context.path);
          if (!transform) {
            Notification.info(`${panel.title.label} is not tracked yet: run ln.track() in it.`, {
              autoClose: 4000
            });
            return;
          }
          return openPage('record', transform);
        }
      });
      contextMenu.addItem({
        command: CommandIDs.showNotebookRuns,
        selector: TAB_SELECTOR,
        rank: 60
      });
      palette?.addItem({ command: CommandIDs.showNotebookRuns, category: 'Lamin' });
    }
  }
};
