/*
 * The schedule explorer on real workers and real shared memory: witnesses,
 * minimality, exact replay, verification of fixed variants, deadlocks with their
 * wait-for cycle. Every exploration is bounded (--schedules and --time), so none
 * can hang a test.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/coordinator/catalogue.js';
import { exploreVariant, type ExploreOptions } from '../../src/explorer/explore.js';
import { parseScheduleId } from '../../src/explorer/schedule-id.js';
import { exploredParams, exploreWorkers } from '../../src/explorer/run-adapter.js';

const BOUNDS = { schedules: 20_000, seconds: 50 };

/** The variant as `memplay explore` sizes it: the scenario's exploreParams, then workers and iterations. */
async function target(name: string, variant: string, workers = 2, iterations = 2) {
  const loaded = await loadScenario(name);
  return { ...loaded, variant, params: exploredParams(loaded.scenario, { workers, iterations }, variant), seed: 0 };
}

/** The 12 race scenarios (the GIL and memory scenarios are not explorable). */
const RACE_SCENARIOS = [
  'lost-update', 'synchronized-value-trap', 'check-then-act', 'array-sum', 'torn-read', 'producer-consumer',
  'lost-wakeup', 'deadlock-dining-philosophers', 'double-init', 'barrier-phases', 'mmap-ipc', 'readers-writers',
];
const FIXED_VARIANTS = await Promise.all(
  RACE_SCENARIOS.map(async (name) => Object.keys((await loadScenario(name)).scenario.variants).filter((variant) => variant !== 'racy').map((variant) => [name, variant] as const)),
);

function dfs(preemptions: number, extra: Partial<ExploreOptions> = {}): ExploreOptions {
  return { strategy: 'dfs', preemptions, depth: 3, ...BOUNDS, ...extra };
}

describe('memplay explore: lost-update', () => {
  it('gives a witness of exactly 2 workers, and no schedule of the same outcome is shorter', async () => {
    const lostUpdate = await target('lost-update', 'racy', 2, 1);
    const lengths: number[] = [];
    const exploration = await exploreVariant(lostUpdate, dfs(2, { observe: (execution, outcome) => outcome === 'counter<2' && lengths.push(execution.steps.length) }));
    const lost = exploration.outcomes.find((summary) => summary.outcome === 'counter<2')!;
    expect(lost.classification).toBe('INTERESTING');
    const witness = lost.witness!;
    expect(new Set(witness.rows.map((row) => row.worker))).toEqual(new Set([0, 1]));
    // Both read 0 before either writes: the interleaving of Python's `counter.value += 1` that loses one.
    expect(witness.rows.map((row) => row.operation)).toEqual(['read counter.value -> 0', 'read counter.value -> 0', 'counter.value = 1, returns', 'counter.value = 1, returns']);
    expect(witness.steps).toBe(Math.min(...lengths));
    // Exhaustive without a preemption bound: still no shorter schedule loses an update.
    const unbounded: number[] = [];
    await exploreVariant(lostUpdate, dfs(10, { observe: (execution, outcome) => outcome === 'counter<2' && unbounded.push(execution.steps.length) }));
    expect(Math.min(...unbounded)).toBe(witness.steps);
    expect(witness.preemptions).toBe(1);
  });

  it('replays a witness by its id 100 times out of 100, with the same outcome', async () => {
    const lostUpdate = await target('lost-update', 'racy');
    const found = await exploreVariant(lostUpdate, dfs(2));
    const witness = found.outcomes.find((summary) => summary.classification !== 'ACCEPTABLE')!.witness!;
    const id = parseScheduleId(witness.id);
    const replayed = await exploreVariant(lostUpdate, dfs(2, { replay: id.choices, replayTimes: 100 }));
    expect(replayed.outcomes.map((o) => [o.outcome, o.count])).toEqual([[found.outcomes.find((o) => o.witness?.id === witness.id)!.outcome, 100]]);
    expect(replayed.outcomes[0].witness!.rows).toEqual(witness.rows);
  });
});

