/*
 * A hang report names a lock's owner that can no longer release it (issue 10):
 * a worker that returned holding it, or a thread that has exited.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeAbandonedLocks } from '../../src/coordinator/abandoned-locks.js';
import { loadScenario } from '../../src/coordinator/catalogue.js';
import { runScenario } from '../../src/coordinator/run-scenario.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { watchWorker } from '../../src/harness/watch-worker.js';
import { resultOf, startUserWorker, terminated } from '../helpers/user-worker.js';

describe('abandoned locks in hang reports', () => {
  it('a deadlock report says the lock is held by a worker that has returned', async () => {
    const { scenario, moduleUrl } = await loadScenario(fileURLToPath(new URL('../workers/coordinator-abandoned-lock.ts', import.meta.url)));
    const report = await runScenario({ scenario, moduleUrl, variant: 'racy', overrides: {}, seed: 1 });
    const [run] = report.variants[0].runs;
    expect(run.outcome).toBe('deadlock');
    const owner = run.workers[1].threadId;
    expect(run.hang?.waits).toEqual([`Lock door is held by worker 1 (thread ${owner}), which has returned`]);
  });

  it('names a lock whose owner thread has exited, and leaves free and live-held locks to the scenario', async () => {
    const shared = { door: new Lock(), nested: { locks: [new RLock(), new Lock()] } };
    shared.nested.locks[1].acquire(); // held by this (living) thread: not abandoned
    const holder = watchWorker(startUserWorker('m.attach(data.lock).acquire(); return true;', { lock: shared.nested.locks[0].handle }));
    expect(await resultOf(holder)).toEqual({ result: true });
    const owner = holder.threadId;
    await terminated(holder);
    expect(describeAbandonedLocks(shared, [])).toEqual([`RLock nested.locks[0] is held by thread ${owner}, which has exited`]);
    shared.nested.locks[1].release();
  });
});
