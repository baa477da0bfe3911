// @vitest-environment jsdom
/** Registry text is rendered as text; tables and trees read well. */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { MappingRows, mappingNote } from '../src/common/diff';
import { DescribeView } from '../src/common/DescribeView';
import { LineageGraph } from '../src/lineage/LineageGraph';
import { RunTable } from '../src/common/RunTable';
import { IRecordPage, IRunSummary } from '../src/models';
import { PagedPreviewTable, PreviewTable } from '../src/pages/artifact/PreviewPanel';
import { pageOffset, previewPager } from '../src/pages/artifact/previewPaging';
import { DiffView } from '../src/pages/artifact/VersionPanel';
import { RecordTable } from '../src/registry/RecordTable';
import { RerunButton } from '../src/rerun/RerunButton';
import { isNoInstance, NoInstance } from '../src/sidebar/SidebarView';
import { node } from './lineageNodes';

const XSS = '<img src=x onerror=alert(1)>';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

function page(overrides: Partial<IRecordPage> = {}): IRecordPage {
  return {
    registry: 'Artifact',
    page: 1,
    page_size: 50,
    total: 1,
    columns: ['uid', 'key', 'description', 'size', 'created_at'],
    records: [
      {
        id: 1,
        uid: 'u1',
        key: 'data/a.parquet',
        description: XSS,
        size: 1536000,
        created_at: '2026-01-02T03:04:05+00:00'
      }
    ],
    ...overrides
  };
}

const table = (p: IRecordPage): string =>
  renderToStaticMarkup(
    <RecordTable
      page={p}
      sort={undefined}
      onSort={() => undefined}
      onOpen={() => undefined}
      onPage={() => undefined}
    />
  );

describe('the record table', () => {
  it('escapes markup in cells', () => {
    const html = table(page());
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('data-testid="lk-record-row"');
    expect(html).toContain('data-uid="u1"');
  });

  it('puts uid last and humanizes sizes and times with the exact value on hover', () => {
    const html = table(page());
    const headers = [...html.matchAll(/data-testid="lk-sort-([a-z_]+)"/g)].map(m => m[1]);
    expect(headers).toEqual(['key', 'description', 'size', 'created_at', 'uid']);
    expect(html).toContain('>1.54 MB<');
    expect(html).toContain('title="1,536,000 bytes"');
    expect(html).toMatch(
      /title="2026-01-02 \d\d:\d\d:05 UTC[+-]\d\d:\d\d \(2026-01-02T03:04:05\+00:00\)"/
    );
  });

  it('says "No records" instead of "0–-1 of 0"', () => {
    const html = table(page({ total: 0, records: [] }));
    expect(html).toContain('No records');
    expect(html).not.toContain('–-1');
  });

  it('offers a page jump when there are several pages', () => {
    expect(table(page({ total: 500 }))).toContain('data-testid="lk-page-jump"');
    expect(table(page())).not.toContain('data-testid="lk-page-jump"');
  });
});

describe('describe trees', () => {
  const tree = {
    title: 'Artifact: data/a.parquet',
    description: XSS,
    fields: [
      ['uid', 'u1'],
      ['key', XSS]
    ],
    sections: [{ title: 'Labels', rows: [['.ulabels', 'ULabel', XSS]], children: [] }]
  };

  it('render as a tree of sections, not as JSON', () => {
    const html = renderToStaticMarkup(<DescribeView value={tree} />);
    expect(html).toContain('Artifact: data/a.parquet');
    expect(html).toContain('<summary class="lk-DescribeTitle">Labels</summary>');
    expect(html).not.toMatch(/"title"|"sections"|"rows"/);
  });

  it('escape markup', () => {
    const html = renderToStaticMarkup(<DescribeView value={tree} />);
    expect(html).not.toContain('<img');
    expect(html.match(/&lt;img/g)?.length).toBe(3);
  });
});

describe('runs and diffs', () => {
  const run: IRunSummary = {
    uid: 'RUN1abcdefghijkl',
    name: null,
    status: 'failed',
    error: XSS,
    started_at: '2026-01-02T03:04:05+00:00',
    finished_at: '2026-01-02T03:05:20+00:00',
    duration_s: 75,
    created_by: 'alice',
    params: { lr: 0.1, name: XSS },
    n_inputs: 2,
    n_outputs: 1,
    has_report: false,
    transform: { uid: 'T1', key: 'train.py', version_tag: null }
  };

  it('show status, duration, user, params and counts', () => {
    const html = renderToStaticMarkup(<RunTable runs={[run]} onOpen={() => undefined} />);
    expect(html).toContain('lk-status-failed');
    expect(html).toContain('1 min 15 s');
    expect(html).toContain('alice');
    expect(html).toContain('lr=0.1');
    expect(html).not.toContain('<img');
  });

  it('mark added and removed columns and changed fields', () => {
    const html = renderToStaticMarkup(
      <DiffView
        diff={{
          old: 'A0000',
          new: 'A0001',
          same_content: false,
          fields: [{ name: 'size', old: 1000, new: 2000000 }],
          columns: { added: ['c'], removed: ['b'], kept: ['a'] },
          schema: { added: [], removed: [], kept: [] },
          labels: { ulabels: { added: [XSS], removed: [], kept: [] } },
          features: []
        }}
      />
    );
    expect(html).toContain('1.00 KB');
    expect(html).toContain('2.00 MB');
    expect(html).toContain('+ c');
    expect(html).toContain('− b');
    expect(html).not.toContain('<img');
  });
});

