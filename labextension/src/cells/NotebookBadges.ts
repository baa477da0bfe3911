/**
 * The cell badges of one open notebook: asks GET notebook-cells (the kernel's current run, else
 * the notebook's latest run) and puts a badge in the footer of each cell that saved or loaded
 * records. Asked again when cells ran or the kernel reported changes; redrawn (no request)
 * when cells are edited, so the badge says when a cell changed since its run.
 */
import type { Cell } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { PanelLayout } from '@lumino/widgets';

import { IRecordRef } from '../models';
import { CellBadge } from './CellBadge';
import { notebookCells } from './jump';
import { INotebookCells, badgesByCell, cellState } from './model';

export interface IBadgeSources {
  fetchCells(path: string, run: string | null): Promise<INotebookCells>;
  /** The run the notebook's kernel tracks now, if any. */
  currentRun(panel: NotebookPanel): string | null;
  openRecord(ref: IRecordRef): void;
}

const FETCH_DELAY_MS = 400;
const REDRAW_DELAY_MS = 300;

export class NotebookBadges {
  private _answer: INotebookCells | null = null;
  private _badges = new Map<Cell, CellBadge>();
  private _fetchTimer: number | null = null;
  private _redrawTimer: number | null = null;
  private _ticket = 0;
  private _disposed = false;

  constructor(
    private readonly _panel: NotebookPanel,
    private readonly _sources: IBadgeSources
  ) {
    void _panel.context.ready.then(() => {
      this.refresh();
      _panel.model?.contentChanged.connect(() => this._schedule('redraw'));
      _panel.content.model?.cells.changed.connect(() => this._schedule('redraw'));
    });
    _panel.context.pathChanged.connect(() => this.refresh());
    _panel.disposed.connect(() => this.dispose());
  }

  /** The latest answer of the server, for tests and the plugin. */
  get answer(): INotebookCells | null {
    return this._answer;
  }

  /** Ask the server again, soon (several triggers in a row make one request). */
  refresh(): void {
    this._schedule('fetch');
  }

  dispose(): void {
    this._disposed = true;
    for (const timer of [this._fetchTimer, this._redrawTimer]) {
      if (timer !== null) {
        window.clearTimeout(timer);
      }
    }
    this._badges.forEach(badge => badge.dispose());
    this._badges.clear();
  }

  private _schedule(what: 'fetch' | 'redraw'): void {
    if (this._disposed) {
      return;
    }
    const current = what === 'fetch' ? this._fetchTimer : this._redrawTimer;
    if (current !== null) {
      window.clearTimeout(current);
    }
    const delay = what === 'fetch' ? FETCH_DELAY_MS : REDRAW_DELAY_MS;
    const timer = window.setTimeout(() => {
      if (what === 'fetch') {
        this._fetchTimer = null;
        void this._fetch();
      } else {
        this._redrawTimer = null;
        this._redraw();
      }
    }, delay);
    if (what === 'fetch') {
      this._fetchTimer = timer;
    } else {
      this._redrawTimer = timer;
    }
  }

  private async _fetch(): Promise<void> {
    const path = this._panel.context.path;
    const ticket = ++this._ticket;
    try {
      const answer = await this._sources.fetchCells(path, this._sources.currentRun(this._panel));
      if (ticket === this._ticket && !this._disposed) {
        this._answer = answer;
        this._redraw();
      }
    } catch (error) {
      // no server extension, no instance, or the notebook was moved: no badges
      console.debug('lamin-kernel: no cell badges for', path, error);
    }
  }

  private _redraw(): void {
    const answer = this._answer;
    if (this._disposed || !answer) {
      return;
    }
    const cells = notebookCells(this._panel);
    const badges = answer.run ? badgesByCell(answer.cells, cells) : new Map();
    const runUid = answer.run?.uid ?? '';
    for (const [widget, badge] of this._badges) {
      const links = badges.get(widget.model.id);
      if (!links || widget.isDisposed) {
        badge.dispose();
        this._badges.delete(widget);
      }
    }
    for (const cell of cells) {
      const links = badges.get(cell.id);
      if (!links) {
        continue;
      }
      const changed = cellState(links, [cell]).state === 'changed';
      const state = { links, runUid, changed };
      const badge = this._badges.get(cell.widget);
      if (badge) {
        badge.setState(state);
      } else {
        this._attach(cell.widget, state);
      }
    }
  }

  private _attach(widget: Cell, state: CellBadge['state'] & object): void {
    const badge = new CellBadge(ref => this._sources.openRecord(ref));
    badge.setState(state);
    this._badges.set(widget, badge);
    void widget.ready.then(() => {
      if (badge.isDisposed || widget.isDisposed) {
        return;
      }
      const layout = widget.layout as PanelLayout;
      // the last widget of a cell is its (empty) footer: the badge goes just above it
      layout.insertWidget(Math.max(0, layout.widgets.length - 1), badge);
    });
  }
}
