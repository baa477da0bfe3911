// @vitest-environment jsdom
/** The table preview's paging state, mounted: each move asks the server for that page. */
import React, { act } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';

import { PagedPreviewTable } from '../src/pages/artifact/PreviewPanel';
import { IPreviewPage } from '../src/models';
import { fakeServer, jsonResponse, params } from './fakeServer';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TOTAL = 1234;

/** The page of a 1,234-row table from `offset`, as the server answers it. */
function tablePage(offset: number, rows = 20): IPreviewPage {
  const end = Math.min(TOTAL, offset + rows);
  const values = Array.from({ length: Math.max(0, end - offset) }, (_, i) => [offset + i]);
  return { columns: ['n'], rows: values, offset, total: TOTAL, more: end < TOTAL };
}

let root: Root | null = null;
let host: HTMLElement | null = null;

afterEach(() => {
  act(() => root?.unmount());
  host?.remove();
  root = host = null;
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 0));
    });
  }
}

function mount() {
  const server = fakeServer(request => {
    const offset = Number(request.url.searchParams.get('offset') ?? '0');
    const rows = Number(request.url.searchParams.get('rows') ?? '20');
    return jsonResponse({ kind: 'table', ...tablePage(offset, rows) });
  });
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() =>
    root!.render(
      <PagedPreviewTable
        uid="A1"
        first={tablePage(0)}
        testid="lk-preview"
        settings={server.settings}
      />
    )
  );
  const view = host;
  const range = () => view.querySelector('[data-testid="lk-preview-range"]')?.textContent;
  const firstCell = () => view.querySelector('tbody td')?.textContent;
  const press = async (name: string) => {
    const button = view.querySelector(`[data-testid="lk-preview-${name}"]`) as HTMLElement;
    act(() => button.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    await settle();
  };
  const offsets = () =>
    server.requests.map(r => params(r.url).find(([name]) => name === 'offset')?.[1] ?? '0');
  return { view, range, firstCell, press, offsets };
}

describe('the paged table preview', () => {
  it('fetches the next, last, previous and first pages from the server', async () => {
    const table = mount();
    expect(table.range()).toBe('rows 1–20 of 1,234');
    expect(table.offsets()).toEqual([]); // the first page came with the preview
    await table.press('next');
    expect(table.range()).toBe('rows 21–40 of 1,234');
    expect(table.firstCell()).toBe('20');
    await table.press('last');
    expect(table.range()).toBe('rows 1,221–1,234 of 1,234');
    expect(table.view.querySelectorAll('tbody tr')).toHaveLength(14);
    await table.press('prev');
    expect(table.range()).toBe('rows 1,201–1,220 of 1,234');
    await table.press('first');
    expect(table.range()).toBe('rows 1–20 of 1,234');
    expect(table.offsets()).toEqual(['20', '1220', '1200', '0']);
  });

  it('jumps to a page typed in the box, and no further than the last', async () => {
    const table = mount();
    const input = table.view.querySelector('[data-testid="lk-preview-jump"]') as HTMLInputElement;
    const type = async (text: string) => {
      act(() => {
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        setter.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      act(() => {
        input.form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      });
      await settle();
    };
    await type('31');
    expect(table.range()).toBe('rows 601–620 of 1,234');
    expect(table.firstCell()).toBe('600');
    await type('999');
    expect(table.range()).toBe('rows 1,221–1,234 of 1,234');
    expect(table.offsets()).toEqual(['600', '1220']);
  });
});