describe('the preview table', () => {
  it('pages rows at hand in place with icon buttons, not text glyphs', () => {
    const rows = Array.from({ length: 45 }, (_, i) => [`s${i}`, i]);
    const markup = renderToStaticMarkup(
      <PreviewTable table={{ columns: ['sample', 'value'], rows }} testid="lk-preview" />
    );
    const doc = new DOMParser().parseFromString(markup, 'text/html');
    expect(doc.querySelectorAll('tbody tr')).toHaveLength(20);
    expect(doc.querySelector('[data-testid="lk-preview-range"]')?.textContent).toBe(
      'rows 1–20 of the first 45'
    );
    // JupyterLab's toolbar buttons (their icons are drawn on mount), no glyphs of text
    const buttons = ['first', 'prev', 'next', 'last'].map(
      name => `[data-testid="lk-preview-${name}"]`
    );
    expect(doc.querySelectorAll(buttons.join(', '))).toHaveLength(4);
    expect(doc.querySelector('[data-testid="lk-preview-jump"]')).not.toBeNull();
    expect(markup).not.toMatch(/[‹›«»]/);
  });

  it('shows the page the server sent, with the humane range of the whole table', () => {
    const page = {
      columns: ['n'],
      rows: Array.from({ length: 20 }, (_, i) => [40 + i]),
      offset: 40,
      total: 1234567,
      more: true
    };
    const markup = renderToStaticMarkup(
      <PagedPreviewTable uid="a1" first={page} testid="lk-preview" />
    );
    const doc = new DOMParser().parseFromString(markup, 'text/html');
    expect(doc.querySelectorAll('tbody tr')).toHaveLength(20);
    expect(doc.querySelector('tbody td')?.textContent).toBe('40');
    expect(doc.querySelector('[data-testid="lk-preview-range"]')?.textContent).toBe(
      'rows 41–60 of 1,234,567'
    );
    expect(doc.querySelector('[data-testid="lk-preview-jump"]')?.getAttribute('aria-label')).toBe(
      'Go to page (1 to 61729)'
    );
  });
});

describe('the preview pager', () => {
  it('knows the page, the page count and the moves from the total', () => {
    expect(previewPager(40, 20, 20, 1234567, true)).toEqual({
      page: 3,
      pages: 61729,
      canPrevious: true,
      canNext: true,
      canLast: true,
      text: 'rows 41–60 of 1,234,567'
    });
    const last = previewPager(1234560, 20, 7, 1234567, false);
    expect([last.page, last.canNext, last.canLast, last.canPrevious]).toEqual([
      61729,
      false,
      false,
      true
    ]);
    expect(last.text).toBe('rows 1,234,561–1,234,567 of 1,234,567');
    const first = previewPager(0, 20, 20, 45, true);
    expect([first.canPrevious, first.canLast, first.pages]).toEqual([false, true, 3]);
  });

  it('says when the total is unknown, and learns it at the end', () => {
    const csv = previewPager(20, 20, 20, null, true);
    expect(csv.pages).toBeNull();
    expect(csv.canLast).toBe(false);
    expect(csv.canNext).toBe(true);
    expect(csv.text).toBe('rows 21–40 of an unknown number (not counted in this file)');
    const end = previewPager(40, 20, 5, null, false);
    expect([end.pages, end.text]).toEqual([3, 'rows 41–45 of 45']);
  });

  it('says what is there beyond the end, and for an empty table', () => {
    expect(previewPager(2000, 20, 0, 1000, false).text).toBe(
      'No rows from row 2,001: the table has 1,000'
    );
    expect(previewPager(2000, 20, 0, null, false).text).toBe(
      'No rows from row 2,001: the table ends before'
    );
    expect(previewPager(0, 20, 0, 0, false).text).toBe('No rows');
  });

  it('turns a page into an offset within the known pages', () => {
    expect(pageOffset(3, 20, 10)).toBe(40);
    expect(pageOffset(99, 20, 10)).toBe(180);
    expect(pageOffset(0, 20, 10)).toBe(0);
    expect(pageOffset(500, 20, null)).toBe(9980);
  });
});

