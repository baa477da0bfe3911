import { describe, expect, it } from 'vitest';

import { IValidationReport } from '../src/models';
import { DEFAULT_SETTINGS, normalizeSettings } from '../src/settings';
import {
  formatSuggestions,
  sortReports,
  statusLabel,
  summarizeReport,
  targetLabel,
  termsWithSuggestions
} from '../src/validation/summary';

const REPORT: IValidationReport = {
  id: 1,
  created_at: '2026-11-29T08:00:00Z',
  passed: false,
  artifact: 'ART',
  run: null,
  schema: 'SCH',
  slots: [
    {
      slot: 'obs',
      features: [
        {
          name: 'cell_type_by_expert',
          status: 'not_validated',
          n_values: 3,
          non_validated: ['CD8-pos alpha-beta T cell'],
          suggestions: {
            'CD8-pos alpha-beta T cell': [
              { value: 'T cell', score: 0.4 },
              { value: 'CD8-positive, alpha-beta T cell', score: 0.93 }
            ]
          }
        },
        {
          name: 'donor',
          status: 'validated',
          n_values: 3,
          non_validated: [],
          suggestions: {}
        }
      ]
    },
    {
      slot: 'var.T',
      features: [
        { name: 'ENSG', status: 'missing', n_values: 0, non_validated: [], suggestions: {} }
      ]
    }
  ]
};

describe('validation summaries', () => {
  it('counts features by status', () => {
    expect(summarizeReport(REPORT)).toEqual({
      features: 3,
      validated: 1,
      failing: 2,
      byStatus: { not_validated: 1, validated: 1, missing: 1 }
    });
  });

  it('lists non-validated terms with their best suggestions first', () => {
    expect(termsWithSuggestions(REPORT.slots[0].features[0])).toEqual([
      {
        term: 'CD8-pos alpha-beta T cell',
        suggestions: 'CD8-positive, alpha-beta T cell (0.93), T cell (0.40)'
      }
    ]);
    expect(formatSuggestions([])).toBe('');
  });

  it('labels statuses and targets', () => {
    expect(statusLabel('dtype_mismatch')).toBe('dtype mismatch');
    expect(targetLabel({ artifact: 'A' })).toBe('Artifact A');
    expect(targetLabel({ run: 'R' })).toBe('Run R');
  });

  it('sorts reports newest first', () => {
    const older = { ...REPORT, id: 0, created_at: '2026-01-01T00:00:00Z' };
    expect(sortReports([older, REPORT]).map(r => r.id)).toEqual([1, 0]);
  });
});

describe('settings', () => {
  it('uses defaults for missing or wrong values', () => {
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ page_size: 'many' })).toEqual(DEFAULT_SETTINGS);
  });

  it('clamps values into range', () => {
    expect(
      normalizeSettings({ page_size: 1000, lineage_depth: 0, auto_refresh_seconds: -5 })
    ).toEqual({ page_size: 200, lineage_depth: 1, auto_refresh_seconds: 0 });
    expect(
      normalizeSettings({ page_size: 20.7, lineage_depth: 4, auto_refresh_seconds: 30 })
    ).toEqual({ page_size: 20, lineage_depth: 4, auto_refresh_seconds: 30 });
  });
});
