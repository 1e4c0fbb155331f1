/*
 * A thread that dies inside a wait must not hang the living (issue 10): workers
 * are terminated inside Condition.wait() and Barrier.wait(), and their deaths are
 * recorded by watchWorker (what WorkerPool, RpcWorker and the stress runner do
 * for their own threads).
 */
import { describe, expect, it } from 'vitest';
import { Barrier } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Lock } from '../../src/sync/lock.js';
import { watchWorker } from '../../src/harness/watch-worker.js';
import { resultOf, startUserWorker, terminated } from '../helpers/user-worker.js';
import { until } from './helpers.js';

/**
 * Resolves once `count` threads sleep in the condition's wait() and none holds its
 * lock: a thread terminated then dies asleep, not inside the primitive's bookkeeping.
 */
function asleep(condition: Condition, count: number): Promise<void> {
  return until(() => condition.waiting === count && !condition.lock.locked(), `${count} waiter(s) asleep`);
}

/** Rejects after ms: the bound on a wait that would hang without the fix. */
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms)));
  return Promise.race([promise, giveUp]).finally(() => clearTimeout(timer));
}

describe('a thread that dies inside a wait', () => {
  it('Condition.notify(1) skips a waiter terminated inside wait() and wakes the living one', async () => {
    const condition = new Condition(new Lock());
    const dying = watchWorker(startUserWorker('const c = m.attach(data.c); c.acquire(); c.wait();', { c: condition.handle }));
    await asleep(condition, 1);
    const living = startUserWorker('const c = m.attach(data.c); c.acquire(); const r = c.wait(15); c.release(); return r;', { c: condition.handle });
    const outcome = resultOf(living, 30_000);
    await asleep(condition, 2);
    await terminated(dying);
    condition.acquire();
    condition.notify(1);
    condition.release();
    // notified: true; a wake-up swallowed by the dead waiter would leave the living one to time out (false).
    expect(await outcome).toEqual({ result: true });
    expect(condition.waiting).toBe(0);
    await living.terminate();
  });

  it('a party terminated inside Barrier.wait() breaks the barrier for a party waiting with no timeout', async () => {
    const barrier = new Barrier(3);
    const dying = watchWorker(startUserWorker('m.attach(data.b).wait();', { b: barrier.handle }));
    await asleep(new Condition(barrier.handle.condition), 1);
    const waiting = barrier.waitAsync().then(
      () => 'released',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    await asleep(new Condition(barrier.handle.condition), 2);
    await terminated(dying);
    expect(await bounded(waiting, 10_000, 'the living party')).toBe('BrokenBarrierError: the barrier was broken: a party exited inside wait()');
    expect(barrier.broken).toBe(true);
    expect(() => barrier.wait()).toThrow(/broken/);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
  });

  it('a party that arrives after one died inside the round gets BrokenBarrierError at once', async () => {
    const barrier = new Barrier(2);
    const dying = watchWorker(startUserWorker('m.attach(data.b).wait();', { b: barrier.handle }));
    await asleep(new Condition(barrier.handle.condition), 1);
    await terminated(dying);
    expect(() => barrier.wait()).toThrow('the barrier was broken: a party exited inside wait()');
  });

  it('a Barrier wait honours its timeout while a round that lost an unwatched party never drains', async () => {
    const barrier = new Barrier(2);
    const dying = startUserWorker('m.attach(data.b).wait();', { b: barrier.handle }); // not watched: its death stays unknown
    await asleep(new Condition(barrier.handle.condition), 1);
    await terminated(dying);
    // The round fills and is released, but the dead party never leaves it: the barrier stays draining.
    expect(await bounded(barrier.waitAsync(5), 10_000, 'the round with the dead party')).toBe(1);
    const next = barrier.waitAsync(0.5).then(
      () => 'released',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(await bounded(next, 10_000, 'a wait with timeout 0.5 s on a barrier that never drains')).toBe(
      'BrokenBarrierError: the barrier was broken by a wait that timed out',
    );
  });
});
