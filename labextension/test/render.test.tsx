/** Registry text is rendered as text: markup in a description never becomes HTML. */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { JSONTree } from '../src/registry/DescribeTree';
import { RecordTable } from '../src/registry/RecordTable';

const XSS = '<img src=x onerror=alert(1)>';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

describe('rendering registry text', () => {
  it('escapes markup in table cells', () => {
    const html = renderToStaticMarkup(
      <RecordTable
        page={{
          registry: 'Artifact',
          page: 1,
          page_size: 50,
          total: 1,
          columns: ['uid', 'description'],
          records: [{ id: 1, uid: 'u1', description: XSS }]
        }}
        sort={undefined}
        onSort={() => undefined}
        onOpen={() => undefined}
        onPage={() => undefined}
      />
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('data-testid="lk-record-row"');
    expect(html).toContain('data-uid="u1"');
  });

  it('escapes markup in describe trees', () => {
    const html = renderToStaticMarkup(
      <JSONTree value={{ label: XSS, children: [{ [XSS]: XSS }, 'plain'] }} />
    );
    expect(html).not.toContain('<img');
    expect(html.match(/&lt;img/g)).toHaveLength(3);
  });

  it('never uses dangerouslySetInnerHTML or innerHTML in the sources', () => {
    const root = join(__dirname, '..', 'src');
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML/);
    }
  });
});
