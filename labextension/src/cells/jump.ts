/**
 * Open a notebook at a recorded cell: find it by id (else by execution count), make it the
 * active cell, scroll it into the middle and flash it; say whether it changed since or is gone.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { Cell, ICodeCellModel } from '@jupyterlab/cells';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

import { CellState, ICallSite, INotebookCellInfo, cellState } from './model';

/** What to open: the notebook (relative to the server's root) and the recorded cell. */
export interface ICellTarget extends Pick<
  ICallSite,
  'cell_id' | 'execution_count' | 'cell_source_hash'
> {
  path: string;
}

/** The cell's state, or `missing` when the notebook could not be opened. */
export type JumpResult = CellState | 'missing';

const FLASH_CLASS = 'lk-CellJumped';
const FLASH_MS = 2500;

interface ICellEntry extends INotebookCellInfo {
  widget: Cell;
}

/** The cells of a notebook as plain data, with their widgets. */
export function notebookCells(panel: NotebookPanel): ICellEntry[] {
  return panel.content.widgets.map(widget => ({
    id: widget.model.id,
    executionCount:
      widget.model.type === 'code' ? (widget.model as ICodeCellModel).executionCount : null,
    source: widget.model.sharedModel.getSource(),
    widget
  }));
}

export async function openNotebookCell(
  commands: JupyterFrontEnd['commands'],
  tracker: INotebookTracker,
  target: ICellTarget
): Promise<JumpResult> {
  try {
    await commands.execute('docmanager:open', { path: target.path, factory: 'Notebook' });
  } catch {
    return 'missing';
  }
  const panel = tracker.find(p => p.context.path === target.path);
  if (!panel) {
    return 'missing';
  }
  await panel.context.ready;
  await panel.revealed;
  const { state, cell } = cellState(target, notebookCells(panel));
  if (cell) {
    const notebook = panel.content;
    notebook.activeCellIndex = notebook.widgets.indexOf(cell.widget);
    notebook.deselectAll();
    await notebook.scrollToCell(cell.widget, 'center');
    cell.widget.addClass(FLASH_CLASS);
    window.setTimeout(() => cell.widget.removeClass(FLASH_CLASS), FLASH_MS);
  }
  return state;
}