describe('diff rows (run diff, environment diff)', () => {
  const part = {
    added: { scipy: '1.1' },
    removed: { numpy: '1.0' },
    changed: { pandas: ['2.2', '2.3'] as [string, string] },
    n_same: 4
  };
  it('mark each row with its sign and show before → after', () => {
    const doc = new DOMParser().parseFromString(
      `<table><tbody>${renderToStaticMarkup(<MappingRows part={part} testid="pkg" />)}</tbody></table>`,
      'text/html'
    );
    const rows = Array.from(doc.querySelectorAll('tr[data-testid="pkg"]'));
    expect(
      rows.map(r => [r.getAttribute('data-change'), r.querySelector('th')?.textContent])
    ).toEqual([
      ['+', 'scipy'],
      ['-', 'numpy'],
      ['~', 'pandas']
    ]);
    expect(rows[2].textContent).toContain('2.2 → 2.3');
  });
  it('say how many are the same', () => {
    expect(mappingNote(part)).toBe('(4 the same)');
    expect(mappingNote({ added: {}, removed: {}, changed: {}, n_same: 3 })).toBe(
      '(all 3 the same)'
    );
    expect(mappingNote({ added: {}, removed: {}, changed: {}, n_same: 0 })).toBe('(none)');
  });
});

describe('lineage graphs', () => {
  it('each draw their arrowheads and badges from ids of their own', () => {
    const graph = {
      nodes: [
        node('run', 'r1', 'Run'),
        { ...node('artifact', 'a1', 'Artifact'), upstream_changed: true }
      ],
      edges: [{ source: 'run:r1', target: 'artifact:a1' }]
    };
    const draw = (): string =>
      renderToStaticMarkup(
        <LineageGraph graph={graph} rootId={null} visible={true} onOpen={() => undefined} />
      );
    const doc = new DOMParser().parseFromString(
      `<!doctype html><body>${draw()}${draw()}</body>`,
      'text/html'
    );
    const svgs = Array.from(doc.querySelectorAll('svg.lk-LineageSvg'));
    expect(svgs).toHaveLength(2);
    const ids = Array.from(doc.querySelectorAll('[id]')).map(el => el.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const svg of svgs) {
      const edge = svg.querySelector('path.lk-LineageEdge') as Element;
      const arrow = /^url\(#(.+)\)$/.exec(edge.getAttribute('marker-end') ?? '')?.[1];
      expect(arrow && svg.querySelector(`marker[id="${arrow}"]`)).toBeTruthy();
      const badge = svg.querySelector('use.lk-StaleBadge')?.getAttribute('href') ?? '';
      expect(svg.querySelector(`symbol[id="${badge.slice(1)}"]`)).toBeTruthy();
    }
  });
});

describe('the no-instance state', () => {
  const html = (message: string): string =>
    renderToStaticMarkup(<NoInstance message={message} onCreated={() => undefined} />);

  it("does not repeat the server's terminal hint, which names another folder", () => {
    const shown = html('no instance is set up; create one with: lamin init --storage ./mydata');
    expect(shown).toContain('No Lamin instance yet');
    expect(shown).not.toContain('./mydata');
    expect(shown).toContain('lamin init --storage ./lamin-data');
  });

  it("is chosen by the error's class, not by words in its message", () => {
    expect(isNoInstance('InstanceNotSetupError')).toBe(true);
    // a 404 whose message happens to say "instance" is not a missing instance
    expect(isNoInstance('DoesNotExist')).toBe(false);
    expect(isNoInstance('HTTPError')).toBe(false);
    expect(isNoInstance(null)).toBe(false);
  });

  it('shows any other reason, such as a LaminDB instance in the folder', () => {
    const reason =
      '/data holds a LaminDB instance, which lamin_kernel does not open; create a new one with: lamin init --storage OTHER_DIR';
    expect(html(reason)).toContain(reason);
  });
});

describe('the rerun buttons', () => {
  const html = (running: boolean, disabled: boolean, accept?: boolean): string =>
    renderToStaticMarkup(
      <RerunButton
        label="Rerun stale"
        runningLabel="Rerunning…"
        running={running}
        disabled={disabled}
        onClick={() => undefined}
        testid="lk-upstream-run"
        title="Rerun what is stale"
        accept={accept}
      />
    );

  it('shows the running label only while its own job runs, disabled while any runs', () => {
    expect(html(false, false)).toContain('>Rerun stale<');
    expect(html(false, false)).not.toContain('disabled');
    expect(html(false, true)).toContain('>Rerun stale<'); // the other button's job runs
    expect(html(false, true)).toContain('disabled=""');
    expect(html(true, true)).toContain('>Rerunning…<');
  });

  it('marks the primary action and keeps its test id and title', () => {
    expect(html(false, false, true)).toContain('class="jp-Button jp-mod-styled jp-mod-accept"');
    expect(html(false, false)).toContain('class="jp-Button jp-mod-styled"');
    expect(html(false, false)).toContain('data-testid="lk-upstream-run"');
    expect(html(false, false)).toContain('title="Rerun what is stale"');
  });
});

it('never uses dangerouslySetInnerHTML or innerHTML in the sources', () => {
  const root = join(__dirname, '..', 'src');
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    expect(text, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML/);
  }
});
