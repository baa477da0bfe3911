/** Plugin: main-area pages of records, lineage and run comparisons; `lamin:` links. */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  ISanitizer,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';

import { getTransformRuns } from '../api';
import type { JumpResult } from '../cells/jump';
import { LiveState } from '../live/LiveState';
import { IRecordRef } from '../models';
import { LaminSettings } from '../settings';
import { CommandIDs, ILaminLive, ILaminPages, ILaminSettings } from '../tokens';
import { IPageActions, IPageContext } from './context';
import { createPage, LaminPage } from './LaminPage';
import { pickRecord } from './picker';
import { pageId, parseLaminLink, parseTarget, PageTarget, targetArgs } from './target';

const CATEGORY = 'Lamin';

function pageActions(
  app: JupyterFrontEnd,
  languages: IEditorLanguageRegistry | null,
  browser: IDefaultFileBrowser | null
): IPageActions {
  const run = (command: string, args: object): void =>
    void app.commands.execute(command, args as never);
  return {
    open: ref => run(CommandIDs.openPage, { view: 'record', ...ref }),
    openLineage: ref => run(CommandIDs.openPage, { view: 'lineage', ...ref }),
    openCompare: (transform, runs) =>
      run(CommandIDs.openPage, { view: 'compare', transform, runs }),
    openRunReport: (uid, cell) => run(CommandIDs.openRunReport, { uid, cell: cell ?? undefined }),
    openNotebookCell: async target =>
      ((await app.commands.execute(CommandIDs.openNotebookCell, { ...target })) as JumpResult) ??
      'missing',
    showValidation: target => run(CommandIDs.openValidation, target),
    insertCode: async code => !!(await app.commands.execute(CommandIDs.insertCode, { code })),
    copy: text => {
      Clipboard.copyToSystem(text);
      Notification.info(`Copied ${text}`, { autoClose: 2000 });
    },
    showInFileBrowser: path => {
      if (browser) {
        void app.commands.execute('filebrowser:go-to-path', { path: `/${path}` });
      }
    },
    highlight: async (code, language, element) => {
      if (!languages) {
        element.textContent = code;
        return;
      }
      const spec = languages.findBest(language);
      if (!spec) {
        element.textContent = code;
        return;
      }
      element.textContent = '';
      await languages.highlight(code, spec, element);
    }
  };
}

export const pagesPlugin: JupyterFrontEndPlugin<ILaminPages> = {
  id: 'lamin-kernel:pages',
  description: 'Main-area pages of Lamin records, lineage graphs and run comparisons.',
  autoStart: true,
  requires: [ILaminSettings, ILaminLive],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    IEditorLanguageRegistry,
    IDefaultFileBrowser,
    ISanitizer
  ],
  provides: ILaminPages,
  activate: (
    app: JupyterFrontEnd,
    settings: LaminSettings,
    live: LiveState,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    languages: IEditorLanguageRegistry | null,
    browser: IDefaultFileBrowser | null,
    sanitizer: ISanitizer | null
  ) => {
    const tracker = new WidgetTracker<MainAreaWidget<LaminPage>>({ namespace: 'lamin-pages' });
    const context: IPageContext = {
      actions: pageActions(app, languages, browser),
      live,
      get pageSize() {
        return settings.values.page_size;
      },
      get lineageDepth() {
        return settings.values.lineage_depth;
      }
    };
    const open = (target: PageTarget): MainAreaWidget<LaminPage> => {
      const existing = tracker.find(w => w.id === pageId(target));
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const widget = createPage(target, context);
      widget.content.retargeted.connect(() => void tracker.save(widget));
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };
    const { commands } = app;
    commands.addCommand(CommandIDs.openPage, {
      label: args =>
        args.view === 'compare'
          ? 'Compare Runs'
          : args.view === 'lineage'
            ? 'Open Lineage Page'
            : 'Open Record Page',
      execute: async args => {
        const target = parseTarget(args);
        if (!target) {
          return null;
        }
        if (target.view === 'compare' && target.runs.length === 1) {
          // one run chosen: compare it with the newest other run of its transform
          const runs = await getTransformRuns(target.transform).catch(() => ({ runs: [] }));
          const other = runs.runs.find(r => r.uid !== target.runs[0]);
          target.runs = other ? [target.runs[0], other.uid] : target.runs;
        }
        return open(target);
      }
    });
    commands.addCommand(CommandIDs.openArtifactPicker, {
      label: 'Open Artifact…',
      caption: 'Search artifacts by key or description and open one’s page',
      execute: async () => {
        const ref = await pickRecord('Artifact');
        return ref ? open({ view: 'record', ...ref }) : null;
      }
    });
    commands.addCommand(CommandIDs.openTransformPicker, {
      label: 'Open Transform…',
      caption: 'Search transforms (notebooks, scripts) and open one’s page',
      execute: async () => {
        const ref = await pickRecord('Transform');
        return ref ? open({ view: 'record', ...ref }) : null;
      }
    });
    commands.addCommand(CommandIDs.copyLaminLink, {
      label: 'Copy Link (lamin:) for Markdown',
      execute: args => {
        const current = tracker.currentWidget?.content.target;
        if (current && current.view !== 'compare') {
          const link = `[${tracker.currentWidget?.title.label}](lamin:${current.registry}/${current.uid})`;
          Clipboard.copyToSystem(link);
          Notification.info(`Copied ${link}`, { autoClose: 3000 });
        }
      },
      isEnabled: () =>
        !!tracker.currentWidget && tracker.currentWidget.content.target.view !== 'compare'
    });
    if (palette) {
      for (const command of [
        CommandIDs.openArtifactPicker,
        CommandIDs.openTransformPicker,
        CommandIDs.copyLaminLink
      ]) {
        palette.addItem({ command, category: CATEGORY });
      }
    }
    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openPage,
        args: widget => targetArgs(widget.content.target),
        name: widget => pageId(widget.content.target)
      });
    }

    // `lamin:` links in Markdown cells (and anywhere else) open pages
    if (sanitizer && 'setAllowedSchemes' in sanitizer) {
      const schemes = ['http', 'https', 'ftp', 'mailto', 'tel', 'file', 'data', 'lamin'];
      (sanitizer as unknown as { setAllowedSchemes(s: string[]): void }).setAllowedSchemes(schemes);
    }
    document.addEventListener(
      'click',
      event => {
        const anchor = (event.target as Element | null)?.closest?.('a[href^="lamin:"]');
        const target = anchor ? parseLaminLink(anchor.getAttribute('href') ?? '') : null;
        if (target) {
          event.preventDefault();
          event.stopPropagation();
          open(target);
        }
      },
      true
    );

    const api: ILaminPages = {
      open: (ref: IRecordRef) => open({ view: 'record', ...ref }),
      openLineage: (ref: IRecordRef) => open({ view: 'lineage', ...ref }),
      openCompare: (transform: string, runs: string[]) =>
        void commands.execute(CommandIDs.openPage, { view: 'compare', transform, runs }),
      tracker
    };
    return api;
  }
};
