// Issue 12: the shared objects a run makes live exactly as long as the run. A
// handle made in a run stays good while the run lasts, even when the object it
// came from is garbage-collected; when the run ends, all of it is freed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/coordinator/catalogue.js';
import { runScenario } from '../../src/coordinator/run-scenario.js';
import { Gil } from '../../src/gil/gil.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { Value } from '../../src/mp/value.js';
import { attach } from '../../src/attach.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { RunScope } from '../../src/shm/run-scope.js';
import { SharedWords } from '../../src/shm/shared-words.js';
import { Condition } from '../../src/sync/condition.js';
import { Lock } from '../../src/sync/lock.js';

const used = () => {
  const { liveAllocations, liveBytes } = defaultKernel().stats();
  return { liveAllocations, liveBytes };
};

/** Collects garbage a bounded number of rounds; finalizers run between tasks. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < 5; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('run scopes', () => {
  it('keep an object whose handle alone was kept until the run ends, then free everything it made', async () => {
    const before = used();
    const scope = new RunScope();
    const handles = scope.during(() => ({
      gil: new Gil().handle,
      condition: new Condition(new Lock()).handle,
      words: new SharedWords(4).handle,
      value: Value('i', 7).handle,
    }));
    await collectGarbage();
    // Without the scope, collecting the dropped Gil and Condition freed their regions here.
    expect(() => new Gil(handles.gil).take()).not.toThrow();
    expect(() => new Condition(handles.condition).close()).not.toThrow();
    expect(attach(handles.value).value).toBe(7);
    scope.end();
    expect(used()).toEqual(before);
    expect(() => new Condition(handles.condition)).toThrow(/freed|stale|no live region|outside the kernel/);
  });

  it('closes its objects at the end, so their views no longer reach the freed memory', () => {
    const scope = new RunScope();
    const value = scope.during(() => Value('i', 1));
    scope.end();
    expect(() => value.value).toThrow(/closed/);
  });

  it('unlinks a SharedMemory block the run created, and leaves one it only attached', () => {
    const outside = new SharedMemory({ create: true, size: 32 });
    const scope = new RunScope();
    const made = scope.during(() => {
      new SharedMemory({ name: outside.name });
      return new SharedMemory({ create: true, size: 32 }).name;
    });
    scope.end();
    expect(() => new SharedMemory({ name: made })).toThrow(/No such file/);
    const again = new SharedMemory({ name: outside.name });
    again.close();
    outside.close();
    outside.unlink();
  });

  it('counts nothing another task allocates while the run awaits', async () => {
    const scope = new RunScope();
    const during = scope.during(() => new Lock());
    const after = new Lock();
    scope.end();
    expect(() => during.acquire()).toThrow(/closed/);
    expect(after.acquire()).toBe(true);
    after.release();
    after.close();
  });
});

describe('scenario runs', () => {
  const scenarioFile = fileURLToPath(new URL('../../scenarios/lost-update.ts', import.meta.url));

  it('200 runs in one process: the kernel\'s used bytes return to their start after each scenario run', async () => {
    const { scenario, moduleUrl } = await loadScenario(scenarioFile);
    const before = used();
    for (let batch = 0; batch < 2; batch++) {
      const report = await runScenario({ scenario, moduleUrl, variant: 'all', overrides: { iterations: 100, repeat: 50, workers: 2 }, seed: batch });
      expect(report.variants.flatMap((variant) => variant.runs)).toHaveLength(100);
      expect(used()).toEqual(before);
    }
  }, 120_000);

  // lost-wakeup's racy workers sleep in Condition waits (a waiter slot each), the philosophers in Lock acquires.
  it.each(['lost-wakeup', 'deadlock-dining-philosophers'])('%s deadlocks: its workers\' waits are cancelled, the same threads run every run, and the used bytes return to their start', async (name) => {
    const { scenario, moduleUrl } = await loadScenario(name);
    const before = used();
    const report = await runScenario({ scenario, moduleUrl, variant: 'racy', overrides: { repeat: 3 }, seed: 5 });
    const runs = report.variants[0].runs;
    // Each racy run deadlocks (60 of 60 measured): one of the first two must, for a later run to show the threads kept.
    const deadlocked = runs.filter((run) => run.outcome === 'deadlock');
    expect(runs.slice(0, 2).some((run) => run.outcome === 'deadlock')).toBe(true);
    expect(deadlocked.every((run) => run.observed.endsWith('; their waits were cancelled'))).toBe(true);
    const threads = runs.map((run) => run.workers.map((worker) => worker.threadId));
    expect(threads[1]).toEqual(threads[0]);
    expect(threads[2]).toEqual(threads[0]);
    expect(used()).toEqual(before);
  }, 60_000);
});
