/**
 * Per-notebook Lamin tracking state, learnt from the kernel's `lamin_kernel`
 * comm and by asking GET notebook-state after each executed cell.
 */
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel, KernelMessage, ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import { getNotebookState, NotebookStateQuery } from '../api';
import { LiveState, statusChanged } from '../live/LiveState';
import { INotebookState, ISavedMessage } from '../models';
import { LaminSettings } from '../settings';
import { COMM_TARGET, ILaminNotebookState } from '../tokens';
import { parseKernelMessage, parseNotebookState } from './format';

interface IEntry {
  state: INotebookState | null;
  error: string | null;
}

/** How long to wait after a cell ran before asking the server (run-all runs many). */
const REFRESH_DELAY_MS = 300;

export class NotebookStateService implements ILaminNotebookState {
  private _entries = new Map<NotebookPanel, IEntry>();
  private _timers = new Map<NotebookPanel, number>();
  /** Grows with every update of a panel; an answer to an older request is dropped. */
  private _tickets = new Map<NotebookPanel, number>();
  private _kernels = new WeakSet<Kernel.IKernelConnection>();
  private _activeChanged = new Signal<ILaminNotebookState, INotebookState | null>(this);
  private _autoRefresh: number | null = null;

  constructor(
    private readonly _tracker: INotebookTracker,
    private readonly _settings: LaminSettings,
    private readonly _serverSettings?: ServerConnection.ISettings,
    private readonly _live: LiveState | null = null
  ) {
    _tracker.widgetAdded.connect((_, panel) => this._watch(panel));
    _tracker.forEach(panel => this._watch(panel));
    _tracker.currentChanged.connect(() => {
      this._emitActive();
      void this.refresh();
    });
    NotebookActions.executed.connect((_, args) => {
      const panel = _tracker.find(p => p.content === args.notebook);
      if (panel) {
        this._scheduleRefresh(panel);
      }
    });
    _settings.changed.connect(() => this._startAutoRefresh());
    this._startAutoRefresh();
  }

  get activePanel(): NotebookPanel | null {
    return this._tracker.currentWidget;
  }

  get active(): INotebookState | null {
    const panel = this.activePanel;
    return panel ? this.stateOf(panel) : null;
  }

  get activeChanged(): ISignal<ILaminNotebookState, INotebookState | null> {
    return this._activeChanged;
  }

  stateOf(panel: NotebookPanel): INotebookState | null {
    return this._entries.get(panel)?.state ?? null;
  }

  errorOf(panel: NotebookPanel): string | null {
    return this._entries.get(panel)?.error ?? null;
  }

  async refresh(panel: NotebookPanel | null = this.activePanel): Promise<void> {
    if (!panel || panel.isDisposed) {
      return;
    }
    const query = queryFor(panel);
    if (!query) {
      return;
    }
    const ticket = this._nextTicket(panel);
    try {
      const answer = await getNotebookState(query, this._serverSettings);
      if (this._tickets.get(panel) !== ticket) {
        return;
      }
      const state = parseNotebookState(answer);
      this._set(panel, {
        state,
        error: state ? null : 'malformed notebook-state answer'
      });
    } catch (error) {
      if (this._tickets.get(panel) !== ticket) {
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this._set(panel, { state: this.stateOf(panel), error: message });
    }
  }

  private _nextTicket(panel: NotebookPanel): number {
    const ticket = (this._tickets.get(panel) ?? 0) + 1;
    this._tickets.set(panel, ticket);
    return ticket;
  }

  private _set(panel: NotebookPanel, entry: IEntry): void {
    if (panel.isDisposed) {
      return;
    }
    this._entries.set(panel, entry);
    if (panel === this.activePanel) {
      this._emitActive();
    }
  }

  private _emitActive(): void {
    this._activeChanged.emit(this.active);
  }

  private _scheduleRefresh(panel: NotebookPanel): void {
    const previous = this._timers.get(panel);
    if (previous !== undefined) {
      window.clearTimeout(previous);
    }
    const timer = window.setTimeout(() => {
      this._timers.delete(panel);
      void this.refresh(panel);
    }, REFRESH_DELAY_MS);
    this._timers.set(panel, timer);
  }

  private _startAutoRefresh(): void {
    if (this._autoRefresh !== null) {
      window.clearInterval(this._autoRefresh);
      this._autoRefresh = null;
    }
    const seconds = this._settings.values.auto_refresh_seconds;
    if (seconds > 0) {
      this._autoRefresh = window.setInterval(() => void this.refresh(), seconds * 1000);
    }
  }

  private _watch(panel: NotebookPanel): void {
    const session = panel.sessionContext;
    const register = (): void => {
      const kernel = session.session?.kernel;
      if (kernel && !this._kernels.has(kernel)) {
        this._kernels.add(kernel);
        kernel.registerCommTarget(COMM_TARGET, (comm, msg) => this._onCommOpen(panel, comm, msg));
      }
    };
    session.kernelChanged.connect(() => {
      this._nextTicket(panel);
      this._set(panel, { state: null, error: null });
      register();
      this._scheduleRefresh(panel);
    });
    void session.ready.then(() => {
      register();
      this._scheduleRefresh(panel);
    });
    panel.disposed.connect(() => {
      this._entries.delete(panel);
      this._tickets.delete(panel);
      const timer = this._timers.get(panel);
      if (timer !== undefined) {
        window.clearTimeout(timer);
        this._timers.delete(panel);
      }
    });
  }

  private _onCommOpen(
    panel: NotebookPanel,
    comm: Kernel.IComm,
    msg: KernelMessage.ICommOpenMsg
  ): void {
    comm.onMsg = (message: KernelMessage.ICommMsgMsg) =>
      this._onCommData(panel, comm, message.content.data);
    this._live?.setKernelLinked(comm, true);
    comm.onClose = () => this._live?.setKernelLinked(comm, false);
    void this._onCommData(panel, comm, msg.content.data);
  }

  private async _onCommData(
    panel: NotebookPanel,
    comm: Kernel.IComm,
    data: unknown
  ): Promise<void> {
    const message = parseKernelMessage(data);
    if (!message) {
      return;
    }
    if (message.type === 'status') {
      const { type: _type, ...state } = message;
      const before = this.stateOf(panel);
      this._nextTicket(panel);
      this._set(panel, { state: state as INotebookState, error: null });
      if (statusChanged(before, state as INotebookState)) {
        this._live?.notify('kernel');
      }
      return;
    }
    // save_request: the kernel waits for the file on disk to change, not for the reply.
    try {
      await panel.context.save();
    } catch (error) {
      console.warn('lamin-kernel: could not save the notebook for the kernel', error);
      return;
    }
    if (!comm.isDisposed) {
      const reply: ISavedMessage = { type: 'saved', request_id: message.request_id };
      comm.send({ ...reply });
    }
  }
}

/** Ask by kernel id when the notebook has a kernel, else by its path. */
function queryFor(panel: NotebookPanel): NotebookStateQuery | null {
  const kernelId = panel.sessionContext.session?.kernel?.id;
  if (kernelId) {
    return { kernel_id: kernelId };
  }
  const path = panel.context.path;
  return path ? { path } : null;
}
