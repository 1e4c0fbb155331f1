// The memory-management scenarios (recursion-limit, cycle-leak, pool-fragmentation, small-int-identity), run by the
// coordinator on real worker threads with small parameters: the problem variant shows its INTERESTING outcome (the
// figure CPython gives, from the fixture), every other variant is never FORBIDDEN, and workers that disagree are.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/coordinator/catalogue.js';
import type { BaseParams } from '../../src/coordinator/define-scenario.js';
import { classify } from '../../src/coordinator/outcome.js';
import { outcomesOf } from '../../src/coordinator/run-variant.js';
import { resolveParams, runScenario, type ScenarioReport } from '../../src/coordinator/run-scenario.js';
import { PyHeap } from '../../src/pymem/heap.js';
import { START_POOLS } from '../../scenarios/pool-fragmentation.js';
import { expectUsageError, memplay } from '../helpers/cli.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/cpython-3.11.json', import.meta.url), 'utf8'));

interface Case {
  name: string;
  small: Partial<BaseParams>;
  /** The variant that shows the effect (not a race: its outcome is INTERESTING, printed AS CPYTHON DOES). */
  shows: string;
  /** The INTERESTING outcome of that variant with `small`, as CPython's figures give it. */
  racy: string;
  /** The outcome each other variant must give with `small`. */
  others: Record<string, string>;
}

// A recursive function called from module level: the fixture's count was taken framesBelowFirstCall frames deep.
const moduleLevelCalls = fixture.recursion.deepestCall + fixture.recursion.framesBelowFirstCall - 1;

const CASES: Case[] = [
  {
    name: 'recursion-limit',
    shows: 'recursive',
    small: { iterations: 1500 },
    racy: `RecursionError@${moduleLevelCalls}`,
    others: { fixed: 'depth=1500', raised: 'depth=1500' },
  },
  {
    name: 'cycle-leak',
    shows: 'gc-disabled',
    small: { iterations: 400 },
    racy: 'leaked=800',
    others: { fixed: `collected=${400 * fixture.gc.twoInstances}`, 'break-cycle': 'leaked=0', thresholds: 'garbage<=1400' },
  },
  {
    // 70 000 floats: 138 pools of 510, with the fresh heap's own pool 139 of 64 per arena: 3 arenas.
    name: 'pool-fragmentation',
    shows: 'scattered',
    small: { iterations: 70_000 },
    racy: 'arenas=3',
    others: { fixed: 'arenas=2', 'free-all': 'arenas=1' },
  },
  {
    name: 'small-int-identity',
    shows: 'identity',
    small: { iterations: 10 },
    racy: `is@${fixture.identity.smallIntMin}..${fixture.identity.smallIntMax}`,
    others: { fixed: '==@all', strings: 'is@interned-only', immutable: 'TypeError' },
  },
];

describe.each(CASES)('memory scenario $name', ({ name, small, shows, racy, others }) => {
  // One coordinator run of every variant (three workers, two runs each): starting workers that load the
  // TypeScript sources is what takes the time, so both checks below read the same report.
  let report: ScenarioReport;
  beforeAll(async () => {
    const { scenario, moduleUrl } = await loadScenario(name);
    expect(Object.keys(scenario.variants).sort()).toEqual([shows, ...Object.keys(others)].sort());
    report = await runScenario({ scenario, moduleUrl, overrides: { ...small, workers: 3, repeat: 2 }, seed: 5 });
  });
  const runsOf = (variant: string) => report.variants.find((v) => v.name === variant)!.runs;

  it('the first variant shows its INTERESTING outcome with the figures CPython gives, the same in every worker', () => {
    expect(runsOf(shows)).toHaveLength(2);
    for (const run of runsOf(shows)) {
      expect({ outcome: run.outcome, classification: run.classification, observed: run.observed }).toMatchObject({ outcome: racy, classification: 'INTERESTING' });
      expect(run.observed).toContain('all 3 workers');
    }
  });

  it('every other variant gives its expected outcome and is never FORBIDDEN', () => {
    for (const [variant, outcome] of Object.entries(others)) {
      expect(runsOf(variant)).toHaveLength(2);
      for (const run of runsOf(variant)) {
        expect({ variant, outcome: run.outcome, observed: run.observed }).toMatchObject({ variant, outcome });
        expect(run.classification).not.toBe('FORBIDDEN');
      }
    }
    expect(report.forbidden).toBe(false);
  });
});

