/** Plugins: the shared settings and the Lamin sidebar. */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { LaminSettings } from '../settings';
import {
  CommandIDs,
  ILaminNotebookState,
  ILaminSettings,
  ILaminSidebar,
  SETTINGS_PLUGIN_ID,
  SIDEBAR_ID
} from '../tokens';
import { LaminSidebar } from './LaminSidebar';
import { ISidebarActions, SidebarModel } from './model';

export const settingsPlugin: JupyterFrontEndPlugin<LaminSettings> = {
  id: SETTINGS_PLUGIN_ID,
  description: 'Settings of the Lamin panels: page_size, lineage_depth, auto_refresh_seconds.',
  autoStart: true,
  optional: [ISettingRegistry],
  provides: ILaminSettings,
  activate: (_app: JupyterFrontEnd, registry: ISettingRegistry | null) => {
    const settings = new LaminSettings();
    if (registry) {
      registry
        .load(SETTINGS_PLUGIN_ID)
        .then(loaded => {
          settings.update(loaded.composite as { [key: string]: unknown });
          loaded.changed.connect(() =>
            settings.update(loaded.composite as { [key: string]: unknown })
          );
        })
        .catch(error => console.warn('lamin-kernel: settings not loaded, using defaults', error));
    }
    return settings;
  }
};

export const sidebarPlugin: JupyterFrontEndPlugin<ILaminSidebar> = {
  id: 'lamin-kernel:sidebar',
  description: 'The Lamin sidebar: registries, lineage and validation reports.',
  autoStart: true,
  requires: [ILaminSettings],
  optional: [ILaminNotebookState, ILayoutRestorer],
  provides: ILaminSidebar,
  activate: (
    app: JupyterFrontEnd,
    settings: LaminSettings,
    notebookState: ILaminNotebookState | null,
    restorer: ILayoutRestorer | null
  ) => {
    const model = new SidebarModel();
    const actions: ISidebarActions = {
      openRecord: ref => model.openRecord(ref),
      showLineage: ref => model.showLineage(ref),
      showValidation: target => model.showValidation(target),
      openRunReport: uid => void app.commands.execute(CommandIDs.openRunReport, { uid }),
      insertCode: async code => !!(await app.commands.execute(CommandIDs.insertCode, { code })),
      copy: text => {
        Clipboard.copyToSystem(text);
        Notification.info(`Copied ${text}`, { autoClose: 2000 });
      }
    };
    const widget = new LaminSidebar(model, actions, settings, notebookState);
    app.shell.add(widget, 'left', { rank: 650 });
    restorer?.add(widget, SIDEBAR_ID);

    let timer: number | null = null;
    const schedule = (): void => {
      if (timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
      const seconds = settings.values.auto_refresh_seconds;
      if (seconds > 0) {
        timer = window.setInterval(() => {
          if (widget.isVisible) {
            model.refresh();
          }
        }, seconds * 1000);
      }
    };
    settings.changed.connect(schedule);
    schedule();

    const reveal = (): void => app.shell.activateById(SIDEBAR_ID);
    return {
      show: tab => {
        if (tab) {
          model.setTab(tab);
        }
        reveal();
      },
      showRecord: ref => {
        model.openRecord(ref);
        reveal();
      },
      showLineage: ref => {
        model.showLineage(ref);
        reveal();
      },
      showValidation: target => {
        model.showValidation(target);
        reveal();
      },
      refresh: () => model.refresh()
    };
  }
};
