/** Small React hooks shared by the panels. */
import { ISignal } from '@lumino/signaling';
import { useEffect, useRef, useState } from 'react';

import { LaminApiError } from '../api';

/** Re-render whenever a Lumino signal emits. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useSignal(signal: ISignal<any, any>): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const onEmit = (): void => setTick(tick => tick + 1);
    signal.connect(onEmit);
    return () => {
      signal.disconnect(onEmit);
    };
  }, [signal]);
}

export interface IAsyncState<T> {
  data: T | null;
  error: string | null;
  /** The `ln.errors` class the server named for the error (`InstanceNotSetupError`, ...), if any. */
  errorType: string | null;
  loading: boolean;
}

/**
 * Run an async loader whenever `deps` change; answers that arrive after a
 * newer request started are dropped.
 */
export function useAsync<T>(
  load: (() => Promise<T>) | null,
  deps: ReadonlyArray<unknown>
): IAsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<IAsyncState<T>>({
    data: null,
    error: null,
    errorType: null,
    loading: false
  });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (!load) {
      setState({ data: null, error: null, errorType: null, loading: false });
      return;
    }
    const request = ++latest.current;
    setState(previous => ({ ...previous, loading: true, error: null, errorType: null }));
    load().then(
      data => {
        if (request === latest.current) {
          setState({ data, error: null, errorType: null, loading: false });
        }
      },
      (error: unknown) => {
        if (request === latest.current) {
          const message = error instanceof Error ? error.message : String(error);
          const errorType = error instanceof LaminApiError ? error.type : null;
          setState({ data: null, error: message, errorType, loading: false });
        }
      }
    );
  }, [...deps, tick]);
  return { ...state, reload: () => setTick(t => t + 1) };
}

/** The value, once it has stopped changing for `delay` ms. */
export function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}
