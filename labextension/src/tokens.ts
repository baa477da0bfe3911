/** Ids, tokens and service interfaces the plugins share. */
import { NotebookPanel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import { WidgetTracker, MainAreaWidget } from '@jupyterlab/apputils';

import { LiveState } from './live/LiveState';
import { INotebookState, IRecordRef, ValidationTarget } from './models';
import type { LaminPage } from './pages/LaminPage';
import { LaminSettings } from './settings';

/** The plugin that owns the settings schema `labextension/schema/plugin.json`. */
export const SETTINGS_PLUGIN_ID = 'lamin-kernel:plugin';

/** Id of the left sidebar widget (its tab carries `data-id="lamin-sidebar"`). */
export const SIDEBAR_ID = 'lamin-sidebar';

/** The comm target name the kernel opens comms on. */
export const COMM_TARGET = 'lamin_kernel';

export namespace CommandIDs {
  export const openPage = 'lamin:open-page';
  export const openArtifactPicker = 'lamin:open-artifact';
  export const openTransformPicker = 'lamin:open-transform';
  export const copyLaminLink = 'lamin:copy-link';
  export const registerFile = 'lamin:register-file';
  export const showFileLineage = 'lamin:show-file-lineage';
  export const showNotebookRuns = 'lamin:show-notebook-runs';
  export const rowOpen = 'lamin:row-open';
  export const rowCopyCode = 'lamin:row-copy-code';
  export const rowShowLineage = 'lamin:row-show-lineage';
  export const trackNotebook = 'lamin:track-notebook';
  export const finishRun = 'lamin:finish-run';
  export const openLineage = 'lamin:open-lineage';
  export const openSidebar = 'lamin:open-sidebar';
  export const openValidation = 'lamin:open-validation';
  export const openRecord = 'lamin:open-record';
  export const openRunReport = 'lamin:open-run-report';
  export const insertCode = 'lamin:insert-code';
  export const refresh = 'lamin:refresh';
  export const openNotebookCell = 'lamin:open-notebook-cell';
}

export type SidebarTab = 'registries' | 'lineage' | 'validation';

export const ILaminSettings = new Token<LaminSettings>(
  'lamin-kernel:ILaminSettings',
  'The lamin-kernel user settings.'
);

/** Tracks, per notebook, whether lamin_kernel tracks it and its current run. */
export interface ILaminNotebookState {
  /** The state of the active notebook (null: no notebook, or not known yet). */
  readonly active: INotebookState | null;
  /** The active notebook panel, if any. */
  readonly activePanel: NotebookPanel | null;
  /** Emits whenever the active notebook or its state changes. */
  readonly activeChanged: ISignal<ILaminNotebookState, INotebookState | null>;
  /** The last known state of one notebook. */
  stateOf(panel: NotebookPanel): INotebookState | null;
  /** The last error asking the server, for a tooltip. */
  errorOf(panel: NotebookPanel): string | null;
  /** Ask the server again (GET notebook-state) for one notebook, default the active one. */
  refresh(panel?: NotebookPanel | null): Promise<void>;
}

export const ILaminNotebookState = new Token<ILaminNotebookState>(
  'lamin-kernel:ILaminNotebookState',
  'Lamin tracking state of open notebooks.'
);

/** The Lamin sidebar, for commands that open a record, a lineage or reports in it. */
export interface ILaminSidebar {
  /** Reveal the sidebar on one tab. */
  show(tab?: SidebarTab): void;
  /** Open a record's detail in the Registries tab. */
  showRecord(ref: IRecordRef): void;
  /** Show a record's lineage; null shows the active notebook's current run. */
  showLineage(ref: IRecordRef | null): void;
  /** Show validation reports; null uses the active notebook's current run. */
  showValidation(target: ValidationTarget | null): void;
  /** Reload instance, registries and the open views. */
  refresh(): void;
}

export const ILaminSidebar = new Token<ILaminSidebar>(
  'lamin-kernel:ILaminSidebar',
  'The Lamin sidebar with registries, lineage and validation.'
);

/** When views reload: kernel comm events and the polled change token. */
export const ILaminLive = new Token<LiveState>(
  'lamin-kernel:ILaminLive',
  'Tells Lamin views that records changed (kernel events, other processes).'
);

/** Main-area pages of records, lineage graphs and run comparisons. */
export interface ILaminPages {
  open(ref: IRecordRef): MainAreaWidget<LaminPage>;
  openLineage(ref: IRecordRef): MainAreaWidget<LaminPage>;
  openCompare(transformUid: string, runUids: string[]): void;
  readonly tracker: WidgetTracker<MainAreaWidget<LaminPage>>;
}

export const ILaminPages = new Token<ILaminPages>(
  'lamin-kernel:ILaminPages',
  'Opens Lamin records, lineage graphs and run comparisons in the main area.'
);
