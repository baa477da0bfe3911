/** Plugins: the shared settings and the Lamin sidebar. */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ReadonlyPartialJSONValue } from '@lumino/coreutils';

import { LiveState } from '../live/LiveState';
import { BrowserState } from '../registry/state';
import { LaminSettings } from '../settings';
import {
  CommandIDs,
  ILaminLive,
  ILaminNotebookState,
  ILaminSettings,
  ILaminSidebar,
  SETTINGS_PLUGIN_ID,
  SIDEBAR_ID
} from '../tokens';
import { LaminSidebar } from './LaminSidebar';
import { ISidebarActions, SidebarModel } from './model';

/** Key of the registry browser's state in JupyterLab's state database. */
export const BROWSER_STATE_KEY = 'lamin-kernel:registry-browser';

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

/** Restore the browser's state from the state database, then save it on every change. */
async function persistBrowser(browser: BrowserState, state: IStateDB): Promise<void> {
  try {
    browser.restore(await state.fetch(BROWSER_STATE_KEY));
  } catch (error) {
    console.warn('lamin-kernel: registry browser state not restored', error);
  }
  let timer: number | null = null;
  browser.changed.connect(() => {
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(() => {
      timer = null;
      void state.save(BROWSER_STATE_KEY, browser.snapshot() as unknown as ReadonlyPartialJSONValue);
    }, 300);
  });
}

export const sidebarPlugin: JupyterFrontEndPlugin<ILaminSidebar> = {
  id: 'lamin-kernel:sidebar',
  description: 'The Lamin sidebar: registries, lineage and validation reports.',
  autoStart: true,
  requires: [ILaminSettings, ILaminLive],
  optional: [ILaminNotebookState, ILayoutRestorer, IStateDB],
  provides: ILaminSidebar,
  activate: (
    app: JupyterFrontEnd,
    settings: LaminSettings,
    live: LiveState,
    notebookState: ILaminNotebookState | null,
    restorer: ILayoutRestorer | null,
    stateDB: IStateDB | null
  ) => {
    const model = new SidebarModel();
    const browser = new BrowserState();
    const run = (command: string, args: object = {}): void =>
      void app.commands.execute(command, args as never);
    const actions: ISidebarActions = {
      openRecord: ref => run(CommandIDs.openPage, { view: 'record', ...ref }),
      openLineagePage: ref => run(CommandIDs.openPage, { view: 'lineage', ...ref }),
      showLineage: ref => model.showLineage(ref),
      showValidation: target => model.showValidation(target),
      openRunReport: uid => run(CommandIDs.openRunReport, { uid }),
      insertCode: async code => !!(await app.commands.execute(CommandIDs.insertCode, { code })),
      copy: text => {
        Clipboard.copyToSystem(text);
        Notification.info(`Copied ${text}`, { autoClose: 2000 });
      },
      trackNotebook: () => run(CommandIDs.trackNotebook)
    };
    const widget = new LaminSidebar(model, browser, actions, settings, notebookState);
    app.shell.add(widget, 'left', { rank: 650 });
    restorer?.add(widget, SIDEBAR_ID);
    if (stateDB) {
      void app.restored.then(() => persistBrowser(browser, stateDB));
    }

    // live updates: kernel events and, with no kernel, the polled change token
    live.changed.connect(() => model.refresh());
    live.watch(() => widget.isVisible);

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
      showRecord: ref => actions.openRecord(ref),
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
