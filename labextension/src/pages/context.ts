/** What pages may ask the application to do, and what they share. */
import type { ICellTarget, JumpResult } from '../cells/jump';
import { LiveState } from '../live/LiveState';
import { IRecordRef } from '../models';

export interface IPageActions {
  /** Open a record's page (Artifact, Transform, Run, any registry). */
  open(ref: IRecordRef): void;
  /** Open the lineage of a record in the main area. */
  openLineage(ref: IRecordRef): void;
  /** Compare runs of a transform (none chosen: the two newest). */
  openCompare(transformUid: string, runUids: string[]): void;
  /** A run's HTML report, scrolled to a cell (by its id) when given. */
  openRunReport(runUid: string, cellId?: string | null): void;
  /** Open a notebook of the server's root at a recorded cell; its state there. */
  openNotebookCell(target: ICellTarget): Promise<JumpResult>;
  showValidation(target: { artifact: string } | { run: string }): void;
  /** Insert code below the active cell of the active notebook; false if there is none. */
  insertCode(code: string): Promise<boolean>;
  copy(text: string): void;
  /** Reveal a file of the server's root in the file browser. */
  showInFileBrowser(path: string): void;
  /** Syntax-highlight source code into an element (JupyterLab's CodeMirror languages). */
  highlight(code: string, language: string, element: HTMLElement): Promise<void>;
}

export interface IPageContext {
  actions: IPageActions;
  live: LiveState;
  pageSize: number;
  lineageDepth: number;
}
