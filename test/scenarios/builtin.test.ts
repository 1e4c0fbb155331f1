import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS, loadScenario } from '../../src/coordinator/catalogue.js';
import type { BaseParams } from '../../src/coordinator/define-scenario.js';
import { runScenario } from '../../src/coordinator/run-scenario.js';

/**
 * Small parameters for the fixed variants. The racy variants run with their
 * defaults, which are sized to show the race even on a busy two-core machine
 * (a smaller run may finish inside one time slice and never overlap).
 */
const SMALL: Record<(typeof BUILT_IN_SCENARIOS)[number], Partial<BaseParams>> = {
  'lost-update': { iterations: 50_000 },
  'synchronized-value-trap': { iterations: 20_000 },
  'check-then-act': { iterations: 5_000 },
  'array-sum': { iterations: 5_000 },
  'torn-read': { iterations: 50_000 },
  'producer-consumer': { iterations: 500 },
  'lost-wakeup': {},
  'deadlock-dining-philosophers': { iterations: 10 },
  'double-init': { iterations: 50 },
  'barrier-phases': { iterations: 50 },
  'mmap-ipc': { iterations: 5_000 },
  'readers-writers': {},
};

/** Rounds of racy runs (3 runs each) within which the bug must show. */
const RACY_ROUNDS = 3;

describe.each(BUILT_IN_SCENARIOS)('built-in scenario %s', (name) => {
  it('racy shows its INTERESTING outcome within a bounded number of runs, and nothing FORBIDDEN', async () => {
    const { scenario, moduleUrl } = await loadScenario(name);
    const classifications: string[] = [];
    for (let round = 0; round < RACY_ROUNDS && !classifications.includes('INTERESTING'); round++) {
      const report = await runScenario({ scenario, moduleUrl, variant: 'racy', overrides: { repeat: 3 }, seed: 7 + round });
      classifications.push(...report.variants[0].runs.map((run) => run.classification));
    }
    expect(classifications).toContain('INTERESTING');
    expect(classifications).not.toContain('FORBIDDEN');
  });

  it('every fixed variant is never FORBIDDEN', async () => {
    const { scenario, moduleUrl } = await loadScenario(name);
    const fixes = Object.keys(scenario.variants).filter((variant) => variant !== 'racy');
    expect(fixes.length).toBeGreaterThanOrEqual(1);
    const report = await runScenario({ scenario, moduleUrl, variant: fixes, overrides: { ...SMALL[name], repeat: 2 }, seed: 11 });
    for (const variant of report.variants) {
      expect(variant.runs).toHaveLength(2);
      for (const run of variant.runs) expect({ variant: variant.name, outcome: run.outcome, classification: run.classification }).toMatchObject({ classification: 'ACCEPTABLE' });
    }
    expect(report.forbidden).toBe(false);
  });
});
