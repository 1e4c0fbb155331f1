import { describe, expect, it } from 'vitest';
import { Condition } from '../../src/sync/condition.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { NotRecoverableError, OwnerDiedError } from '../../src/atomics/owner-died.js';
import { currentThreadId } from '../../src/atomics/thread-identity.js';
import { WorkerPool } from '../../src/harness/worker-pool.js';
import { workerModule } from '../helpers/worker-module.js';

const OPS = workerModule('stress-robust');

/** Runs `body` with a pool of `threads` workers, destroyed after it. */
async function withPool<T>(threads: number, body: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = new WorkerPool({ threads });
  try {
    return await body(pool);
  } finally {
    await pool.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a Lock whose owner died (robust mutex)', () => {
  it('is not touched by markOwnerDead for a thread that does not hold it', () => {
    const lock = new Lock();
    expect(lock.markOwnerDead(12345)).toBe(false);
    lock.acquire();
    expect(lock.markOwnerDead(currentThreadId + 1)).toBe(false);
    expect(lock.ownerDied).toBe(false);
    lock.release();
  });

  it('gives the next acquirer OwnerDiedError holding it; markConsistent makes it an ordinary lock again', async () => {
    await withPool(1, async (pool) => {
      for (const make of [() => new Lock(), () => new RLock()]) {
        const lock = make();
        const owner = await pool.run<number>(OPS, 'takeAndAbandon', [lock.handle]);
        expect(lock.ownerThreadId).toBe(owner);
        expect(lock.markOwnerDead(owner)).toBe(true);
        expect(lock.ownerDied).toBe(true);
        expect(() => lock.acquire()).toThrow(OwnerDiedError);
        expect(lock.isOwned()).toBe(true);
        lock.markConsistent();
        expect(lock.ownerDied).toBe(false);
        lock.release();
        expect(lock.locked()).toBe(false);
        expect(lock.acquire(false)).toBe(true);
        lock.release();
      }
    });
  });

  it('becomes unrecoverable when released without markConsistent: every later acquire throws NotRecoverableError', async () => {
    await withPool(1, async (pool) => {
      const lock = new Lock();
      lock.markOwnerDead(await pool.run<number>(OPS, 'takeAndAbandon', [lock.handle]));
      expect(() => lock.acquire(false)).toThrow(OwnerDiedError);
      lock.release();
      expect(() => lock.acquire()).toThrow(NotRecoverableError);
      expect(() => lock.acquire(true, 0.05)).toThrow(NotRecoverableError);
    });
  });

  it('wakes a worker blocked on it when it is marked, and that worker recovers it', async () => {
    await withPool(2, async (pool) => {
      const lock = new Lock();
      const owner = await pool.run<number>(OPS, 'takeAndAbandon', [lock.handle]);
      const flag = new SharedArrayBuffer(4);
      const waiter = pool.run<string>(OPS, 'acquireAndRecover', [lock.handle, flag]);
      while (Atomics.load(new Int32Array(flag), 0) === 0) await sleep(5);
      await sleep(100);
      expect(lock.markOwnerDead(owner)).toBe(true);
      expect(await waiter).toBe('owner-died');
      expect(lock.locked()).toBe(false);
    });
  });

  it('raises OwnerDiedError out of Condition.wait with the lock held, and the condition stays usable', async () => {
    await withPool(1, async (pool) => {
      const lock = new Lock();
      const condition = new Condition(lock);
      lock.acquire();
      // The main thread waits; a worker takes the lock, notifies, and "dies" holding it.
      const waiting = condition.waitAsync();
      const owner = await pool.run<number>(OPS, 'notifyAndAbandon', [condition.handle]);
      lock.markOwnerDead(owner);
      await expect(waiting).rejects.toThrow(OwnerDiedError);
      expect(lock.isOwned()).toBe(true);
      expect(condition.waiting).toBe(0);
      lock.markConsistent();
      expect(condition.wait(0.01)).toBe(false);
      lock.release();
    });
  });
});