describe('memplay explore: mmap operations are scheduling points', () => {
  it('finds mmap-ipc racy\'s partial message, a read of the mapping between two writes, and replays it', async () => {
    const mmapIpc = await target('mmap-ipc', 'racy');
    const found = await exploreVariant(mmapIpc, dfs(2));
    const partial = found.outcomes.find((summary) => summary.outcome === 'partial-message')!;
    expect(partial.classification).toBe('INTERESTING');
    const rows = partial.witness!.rows;
    const firstRead = rows.findIndex((row) => row.operation.startsWith('read mm[0:4096]'));
    expect(firstRead).toBeGreaterThan(0);
    // The reader copies the mapping while the writer is half way through a message: a write of it comes before and after.
    expect(rows.slice(0, firstRead).some((row) => row.worker === 0 && row.operation.startsWith('mm.write('))).toBe(true);
    expect(rows.slice(firstRead).some((row) => row.worker === 0 && row.operation.startsWith('mm.write('))).toBe(true);
    expect(partial.witness!.preemptions).toBe(1);
    const replayed = await exploreVariant(mmapIpc, dfs(2, { replay: parseScheduleId(partial.witness!.id).choices, replayTimes: 5 }));
    expect(replayed.outcomes.map((o) => [o.outcome, o.count])).toEqual([['partial-message', 5]]);
  });
});

describe('memplay explore: producer-consumer racy', () => {
  it('explores with its own 3 workers by default, and two consumers inside the busy flag together lose and duplicate an item within 2 preemptions', async () => {
    const loaded = await loadScenario('producer-consumer');
    expect(exploreWorkers(loaded.scenario, 'racy')).toBe(3);
    expect(exploreWorkers(loaded.scenario, 'fixed')).toBe(2);
    const racy = await target('producer-consumer', 'racy', exploreWorkers(loaded.scenario, 'racy'));
    const found = await exploreVariant(racy, dfs(2, { schedules: 400 }));
    const broken = found.outcomes.find((summary) => summary.outcome === 'lost-or-duplicated')!;
    expect(broken.classification).toBe('INTERESTING');
    expect(broken.witness!.preemptions).toBeLessThanOrEqual(2);
    const replayed = await exploreVariant(racy, dfs(2, { replay: parseScheduleId(broken.witness!.id).choices }));
    expect(replayed.outcomes.map((o) => o.outcome)).toEqual(['lost-or-duplicated']);
  });
});

describe('memplay explore: every fixed variant of the 12 race scenarios is verified at K=2', () => {
  it('has the 12 scenarios, each with a racy variant and at least one fix', () => {
    expect(FIXED_VARIANTS.map((fixes) => fixes.length > 0)).toEqual(RACE_SCENARIOS.map(() => true));
  });
  for (const [scenario, variant] of FIXED_VARIANTS.flat()) {
    it(`${scenario} / ${variant}`, async () => {
      const exploration = await exploreVariant(await target(scenario, variant), dfs(2));
      expect(exploration.cutShort).toBeNull();
      expect(exploration.complete).toBe(true);
      expect(exploration.verified).toBe(true);
      expect(exploration.outcomes.every((o) => o.classification === 'ACCEPTABLE')).toBe(true);
      expect(exploration.schedules).toBeGreaterThan(1);
    });
  }
});

describe('memplay explore: deadlocks', () => {
  it('reports the dining philosophers deadlock with its wait-for cycle, and the exploration ends', async () => {
    const exploration = await exploreVariant(await target('deadlock-dining-philosophers', 'racy'), dfs(2));
    const deadlock = exploration.outcomes.find((summary) => summary.outcome === 'deadlock')!;
    const hang = deadlock.witness!.hang!;
    expect([...hang.cycle].sort()).toEqual([0, 1]);
    expect(hang.cycleText).toMatch(/worker 0 -> worker 1 -> worker 0|worker 1 -> worker 0 -> worker 1/);
    expect(hang.waits).toHaveLength(2);
    for (const line of hang.waits) expect(line).toMatch(/holds forks\[\d\]; waits in forks\[\d\]\.acquire\(\), held by worker \d/);
    // The crew went on after each deadlock: other schedules finished.
    expect(exploration.outcomes.map((summary) => summary.outcome)).toContain("all-ate");
  });

  it('reports the lost wakeup as a deadlock: a wait nobody left will wake', async () => {
    const exploration = await exploreVariant(await target('lost-wakeup', 'racy'), dfs(1));
    const hang = exploration.outcomes.find((summary) => summary.outcome === 'deadlock')!.witness!.hang!;
    expect(hang.waits.join('\n')).toMatch(/waits in \w+\.wait\(\), and nobody left will wake it/);
  });
});

describe('memplay explore: other strategies', () => {
  it('pct and random find the lost update, and say they verify nothing', async () => {
    for (const strategy of ['pct', 'random'] as const) {
      const exploration = await exploreVariant(await target('lost-update', 'racy'), { strategy, preemptions: 2, depth: 2, schedules: 200, seconds: 30 });
      expect(exploration.outcomes.some((o) => o.outcome === 'counter<4')).toBe(true);
      expect(exploration.verified).toBe(false);
      if (strategy === 'pct') expect(exploration.pct!.probability).toBeGreaterThan(0);
    }
  });
});
