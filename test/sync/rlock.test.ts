import { describe, expect, it } from 'vitest';
import { RuntimeError, ValueError } from '../../src/errors.js';
import { RLock } from '../../src/sync/rlock.js';
import { runTasks, sharedCounters, withPool } from './helpers.js';

describe('RLock', () => {
  it('is reentrant for its owner and counts the depth', () => {
    const rlock = new RLock();
    expect(rlock.acquire()).toBe(true);
    expect(rlock.acquire(false)).toBe(true);
    expect(rlock.acquire(true, 0)).toBe(true);
    expect(rlock.depth).toBe(3);
    expect(rlock.ownerThreadId).toBe(0);
    rlock.release();
    rlock.release();
    expect(rlock.locked()).toBe(true);
    rlock.release();
    expect(rlock.locked()).toBe(false);
    expect(rlock.depth).toBe(0);
  });

  it('raises what Python raises', () => {
    const rlock = new RLock();
    expect(() => rlock.release()).toThrow(RuntimeError);
    expect(() => rlock.acquire(false, 2)).toThrow(ValueError);
    expect(() => rlock.acquire(true, -0.5)).toThrow(ValueError);
    rlock.acquire();
    expect(() => rlock.acquire(false, 2)).toThrow(ValueError); // checked even when the owner re-enters
    expect(rlock.depth).toBe(1);
    rlock.release();
  });

  it('refuses a release by a thread that does not own it', async () => {
    const rlock = new RLock();
    rlock.acquire();
    await withPool(1, async (pool) => {
      expect(await runTasks<string>(pool, 'releaseForeign', [[rlock.handle]])).toEqual(['RuntimeError']);
      expect(rlock.isOwned()).toBe(true);
      const [[taken]] = await runTasks<[boolean, number]>(pool, 'tryLockFor', [[rlock.handle, 0.05]]);
      expect(taken).toBe(false);
    });
    rlock.release();
  });

  it('keeps 4 workers mutually excluded and reentrant at once', async () => {
    const rlock = new RLock();
    const { shared, counters } = sharedCounters();
    await withPool(4, async (pool) => {
      await runTasks(pool, 'incrementUnder', Array.from({ length: 4 }, () => [rlock.handle, shared, 10_000]));
      const depths = await runTasks<number[]>(pool, 'reenter', Array.from({ length: 4 }, () => [rlock.handle, 5, 500]));
      expect(depths.flat().every((depth) => depth === 5)).toBe(true);
    });
    expect(counters[2]).toBe(40_000);
    expect(counters[3]).toBe(0);
    expect(rlock.locked()).toBe(false);
  });

  it('acquireAsync re-enters at once for its owner and waits for others', async () => {
    const rlock = new RLock();
    rlock.acquire();
    expect(await rlock.acquireAsync()).toBe(true);
    expect(rlock.depth).toBe(2);
    rlock.release();
    rlock.release();
    expect(await rlock.acquireAsync(1)).toBe(true);
    rlock.release();
  });

  it('hold() nests', () => {
    const rlock = new RLock();
    {
      using _outer = rlock.hold();
      {
        using _inner = rlock.hold();
        expect(rlock.depth).toBe(2);
      }
      expect(rlock.depth).toBe(1);
    }
    expect(rlock.locked()).toBe(false);
  });
});
