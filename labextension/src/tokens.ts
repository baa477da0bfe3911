/** Ids, tokens and service interfaces the plugins share. */
import { NotebookPanel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import { INotebookState, IRecordRef, ValidationTarget } from './models';
import { LaminSettings } from './settings';

/** The plugin that owns the settings schema `labextension/schema/plugin.json`. */
export const SETTINGS_PLUGIN_ID = 'lamin-kernel:plugin';

/** Id of the left sidebar widget (its tab carries `data-id="lamin-sidebar"`). */
export const SIDEBAR_ID = 'lamin-sidebar';

/** The comm target name the kernel opens comms on. */
export const COMM_TARGET = 'lamin_kernel';

export namespace CommandIDs {
  export const trackNotebook = 'lamin:track-notebook';
  export const finishRun = 'lamin:finish-run';
  export const openLineage = 'lamin:open-lineage';
  export const openSidebar = 'lamin:open-sidebar';
  export const openValidation = 'lamin:open-validation';
  export const openRecord = 'lamin:open-record';
  export const openRunReport = 'lamin:open-run-report';
  export const insertCode = 'lamin:insert-code';
  export const refresh = 'lamin:refresh';
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
