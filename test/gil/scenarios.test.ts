import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/coordinator/catalogue.js';
import type { BaseParams } from '../../src/coordinator/define-scenario.js';
import { runScenario } from '../../src/coordinator/run-scenario.js';

const file = (name: string) => fileURLToPath(new URL(`../../scenarios/${name}.ts`, import.meta.url));

interface Case {
  name: string;
  /** Variants that must show their bug (INTERESTING) within a bounded number of runs. */
  racy: string[];
  /** Variants that must never show it. */
  fixed: string[];
  /** Smaller runs for the fixed variants. */
  small: Partial<BaseParams>;
}

const CASES: Case[] = [
  { name: 'gil-not-a-lock', racy: ['racy', 'no-gil'], fixed: ['fixed'], small: { iterations: 300_000 } },
  { name: 'refcount-race', racy: ['racy'], fixed: ['fixed', 'atomic'], small: { iterations: 500_000 } },
  { name: 'allocator-race', racy: ['racy'], fixed: ['fixed', 'per-thread-heaps'], small: { iterations: 200_000 } },
];

/** Rounds of racy runs (3 runs each) within which the bug must show. */
const RACY_ROUNDS = 4;

describe.each(CASES)('GIL scenario $name', ({ name, racy, fixed, small }) => {
  it.each(racy)('%s shows its bug within a bounded number of runs, and nothing FORBIDDEN', async (variant) => {
    const { scenario, moduleUrl } = await loadScenario(file(name));
    const classifications: string[] = [];
    const texts: string[] = [];
    for (let round = 0; round < RACY_ROUNDS && !classifications.includes('INTERESTING'); round++) {
      const report = await runScenario({ scenario, moduleUrl, variant, overrides: { repeat: 3 }, seed: 3 + round });
      classifications.push(...report.variants[0].runs.map((run) => run.classification));
      texts.push(...report.variants[0].runs.flatMap((run) => [run.observed, run.expected ?? '']));
    }
    expect(classifications).toContain('INTERESTING');
    expect(classifications).not.toContain('FORBIDDEN');
    // What the learner reads is in Python's and pymalloc's words, not the model's internals.
    for (const text of texts) expect(text).not.toMatch(/live object of this heap|live blocks/);
  });

  it('its fixed variants never show it', async () => {
    const { scenario, moduleUrl } = await loadScenario(file(name));
    expect(Object.keys(scenario.variants).sort()).toEqual([...racy, ...fixed].sort());
    const report = await runScenario({ scenario, moduleUrl, variant: fixed, overrides: { ...small, repeat: 3 }, seed: 5 });
    for (const variant of report.variants) {
      expect(variant.runs).toHaveLength(3);
      for (const run of variant.runs) expect({ variant: variant.name, outcome: run.outcome, classification: run.classification }).toMatchObject({ classification: 'ACCEPTABLE' });
    }
    expect(report.forbidden).toBe(false);
  });
});
