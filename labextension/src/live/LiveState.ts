/**
 * When to reload: the kernel says so over the comm (a tracked run saved, loaded or
 * finished), or, with no kernel linked, a cheap change token polled while a Lamin view is
 * visible tells that another process wrote. Views read `generation` and reload when it grows.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { INotebookState } from '../models';

export type ChangeSource = 'kernel' | 'poll' | 'edit' | 'manual';

export interface ILiveChange {
  generation: number;
  source: ChangeSource;
}

export interface ILiveOptions {
  /** Fetch the server's change token (GET changes). */
  fetchToken: () => Promise<string>;
  /** Poll interval while a view is visible and no kernel is linked. */
  pollMs?: number;
  setInterval?: (callback: () => void, ms: number) => number;
  clearInterval?: (handle: number) => void;
}

export const POLL_MS = 2000;

/** Whether a kernel's new status means that records changed (counts moved, run ended). */
export function statusChanged(before: INotebookState | null, after: INotebookState): boolean {
  if (!after.tracked) {
    return false;
  }
  if (!before || !before.tracked) {
    return true;
  }
  return (
    before.run.uid !== after.run.uid ||
    before.n_inputs !== after.n_inputs ||
    before.n_outputs !== after.n_outputs ||
    before.run.finished_at !== after.run.finished_at
  );
}

export class LiveState {
  private _generation = 0;
  private _changed = new Signal<this, ILiveChange>(this);
  private _watchers = new Set<() => boolean>();
  private _kernels = new Set<unknown>();
  private _timer: number | null = null;
  private _token: string | null = null;
  private _polling = false;
  private readonly _pollMs: number;
  private readonly _setInterval: (callback: () => void, ms: number) => number;
  private readonly _clearInterval: (handle: number) => void;

  constructor(private readonly _options: ILiveOptions) {
    this._pollMs = _options.pollMs ?? POLL_MS;
    this._setInterval = _options.setInterval ?? ((cb, ms) => window.setInterval(cb, ms));
    this._clearInterval = _options.clearInterval ?? (handle => window.clearInterval(handle));
  }

  /** Grows with every change; a view reloads when the value it rendered with is older. */
  get generation(): number {
    return this._generation;
  }

  get changed(): ISignal<this, ILiveChange> {
    return this._changed;
  }

  /** True while the poll timer runs (a view exists and no kernel is linked). */
  get isPolling(): boolean {
    return this._timer !== null;
  }

  /** Tell every view to reload. */
  notify(source: ChangeSource): void {
    this._generation += 1;
    this._changed.emit({ generation: this._generation, source });
  }

  /** A kernel's comm opened (true) or closed (false); while any is linked there is no poll. */
  setKernelLinked(kernel: unknown, linked: boolean): void {
    if (linked) {
      this._kernels.add(kernel);
    } else {
      this._kernels.delete(kernel);
    }
    this.update();
  }

  /** A view that wants polling while `isVisible()`; dispose when the view goes away. */
  watch(isVisible: () => boolean): IDisposable {
    this._watchers.add(isVisible);
    this.update();
    let disposed = false;
    return {
      get isDisposed() {
        return disposed;
      },
      dispose: () => {
        disposed = true;
        this._watchers.delete(isVisible);
        this.update();
      }
    };
  }

  /** Start or stop the timer after views or kernels changed (it asks only while visible). */
  update(): void {
    const wanted = this._kernels.size === 0 && this._watchers.size > 0;
    if (wanted && this._timer === null) {
      this._timer = this._setInterval(() => void this.poll(), this._pollMs);
    } else if (!wanted && this._timer !== null) {
      this._clearInterval(this._timer);
      this._timer = null;
    }
  }

  /** Ask for the token once; a different token than last time is a change. */
  async poll(): Promise<void> {
    if (this._polling) {
      return;
    }
    if (![...this._watchers].some(visible => visible())) {
      return; // nothing on screen: no request
    }
    this._polling = true;
    try {
      const token = await this._options.fetchToken();
      if (this._token !== null && token !== this._token) {
        this.notify('poll');
      }
      this._token = token;
    } catch {
      // the server is away for a moment: try again at the next tick
    } finally {
      this._polling = false;
    }
  }

  dispose(): void {
    if (this._timer !== null) {
      this._clearInterval(this._timer);
      this._timer = null;
    }
    this._watchers.clear();
  }
}
