import { describe, expect, it } from 'vitest';

import { recordQueryParams } from '../src/api';
import { IRegistry } from '../src/models';
import {
  columnChoices,
  defaultColumns,
  describeFilter,
  featureFilter,
  formatCell,
  isSameOriginUrl,
  labelFilter,
  nextSort,
  pageCount,
  parseFilter,
  recordGetCode,
  sortDirection
} from '../src/registry/helpers';

const ARTIFACT: IRegistry = {
  name: 'Artifact',
  module: 'core',
  count: 3,
  fields: [
    { name: 'id', type: 'int', relation: null },
    { name: 'uid', type: 'str', relation: null },
    { name: 'key', type: 'str', relation: null },
    { name: 'description', type: 'str', relation: null },
    { name: 'size', type: 'int', relation: null },
    { name: 'run_id', type: 'int', relation: 'Run' },
    { name: 'ulabels', type: 'm2m', relation: 'ULabel' },
    { name: 'created_at', type: 'datetime', relation: null }
  ]
};

describe('record code', () => {
  it('is ln.<Registry>.get("<uid>") for core registries', () => {
    expect(recordGetCode('Artifact', 'abc0000')).toBe('ln.Artifact.get("abc0000")');
  });

  it('is bt.<Registry>.get for bionty registries', () => {
    expect(recordGetCode('CellType', 'x1', 'bionty')).toBe('bt.CellType.get("x1")');
  });

  it('quotes the uid as a string literal', () => {
    expect(recordGetCode('Artifact', 'a"b\\c')).toBe('ln.Artifact.get("a\\"b\\\\c")');
  });
});

describe('table helpers', () => {
  it('formats cells as plain text', () => {
    expect(formatCell(null)).toBe('');
    expect(formatCell(undefined)).toBe('');
    expect(formatCell(1.5)).toBe('1.5');
    expect(formatCell(false)).toBe('false');
    expect(formatCell('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(formatCell({ a: [1] })).toBe('{"a":[1]}');
  });

  it('cycles sort: ascending, descending, none', () => {
    expect(nextSort(undefined, 'size')).toBe('size');
    expect(nextSort('size', 'size')).toBe('-size');
    expect(nextSort('-size', 'size')).toBeUndefined();
    expect(nextSort('-key', 'size')).toBe('size');
    expect(sortDirection('-size', 'size')).toBe('desc');
    expect(sortDirection('size', 'size')).toBe('asc');
    expect(sortDirection('key', 'size')).toBeNull();
  });

  it('offers plain and *_id fields as columns, not many-to-many relations', () => {
    expect(columnChoices(ARTIFACT)).toEqual([
      'id',
      'uid',
      'key',
      'description',
      'size',
      'run_id',
      'created_at'
    ]);
  });

  it('picks few default columns for the narrow sidebar, the key first and no uid', () => {
    expect(defaultColumns(ARTIFACT)).toEqual(['key', 'size']);
    const label = {
      ...ARTIFACT,
      name: 'ULabel',
      fields: [
        { name: 'uid', type: 'str' },
        { name: 'name', type: 'str' },
        { name: 'created_at', type: 'datetime' }
      ]
    } as typeof ARTIFACT;
    expect(defaultColumns(label)).toEqual(['name', 'created_at']);
  });

  it('counts pages', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
  });
});

describe('filters', () => {
  it('builds a label filter from a comma list', () => {
    expect(labelFilter(' A, B ,,')).toEqual({
      field: 'ulabels__name',
      lookup: 'in',
      value: ['A', 'B']
    });
    expect(labelFilter('  ')).toBeNull();
  });

  it('builds a feature filter', () => {
    expect(featureFilter('temperature', 'gt', ' 21.5 ')).toEqual({
      field: 'temperature',
      lookup: 'gt',
      value: '21.5'
    });
    expect(featureFilter('cell_type', 'in', 'T cell,B cell')).toEqual({
      field: 'cell_type',
      lookup: 'in',
      value: ['T cell', 'B cell']
    });
    expect(featureFilter('', 'exact', 'x')).toBeNull();
    expect(featureFilter('a:b', 'exact', 'x')).toBeNull();
  });

  it('parses typed field:lookup:value, keeping colons in the value', () => {
    expect(parseFilter('key:startswith:s3://bucket')).toEqual({
      field: 'key',
      lookup: 'startswith',
      value: 's3://bucket'
    });
    expect(parseFilter('ulabels__name:in:A,B')).toEqual({
      field: 'ulabels__name',
      lookup: 'in',
      value: ['A', 'B']
    });
    expect(parseFilter('key:bogus:x')).toBeNull();
    expect(parseFilter('key')).toBeNull();
  });

  it('serialises filters into repeated filter params', () => {
    const filters = [labelFilter('A,B'), featureFilter('temperature', 'exact', '21.6')].filter(
      f => f !== null
    );
    expect(recordQueryParams({ filters }).filter).toEqual([
      'ulabels__name:in:A,B',
      'temperature:exact:21.6'
    ]);
    expect(describeFilter(filters[0])).toBe('ulabels__name in A, B');
  });
});

describe('same-origin URLs', () => {
  const origin = 'http://127.0.0.1:8888';
  it('accepts paths and same-origin URLs', () => {
    expect(isSameOriginUrl('/lamin/api/artifacts/a/file', origin)).toBe(true);
    expect(isSameOriginUrl('http://127.0.0.1:8888/x', origin)).toBe(true);
  });

  it('refuses other origins and schemes', () => {
    expect(isSameOriginUrl('//evil.example/x', origin)).toBe(false);
    expect(isSameOriginUrl('https://evil.example/x', origin)).toBe(false);
    expect(isSameOriginUrl('javascript:alert(1)', origin)).toBe(false);
  });
});
