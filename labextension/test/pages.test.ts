// @vitest-environment jsdom
/** Pure logic of the pages: targets and links, formats, the compare figure, run I/O. */
import { describe, expect, it } from 'vitest';

import {
  cellText,
  exactTime,
  humanDuration,
  humanSize,
  humanTime,
  rangeText
} from '../src/common/format';
import { IRunSummary } from '../src/models';
import {
  numericDimensions,
  parcoordsData,
  parcoordsFigure,
  scatterData
} from '../src/pages/compare/figure';
import { relationTitle } from '../src/pages/record/RecordPage';
import { runInputsOutputs } from '../src/pages/run/RunPage';
import { pageId, parseLaminLink, parseTarget, targetArgs } from '../src/pages/target';

describe('page targets', () => {
  it('round-trip through the restorer arguments', () => {
    for (const target of [
      { view: 'record' as const, registry: 'Artifact', uid: 'abc123' },
      { view: 'lineage' as const, registry: 'Run', uid: 'r1' },
      { view: 'compare' as const, transform: 't1', runs: ['a', 'b'] }
    ]) {
      expect(parseTarget(targetArgs(target))).toEqual(target);
    }
  });

  it('refuse anything that is not a registry and a uid', () => {
    expect(parseTarget({ registry: 'Artifact', uid: '../x' })).toBeNull();
    expect(parseTarget({ registry: '1bad', uid: 'abc' })).toBeNull();
    expect(parseTarget({ view: 'other', registry: 'Artifact', uid: 'abc' })).toBeNull();
    expect(parseTarget({ view: 'compare', transform: 'a/b' })).toBeNull();
  });

  it('have one page id per record and view', () => {
    expect(pageId({ view: 'record', registry: 'Artifact', uid: 'x' })).not.toEqual(
      pageId({ view: 'lineage', registry: 'Artifact', uid: 'x' })
    );
  });

  it('parse lamin: links from Markdown', () => {
    expect(parseLaminLink('lamin:Artifact/abc123')).toEqual({
      view: 'record',
      registry: 'Artifact',
      uid: 'abc123'
    });
    expect(parseLaminLink('lamin://lineage/Run/r1')).toEqual({
      view: 'lineage',
      registry: 'Run',
      uid: 'r1'
    });
    expect(parseLaminLink('lamin:Artifact/abc/../../x')).toBeNull();
    expect(parseLaminLink('javascript:alert(1)')).toBeNull();
  });
});

describe('formats', () => {
  it('humanize sizes', () => {
    expect(humanSize(0)).toBe('0 B');
    expect(humanSize(999)).toBe('999 B');
    expect(humanSize(1500)).toBe('1.50 KB');
    expect(humanSize(123_456_789)).toBe('123 MB');
    expect(humanSize(null)).toBeNull();
  });

  it('humanize times relative to now', () => {
    const now = new Date(2026, 5, 15, 12, 0, 0);
    const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
    expect(humanTime(ago(5), now)).toBe('just now');
    expect(humanTime(ago(300), now)).toBe('5 min ago');
    expect(humanTime(ago(3 * 3600), now)).toBe('3 h ago');
    expect(humanTime(new Date(2026, 5, 14, 9, 30).toISOString(), now)).toBe('yesterday 09:30');
    expect(humanTime(new Date(2026, 1, 3, 9, 30).toISOString(), now)).toBe('3 Feb 09:30');
    expect(humanTime(new Date(2024, 1, 3).toISOString(), now)).toBe('3 Feb 2024');
    expect(humanTime('not a time', now)).toBeNull();
    expect(exactTime('2026-01-02T03:04:05+00:00')).toContain('(2026-01-02T03:04:05+00:00)');
  });

  it('humanize durations', () => {
    expect(humanDuration(0.42)).toBe('0.4 s');
    expect(humanDuration(75)).toBe('1 min 15 s');
    expect(humanDuration(7384)).toBe('2 h 3 min');
    expect(humanDuration(null)).toBeNull();
  });

  it('pick the humanizer by column', () => {
    expect(cellText('size', 2048)).toEqual({ text: '2.05 KB', title: '2,048 bytes' });
    expect(cellText('is_latest', true).text).toBe('yes');
    expect(cellText('key', 'a/b').title).toBe('a/b');
  });

  it('never show a negative range', () => {
    expect(rangeText(1, 50, 0, 0)).toBe('No records');
    expect(rangeText(3, 50, 0, 20)).toBe('0 of 20');
    expect(rangeText(2, 50, 50, 1234)).toBe('51–100 of 1,234');
  });
});

