import { describe, expect, it } from 'vitest';

import { INotebookState } from '../src/models';
import {
  formatStatus,
  formatStatusTooltip,
  parseKernelMessage,
  parseNotebookState,
  shortUid
} from '../src/status/format';

const TRACKED: INotebookState = {
  tracked: true,
  transform: { uid: 'TRNSFRMuid120000', key: 'analysis.ipynb', version_tag: '2' },
  run: { uid: 'RUNuid0123456789', started_at: '2026-11-29T08:00:00Z', finished_at: null },
  n_inputs: 3,
  n_outputs: 1
};

describe('status text', () => {
  it('says "not tracked" without state or when untracked', () => {
    expect(formatStatus(null)).toBe('Lamin: not tracked');
    expect(formatStatus({ tracked: false })).toBe('Lamin: not tracked');
  });

  it('shows key, version, short run uid and input/output counts', () => {
    expect(formatStatus(TRACKED)).toBe('Lamin: analysis.ipynb v2 · run RUNuid0 · 3 in / 1 out');
  });

  it('leaves out the version when there is none', () => {
    const state = { ...TRACKED, transform: { ...TRACKED.transform, version_tag: null } };
    expect(formatStatus(state)).toBe('Lamin: analysis.ipynb · run RUNuid0 · 3 in / 1 out');
  });

  it('shortens uids to 7 characters', () => {
    expect(shortUid('abcdefghij')).toBe('abcdefg');
    expect(shortUid('abc')).toBe('abc');
  });

  it('puts full uids and errors in the tooltip', () => {
    const tip = formatStatusTooltip(TRACKED, 'HTTP 500');
    expect(tip).toContain('RUNuid0123456789');
    expect(tip).toContain('Last update failed: HTTP 500');
    expect(formatStatusTooltip(null, null)).toMatch(/not tracked/);
  });
});

describe('kernel comm messages', () => {
  it('parses a status message', () => {
    const message = parseKernelMessage({ type: 'status', ...TRACKED });
    expect(message).toEqual({ type: 'status', ...TRACKED });
    expect(parseKernelMessage({ type: 'status', tracked: false })).toEqual({
      type: 'status',
      tracked: false
    });
  });

  it('parses a save request', () => {
    expect(parseKernelMessage({ type: 'save_request', request_id: 'r-1' })).toEqual({
      type: 'save_request',
      request_id: 'r-1'
    });
  });

  it('ignores unknown or malformed messages', () => {
    expect(parseKernelMessage(null)).toBeNull();
    expect(parseKernelMessage('status')).toBeNull();
    expect(parseKernelMessage({ type: 'other' })).toBeNull();
    expect(parseKernelMessage({ type: 'save_request' })).toBeNull();
    expect(parseKernelMessage({ type: 'status', tracked: true })).toBeNull();
  });

  it('fills defaults in a notebook-state answer', () => {
    const state = parseNotebookState({
      tracked: true,
      transform: { uid: 't', key: 'k' },
      run: { uid: 'r' }
    });
    expect(state).toEqual({
      tracked: true,
      transform: { uid: 't', key: 'k', version_tag: null },
      run: { uid: 'r', started_at: null, finished_at: null },
      n_inputs: 0,
      n_outputs: 0
    });
    expect(parseNotebookState({})).toBeNull();
  });
});
