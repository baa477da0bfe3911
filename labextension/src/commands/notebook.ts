/** Inserting (and running) code cells in a notebook. */
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

export const TRACK_CODE = 'import lamin_kernel as ln\nln.track()';
export const FINISH_CODE = 'ln.finish()';

/** Insert a code cell at `index`, make it active and return it. */
function insertCell(panel: NotebookPanel, index: number, code: string) {
  const notebook = panel.content;
  const model = notebook.model;
  if (!model) {
    throw new Error('The notebook has no model yet.');
  }
  model.sharedModel.insertCell(index, { cell_type: 'code', source: code });
  notebook.activeCellIndex = index;
  return notebook.widgets[index];
}

/** Whether a cell's source is exactly this code (ignoring surrounding blank space). */
function cellHasCode(panel: NotebookPanel, index: number, code: string): boolean {
  const cell = panel.content.widgets[index];
  return !!cell && cell.model.type === 'code' && cell.model.sharedModel.getSource().trim() === code;
}

async function run(panel: NotebookPanel, index: number): Promise<boolean> {
  await panel.sessionContext.ready;
  const cell = panel.content.widgets[index];
  return NotebookActions.runCells(panel.content, [cell], panel.sessionContext);
}

/** `import lamin_kernel as ln; ln.track()` as the first cell, then run it. */
export async function trackNotebook(panel: NotebookPanel): Promise<boolean> {
  if (!cellHasCode(panel, 0, TRACK_CODE)) {
    insertCell(panel, 0, TRACK_CODE);
  }
  panel.content.activeCellIndex = 0;
  return run(panel, 0);
}

/** `ln.finish()` as the last cell (unless it already is), then run it. */
export async function finishRun(panel: NotebookPanel): Promise<boolean> {
  const count = panel.content.widgets.length;
  let index = count - 1;
  if (!cellHasCode(panel, index, FINISH_CODE)) {
    index = count;
    insertCell(panel, index, FINISH_CODE);
  }
  panel.content.activeCellIndex = index;
  return run(panel, index);
}

/** Insert code below the active cell without running it. */
export function insertBelowActive(panel: NotebookPanel, code: string): void {
  const notebook = panel.content;
  const index = notebook.widgets.length === 0 ? 0 : notebook.activeCellIndex + 1;
  insertCell(panel, index, code);
}