function run(
  uid: string,
  params: IRunSummary['params'],
  features: IRunSummary['features'] = {}
): IRunSummary {
  return {
    uid,
    name: null,
    status: 'finished',
    error: null,
    started_at: null,
    finished_at: null,
    duration_s: null,
    created_by: null,
    params,
    features,
    n_inputs: 0,
    n_outputs: 0,
    has_report: false,
    transform: { uid: 't', key: 'k', version_tag: null }
  };
}

describe('the compare figure', () => {
  const runs = [
    run('a', { lr: 0.1, epochs: 3, tag: 'x', flag: true }, { accuracy: 0.8, lr: 1 }),
    run('b', { lr: 0.2, epochs: 5 }, { accuracy: 0.9, lr: 2, cell_type: 'T cell' }),
    run('c', { lr: 0.3 }, { accuracy: 0.7 })
  ];
  const colors = { text: '#000', grid: '#ddd', accent: '#00f', muted: '#999', background: '#fff' };

  it('plots params and feature values that are numbers in two runs or more', () => {
    const dimensions = numericDimensions(runs);
    expect(dimensions.map(d => d.id)).toEqual([
      'params.epochs',
      'params.lr',
      'features.accuracy',
      'features.lr'
    ]);
    // a feature named like a param says so
    expect(dimensions.map(d => d.label)).toEqual(['epochs', 'lr', 'accuracy', 'lr (feature)']);
  });

  it('marks the compared runs and skips runs without both values', () => {
    const [epochs, lr, accuracy] = numericDimensions(runs);
    const data = scatterData(runs, lr, epochs, ['b']);
    expect(data.uids).toEqual(['a', 'b']);
    expect(data.selected).toEqual([false, true]);
    expect(data.x).toEqual([0.1, 0.2]);
    expect(scatterData(runs, lr, accuracy, []).y).toEqual([0.8, 0.9, 0.7]);
  });

  it('draws one parallel-coordinates line per run that has every dimension', () => {
    const [, lr, accuracy] = numericDimensions(runs);
    const lines = parcoordsData(runs, [lr, accuracy], ['c']);
    expect(lines.uids).toEqual(['a', 'b', 'c']);
    expect(lines.selected).toEqual([0, 0, 1]);
    expect(lines.dimensions).toEqual([
      { label: 'lr', values: [0.1, 0.2, 0.3] },
      { label: 'accuracy', values: [0.8, 0.9, 0.7] }
    ]);
    const trace = parcoordsFigure(lines, colors).data[0] as { type: string; line: unknown };
    expect(trace.type).toBe('parcoords');
    expect(trace.line).toMatchObject({ color: [0, 0, 1], cmin: 0, cmax: 1 });
  });
});

describe('a run page', () => {
  it('reads inputs and outputs off the depth-1 lineage', () => {
    const graph = {
      nodes: [
        { id: 'run:R', kind: 'run', uid: 'R', label: 'r', registry: 'Run' },
        { id: 'artifact:I', kind: 'artifact', uid: 'I', label: 'in', registry: 'Artifact' },
        { id: 'artifact:O', kind: 'artifact', uid: 'O', label: 'out', registry: 'Artifact' },
        { id: 'transform:T', kind: 'transform', uid: 'T', label: 't', registry: 'Transform' }
      ],
      edges: [
        { source: 'artifact:I', target: 'run:R' },
        { source: 'run:R', target: 'artifact:O' },
        { source: 'transform:T', target: 'run:R' }
      ]
    };
    const io = runInputsOutputs(graph, 'R');
    expect(io.inputs.map(r => r.uid)).toEqual(['I']);
    expect(io.outputs.map(r => r.uid)).toEqual(['O']);
  });
});

describe('a record page', () => {
  it('titles related records by their relation, in words', () => {
    expect(relationTitle('input_of_runs')).toBe('Input of runs');
    expect(relationTitle('features')).toBe('Features');
  });
});
