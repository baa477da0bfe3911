import { describe, expect, it } from 'vitest';

import { environmentSummary } from '../src/rerun/environment';

describe('environmentSummary', () => {
  it('lists changed, added and removed packages like lamin rerun', () => {
    const summary = environmentSummary({
      recorded: 'environment',
      added: { typer: '0.12' },
      removed: { gone: '1.0' },
      changed: { pandas: ['2.1.0', '2.2.3'] },
      n_same: 10
    });
    expect(summary.heading).toBe(
      "Packages that differ from the run's environment (1 changed, 1 added, 1 removed):"
    );
    expect(summary.lines).toEqual(['~ pandas: 2.1.0 → 2.2.3', '+ typer==0.12', '- gone==1.0']);
  });

  it('says when nothing differs and when nothing was stored', () => {
    const same = { added: {}, removed: {}, changed: {}, n_same: 3 };
    expect(environmentSummary({ ...same, recorded: 'imported' }).heading).toBe(
      'Same imported packages as the run (3 packages).'
    );
    expect(environmentSummary({ ...same, recorded: null }).lines).toEqual([]);
  });
});