describe('the memory scenarios judge the model', () => {
  it('workers whose heaps gave different results are FORBIDDEN (the model must be deterministic)', async () => {
    const { scenario } = await loadScenario('small-int-identity');
    const params = resolveParams(scenario, { workers: 2 }, 'identity');
    const shared = scenario.setup(params, () => 0);
    try {
      const results = [
        { key: 'is@-5..256', observed: 'as CPython' },
        { key: 'is@-5..255', observed: 'one short' },
      ];
      const judgement = scenario.judge!({ shared, results, params });
      expect(judgement.outcome).toBe('workers-disagree');
      expect(classify(outcomesOf(scenario.variants.identity, params), judgement.outcome).classification).toBe('FORBIDDEN');
    } finally {
      scenario.teardown!(shared);
    }
  });

  it('an arena count other than obmalloc\'s arithmetic is FORBIDDEN', async () => {
    const { scenario } = await loadScenario('pool-fragmentation');
    const params = resolveParams(scenario, { iterations: 70_000 }, 'scattered');
    const classification = (variant: string, key: string) => classify(outcomesOf(scenario.variants[variant], params), key).classification;
    expect(classification('scattered', 'arenas=3')).toBe('INTERESTING');
    expect(classification('scattered', 'arenas=2')).toBe('FORBIDDEN');
    expect(classification('free-all', 'arenas=3')).toBe('FORBIDDEN');
  });

  it('the arena arithmetic starts from what a fresh model heap uses', () => {
    const heap = new PyHeap({ capacity: 4096, maxArenas: 8 });
    try {
      const stats = heap.mallocStats();
      expect(stats.arenasAllocatedCurrent).toBe(1);
      expect(stats.classes.reduce((sum, c) => sum + c.pools, 0)).toBe(START_POOLS);
    } finally {
      heap.destroy();
    }
  });
});

describe('memplay list and memplay run (the built CLI)', () => {
  it('lists the four memory scenarios with their variants', () => {
    const { status, stdout } = memplay(['list', '--json']);
    expect(status).toBe(0);
    const listed: { name: string; variants: string[] }[] = JSON.parse(stdout).scenarios;
    for (const { name, shows, others } of CASES) {
      expect(listed.find((scenario) => scenario.name === name)?.variants.sort()).toEqual([shows, ...Object.keys(others)].sort());
    }
  });

  it.each(CASES.map((c) => [c.name, c.shows]))('memplay run %s shows the problem, nothing FORBIDDEN, exit 0', (name, shows) => {
    const { status, stdout, stderr } = memplay(['run', name, '--repeat', '1', '--json']);
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const report = JSON.parse(stdout);
    expect(report.forbidden).toBe(false);
    expect(report.variants.find((variant: { name: string }) => variant.name === shows).runs[0].classification).toBe('INTERESTING');
    expect(report.vocabulary).toEqual({ INTERESTING: 'AS CPYTHON DOES' });
  });

  it('a demonstration that is not a race speaks in its own words, not of races', () => {
    const { status, stdout } = memplay(['run', 'recursion-limit', '--repeat', '1']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^recursive: /m);
    expect(stdout).toContain('AS CPYTHON DOES');
    expect(stdout).not.toMatch(/INTERESTING|racy/);
    expect(stdout.replace(/\s+/g, ' ')).toContain('verdict: recursive: 1/1 AS CPYTHON DOES; fixed: 1/1 ACCEPTABLE; raised: 1/1 ACCEPTABLE');
  });

  it('an unknown variant is one line on stderr and exit 2', () => {
    expect(expectUsageError(memplay(['run', 'cycle-leak', '--variant', 'leaky']))).toContain("has no variant 'leaky'");
  });
});
