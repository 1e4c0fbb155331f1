import { describe, expect, it } from 'vitest';
import { RuntimeError, ValueError } from '../../src/errors.js';
import { Lock } from '../../src/sync/lock.js';
import { runTasks, sharedCounters, sleep, withPool } from './helpers.js';

describe('Lock', () => {
  it('has two states, and refuses a second acquire without blocking', () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    expect(lock.acquire()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(lock.ownerThreadId).toBe(0);
    expect(lock.acquire(false)).toBe(false);
    expect(lock.acquire(true, 0)).toBe(false);
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(lock.ownerThreadId).toBe(null);
  });

  it('raises what Python raises for bad arguments and for releasing an unlocked lock', () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(RuntimeError);
    expect(() => lock.acquire(false, 1)).toThrow(ValueError);
    expect(() => lock.acquire(false, 0)).toThrow(ValueError);
    expect(() => lock.acquire(true, -2)).toThrow(ValueError);
    expect(() => lock.acquire(true, Number.NaN)).toThrow(new ValueError('Invalid value NaN (not a number)')); // CPython 3.11's words
    expect(lock.locked()).toBe(false); // the argument checks come before the lock is touched
    expect(lock.acquire(false, -1)).toBe(true);
    lock.release();
  });

  it('times out after roughly the timeout', () => {
    const lock = new Lock();
    lock.acquire();
    const start = performance.now();
    expect(lock.acquire(true, 0.15)).toBe(false);
    const waited = performance.now() - start;
    expect(waited).toBeGreaterThanOrEqual(145);
    expect(waited).toBeLessThan(2_000);
    lock.release();
  });

  it('keeps 4 workers mutually excluded, so no increment is lost', async () => {
    const lock = new Lock();
    const { shared, counters } = sharedCounters();
    const iterations = 20_000;
    const threadIds = await withPool(4, (pool) => runTasks<number>(pool, 'incrementUnder', Array.from({ length: 4 }, () => [lock.handle, shared, iterations])));
    expect(new Set(threadIds).size).toBe(4);
    expect(counters[2]).toBe(4 * iterations);
    expect(counters[3]).toBe(0);
    expect(counters[1]).toBe(1);
    expect(lock.locked()).toBe(false);
  });

  it('may be released by a thread that did not acquire it', async () => {
    const lock = new Lock();
    lock.acquire();
    await withPool(1, async (pool) => {
      expect(await runTasks<string>(pool, 'releaseForeign', [[lock.handle]])).toEqual(['ok']);
      expect(lock.locked()).toBe(false);
      expect(await runTasks<string>(pool, 'releaseForeign', [[lock.handle]])).toEqual(['RuntimeError']);
    });
  });

  it('times out in a worker while the main thread holds it, and is taken once it is released', async () => {
    const lock = new Lock();
    lock.acquire();
    await withPool(1, async (pool) => {
      const [[taken, waited]] = await runTasks<[boolean, number]>(pool, 'tryLockFor', [[lock.handle, 0.2]]);
      expect(taken).toBe(false);
      expect(waited).toBeGreaterThanOrEqual(0.19);
      const later = runTasks<[boolean, number]>(pool, 'tryLockFor', [[lock.handle, 20]]);
      await sleep(100);
      lock.release();
      expect((await later)[0][0]).toBe(true);
    });
  });

  it('acquireAsync waits without blocking the event loop', async () => {
    const lock = new Lock();
    lock.acquire();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    setTimeout(() => lock.release(), 80);
    expect(await lock.acquireAsync(10)).toBe(true);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(await lock.acquireAsync(0.05)).toBe(false);
    await expect(lock.acquireAsync(-5)).rejects.toThrow(ValueError);
    lock.release();
  });

  it('hold() holds it to the end of a using block, exceptions included', () => {
    const lock = new Lock();
    {
      using _ = lock.hold();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    expect(() => {
      using _ = lock.hold();
      throw new Error('boom');
    }).toThrow('boom');
    expect(lock.locked()).toBe(false);
  });

  it('is the same lock when attached from its handle', () => {
    const lock = new Lock();
    const twin = Lock.attach(lock.handle);
    lock.acquire();
    expect(twin.locked()).toBe(true);
    expect(twin.acquire(false)).toBe(false);
    twin.release();
    expect(lock.locked()).toBe(false);
  });
});
