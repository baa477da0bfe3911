/** Live state: kernel events and the change-token poll; the browser's persisted state. */
import { describe, expect, it } from 'vitest';

import { LiveState, statusChanged } from '../src/live/LiveState';
import { INotebookState } from '../src/models';
import { BrowserState, parseQuery } from '../src/registry/state';

function fakeTimers() {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    timers,
    setInterval: (callback: () => void) => {
      timers.set(next, callback);
      return next++;
    },
    clearInterval: (handle: number) => void timers.delete(handle),
    tick: async () => {
      for (const callback of [...timers.values()]) {
        callback();
      }
      await new Promise(resolve => setTimeout(resolve, 0));
    }
  };
}

const tracked = (n_outputs: number, finished: string | null = null): INotebookState => ({
  tracked: true,
  transform: { uid: 't', key: 'n.ipynb', version_tag: null },
  run: { uid: 'r', started_at: 'x', finished_at: finished },
  n_inputs: 0,
  n_outputs
});

describe('kernel status messages', () => {
  it('count as a change when counts move or the run ends', () => {
    expect(statusChanged(null, tracked(0))).toBe(true);
    expect(statusChanged(tracked(0), tracked(0))).toBe(false);
    expect(statusChanged(tracked(0), tracked(1))).toBe(true);
    expect(statusChanged(tracked(1), tracked(1, '2026'))).toBe(true);
    expect(statusChanged(tracked(1), { tracked: false })).toBe(false);
  });
});

describe('the change-token poll', () => {
  it('asks only while a view is visible and no kernel is linked', async () => {
    const clock = fakeTimers();
    let token = 'a';
    let asked = 0;
    const live = new LiveState({
      fetchToken: async () => {
        asked += 1;
        return token;
      },
      setInterval: clock.setInterval,
      clearInterval: clock.clearInterval
    });
    const changes: string[] = [];
    live.changed.connect((_, change) => changes.push(change.source));
    expect(live.isPolling).toBe(false);

    let visible = false;
    const watch = live.watch(() => visible);
    expect(live.isPolling).toBe(true);
    await clock.tick();
    expect(asked).toBe(0); // hidden: no request

    visible = true;
    await clock.tick();
    expect(asked).toBe(1);
    expect(changes).toEqual([]); // the first token is the baseline
    token = 'b';
    await clock.tick();
    expect(changes).toEqual(['poll']);
    await clock.tick();
    expect(changes).toEqual(['poll']); // same token again: no change

    const kernel = {};
    live.setKernelLinked(kernel, true);
    expect(live.isPolling).toBe(false); // the kernel tells over the comm
    live.notify('kernel');
    expect(changes).toEqual(['poll', 'kernel']);
    live.setKernelLinked(kernel, false);
    expect(live.isPolling).toBe(true);

    watch.dispose();
    expect(live.isPolling).toBe(false);
    expect(live.generation).toBe(2);
  });

  it('survives a failing request', async () => {
    const clock = fakeTimers();
    let fail = true;
    const live = new LiveState({
      fetchToken: async () => {
        if (fail) {
          throw new Error('server away');
        }
        return 't';
      },
      setInterval: clock.setInterval,
      clearInterval: clock.clearInterval
    });
    live.watch(() => true);
    await clock.tick();
    fail = false;
    await clock.tick();
    expect(live.generation).toBe(0);
  });
});

describe('the registry browser state', () => {
  it('starts again at page 1 when the query changes, keeps it for widths', () => {
    const state = new BrowserState();
    state.update('Artifact', { page: 3 });
    state.update('Artifact', { widths: { key: 300 } });
    expect(state.query('Artifact').page).toBe(3);
    state.update('Artifact', { sort: '-size' });
    expect(state.query('Artifact').page).toBe(1);
  });

  it('round-trips through the state database without the page', () => {
    const state = new BrowserState();
    state.setRegistry('Run');
    state.update('Artifact', {
      search: 'x',
      sort: 'key',
      columns: ['key', 'size'],
      showRunFiles: true,
      filters: [{ field: 'suffix', lookup: 'exact', value: '.csv' }],
      page: 4
    });
    const saved = JSON.parse(JSON.stringify(state.snapshot()));
    const restored = new BrowserState();
    restored.restore(saved);
    expect(restored.registry).toBe('Run');
    expect(restored.query('Artifact')).toEqual({ ...state.query('Artifact'), page: 1 });
  });

  it('drops what it does not recognise', () => {
    const query = parseQuery({
      filters: [
        { field: 'a', lookup: 'drop table', value: 1 },
        { field: 'b', lookup: 'in', value: ['x'] }
      ],
      columns: [1, 2],
      widths: { key: 5, size: 100 },
      sort: 3
    });
    expect(query.filters).toEqual([{ field: 'b', lookup: 'in', value: ['x'] }]);
    expect(query.columns).toBeNull();
    expect(query.widths).toEqual({ size: 100 });
    expect(query.sort).toBeUndefined();
    const state = new BrowserState();
    state.restore('garbage');
    expect(state.registry).toBeNull();
  });
});
