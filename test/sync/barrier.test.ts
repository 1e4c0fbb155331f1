import { describe, expect, it } from 'vitest';
import { BrokenBarrierError, RuntimeError, ValueError } from '../../src/errors.js';
import { Barrier } from '../../src/sync/barrier.js';
import type { WorkerPool } from '../../src/harness/worker-pool.js';
import { runTasks, sharedCounters, until, withPool } from './helpers.js';

const STARTED = 4;

/** Starts 2 workers waiting on a 3-party barrier, and resolves once both are inside wait(). */
async function twoWaitingParties(pool: WorkerPool, barrier: Barrier): Promise<{ outcomes: Promise<(number | string)[]> }> {
  const { shared, counters } = sharedCounters();
  const outcomes = runTasks<number | string>(pool, 'barrierWaitOnce', [
    [barrier.handle, shared, null],
    [barrier.handle, shared, null],
  ]);
  await until(() => Atomics.load(counters, STARTED) === 2 && barrier.nWaiting === 2, 'two waiting parties');
  return { outcomes }; // wrapped: an async function would otherwise wait for the outcomes themselves
}

describe('Barrier', () => {
  it('refuses parties < 1, and a 1-party barrier never waits', () => {
    expect(() => new Barrier(0)).toThrow(ValueError);
    expect(() => new Barrier(-3)).toThrow(ValueError);
    const alone = new Barrier(1);
    expect([alone.wait(), alone.wait()]).toEqual([0, 0]);
    expect(alone.parties).toBe(1);
    expect(alone.nWaiting).toBe(0);
    expect(alone.broken).toBe(false);
  });

  it('gives each of 4 workers a distinct index in every one of 200 rounds', async () => {
    const barrier = new Barrier(4);
    const rounds = 200;
    const indexes = await withPool(4, (pool) => runTasks<number[]>(pool, 'barrierRounds', Array.from({ length: 4 }, () => [barrier.handle, rounds, 30])));
    for (let round = 0; round < rounds; round++) {
      expect(indexes.map((perWorker) => perWorker[round]).sort()).toEqual([0, 1, 2, 3]);
    }
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
  });

  it('a wait that times out breaks the barrier for everyone, until reset()', async () => {
    const barrier = new Barrier(3);
    const { shared } = sharedCounters();
    await withPool(2, async (pool) => {
      const outcomes = await runTasks<number | string>(pool, 'barrierWaitOnce', [
        [barrier.handle, shared, 0.2],
        [barrier.handle, shared, 30],
      ]);
      expect(outcomes).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
      expect(barrier.broken).toBe(true);
      expect(() => barrier.wait()).toThrow(BrokenBarrierError);
      barrier.reset();
      expect(barrier.broken).toBe(false);
      const again = runTasks<number | string>(pool, 'barrierWaitOnce', [
        [barrier.handle, shared, 30],
        [barrier.handle, shared, 30],
      ]);
      const mine = await barrier.waitAsync(30);
      expect([mine, ...(await again)].sort()).toEqual([0, 1, 2]);
    });
  });

  it('abort() throws BrokenBarrierError into every waiter', async () => {
    const barrier = new Barrier(3);
    await withPool(2, async (pool) => {
      const { outcomes } = await twoWaitingParties(pool, barrier);
      barrier.abort();
      expect(await outcomes).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
      expect(barrier.broken).toBe(true);
      expect(barrier.nWaiting).toBe(0);
    });
    expect(new BrokenBarrierError('x')).toBeInstanceOf(RuntimeError);
  });

  it('reset() interrupts the waiters of the round in progress, and the barrier works again after', async () => {
    const barrier = new Barrier(3);
    await withPool(2, async (pool) => {
      const { outcomes } = await twoWaitingParties(pool, barrier);
      barrier.reset();
      expect(await outcomes).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
      expect(barrier.broken).toBe(false);
      const rounds = runTasks<number[]>(pool, 'barrierRounds', [
        [barrier.handle, 3, 30],
        [barrier.handle, 3, 30],
      ]);
      const mine = [await barrier.waitAsync(30), await barrier.waitAsync(30), await barrier.waitAsync(30)];
      const workers = await rounds;
      for (let round = 0; round < 3; round++) expect([mine[round], workers[0][round], workers[1][round]].sort()).toEqual([0, 1, 2]);
    });
  });

  it('uses its default timeout when wait() is given none', () => {
    const barrier = new Barrier(2, { timeout: 0.1 });
    const start = performance.now();
    expect(() => barrier.wait()).toThrow(BrokenBarrierError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
    expect(barrier.broken).toBe(true);
  });

  it('runs the action once per round, before anyone is released; a throwing action breaks it', async () => {
    let actions = 0;
    const seenByParties: number[] = [];
    const barrier = new Barrier(3, { action: () => actions++ });
    for (let round = 1; round <= 3; round++) {
      const party = async () => {
        const index = await barrier.waitAsync(30);
        seenByParties.push(actions);
        return index;
      };
      expect((await Promise.all([party(), party(), party()])).sort()).toEqual([0, 1, 2]);
      expect(actions).toBe(round);
    }
    expect(seenByParties).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const failing = new Barrier(1, {
      action: () => {
        throw new Error('action failed');
      },
    });
    expect(() => failing.wait()).toThrow('action failed');
    expect(failing.broken).toBe(true);
  });
});
