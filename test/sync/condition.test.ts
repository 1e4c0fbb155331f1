import { describe, expect, it } from 'vitest';
import { RuntimeError, ValueError } from '../../src/errors.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { Condition } from '../../src/sync/condition.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { runTasks, sharedCounters, sleep, until, withPool } from './helpers.js';

const STARTED = 4;
const WOKEN = 5;

/** Waits (bounded) until `count` workers are asleep in the condition, reading its queue under its lock. */
async function waitersAsleep(condition: Condition, count: number): Promise<void> {
  await until(() => {
    expect(condition.acquire(true, 10)).toBe(true);
    const waiting = condition.waiting;
    condition.release();
    return waiting === count;
  }, `${count} waiters`);
}

/**
 * Allocates waiter-slot-sized regions until the kernel's buffer grows: no hole is
 * left below its old end, so the next such allocation (a waiter's new slot) lies
 * past the end of every view made before. Returns a function that frees them.
 */
function fillKernelUntilItGrows(): () => void {
  const kernel = defaultKernel();
  const before = kernel.buffer.byteLength;
  const taken: number[] = [];
  while (kernel.buffer.byteLength === before) taken.push(kernel.alloc(32));
  return () => taken.forEach((offset) => kernel.free(offset));
}

describe('Condition', () => {
  it('is built on a new RLock unless given a lock', () => {
    expect(new Condition().lock).toBeInstanceOf(RLock);
    const lock = new Lock();
    expect(new Condition(lock).lock).toBe(lock);
  });

  it('accepts a Lock from another copy of the lock module (as a scenario loaded through tsx has)', async () => {
    const copy = (await import('../../src/sync/lock.js?another-copy')) as typeof import('../../src/sync/lock.js');
    expect(copy.Lock).not.toBe(Lock);
    const foreign = new copy.Lock();
    const condition = new Condition(foreign);
    expect(condition.lock).toBe(foreign);
    using _ = condition.hold();
    expect(condition.wait(0)).toBe(false);
    expect(foreign.isOwned()).toBe(true);
  });

  it('refuses wait and notify without the lock', () => {
    for (const condition of [new Condition(), new Condition(new Lock())]) {
      expect(() => condition.wait(0)).toThrow(RuntimeError);
      expect(() => condition.notify()).toThrow(RuntimeError);
      expect(() => condition.notifyAll()).toThrow(RuntimeError);
      expect(() => condition.waitFor(() => false, 0)).toThrow(RuntimeError);
    }
  });

  it('wait on an RLock held 3 deep releases it fully and restores the depth', async () => {
    const condition = new Condition();
    const rlock = condition.lock as RLock;
    for (let i = 0; i < 3; i++) condition.acquire();
    const start = performance.now();
    expect(condition.wait(0.1)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
    expect(rlock.depth).toBe(3);
    await withPool(1, async (pool) => {
      const notifier = runTasks<number>(pool, 'notifyCondition', [[condition.handle, 1]]);
      expect(await condition.waitAsync(20)).toBe(true); // the worker could only notify because the RLock was free
      expect(await notifier).toEqual([1]);
    });
    expect(rlock.depth).toBe(3);
    expect(rlock.isOwned()).toBe(true);
    for (let i = 0; i < 3; i++) condition.release();
    expect(rlock.locked()).toBe(false);
  });

  it('notify(n) wakes exactly n of 4 waiting workers, notifyAll the rest', async () => {
    const condition = new Condition(new Lock());
    const { shared, counters } = sharedCounters();
    await withPool(4, async (pool) => {
      const waiters = runTasks<boolean>(pool, 'conditionWaiter', Array.from({ length: 4 }, () => [condition.handle, shared, 30]));
      await waitersAsleep(condition, 4);
      expect(condition.acquire(true, 10)).toBe(true);
      condition.notify(2);
      condition.release();
      await until(() => Atomics.load(counters, WOKEN) === 2, 'two wake-ups');
      await sleep(150);
      expect(Atomics.load(counters, WOKEN)).toBe(2);
      await waitersAsleep(condition, 2);
      expect(condition.acquire(true, 10)).toBe(true);
      condition.notify(1);
      condition.release();
      await until(() => Atomics.load(counters, WOKEN) === 3, 'a third wake-up');
      expect(condition.acquire(true, 10)).toBe(true);
      condition.notifyAll();
      condition.release();
      expect(await waiters).toEqual([true, true, true, true]);
    });
    expect(counters[WOKEN]).toBe(4);
  });

  it('a notify does not wake a thread that started waiting after it', async () => {
    const condition = new Condition(new Lock());
    const { shared, counters } = sharedCounters();
    await withPool(2, async (pool) => {
      const early = runTasks<boolean>(pool, 'conditionWaiter', [[condition.handle, shared, 30]]);
      await waitersAsleep(condition, 1);
      expect(condition.acquire(true, 10)).toBe(true);
      condition.notify(5);
      const late = runTasks<boolean>(pool, 'conditionWaiter', [[condition.handle, shared, 0.4]]);
      await sleep(100); // the late waiter is blocked on the lock meanwhile
      condition.release();
      expect(await early).toEqual([true]);
      expect(await late).toEqual([false]);
    });
    expect(counters[STARTED]).toBe(2);
    expect(counters[WOKEN]).toBe(1);
  });

  it('a waiter that timed out does not swallow a later notify meant for another', async () => {
    const condition = new Condition(new Lock());
    const { shared, counters } = sharedCounters();
    await withPool(2, async (pool) => {
      const patient = runTasks<boolean>(pool, 'conditionWaiter', [[condition.handle, shared, 30]]);
      const hasty = runTasks<boolean>(pool, 'conditionWaiter', [[condition.handle, shared, 0.1]]);
      expect(await hasty).toEqual([false]);
      await waitersAsleep(condition, 1);
      expect(condition.acquire(true, 10)).toBe(true);
      condition.notify(1);
      condition.release();
      expect(await patient).toEqual([true]);
    });
    expect(counters[WOKEN]).toBe(1);
  });

  it('loses no wake-up in a bounded buffer of 2 producers and 2 consumers using notify()', async () => {
    const lock = new Lock();
    const notEmpty = new Condition(lock);
    const notFull = new Condition(lock);
    const capacity = 2;
    const ring = new SharedArrayBuffer((4 + capacity) * 4);
    const perProducer = 2_000;
    const [, consumed] = await withPool(4, (pool) =>
      Promise.all([
        runTasks(pool, 'produce', [
          [notEmpty.handle, notFull.handle, ring, 0, perProducer],
          [notEmpty.handle, notFull.handle, ring, perProducer, perProducer],
        ]),
        runTasks<number[]>(pool, 'consume', [
          [notEmpty.handle, notFull.handle, ring, perProducer],
          [notEmpty.handle, notFull.handle, ring, perProducer],
        ]),
      ]),
    );
    expect(consumed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * perProducer }, (_, i) => i));
    for (const items of consumed) {
      for (const ownedBy of [(item: number) => item < perProducer, (item: number) => item >= perProducer]) {
        const fromOneProducer = items.filter(ownedBy);
        expect(fromOneProducer).toEqual([...fromOneProducer].sort((a, b) => a - b)); // FIFO: a producer's items arrive in order
      }
    }
  });

  it('waitFor returns the predicate, after roughly the timeout when it stays false', () => {
    const condition = new Condition();
    using _ = condition.hold();
    expect(condition.waitFor(() => true, 0)).toBe(true);
    let calls = 0;
    const start = performance.now();
    expect(condition.waitFor(() => (calls++, false), 0.12)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(115);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('waitForAsync on the main thread sees a worker make the predicate true', async () => {
    const condition = new Condition(new Lock());
    const { counters } = sharedCounters();
    await withPool(1, async (pool) => {
      await condition.acquireAsync();
      const notifier = runTasks(pool, 'notifyCondition', [[condition.handle, null]]);
      const woke = await condition.waitForAsync(() => counters[0]++ >= 1, 20);
      expect(woke).toBe(true);
      expect(condition.lock.isOwned()).toBe(true);
      condition.release();
      expect(await notifier).toEqual([1]);
    });
  });

  it('reaches waiter slots allocated after it and its lock were made, past the kernel as it was then', async () => {
    const condition = new Condition(new Lock());
    const { shared } = sharedCounters();
    const freeFiller = fillKernelUntilItGrows();
    try {
      await withPool(1, async (pool) => {
        const waiter = runTasks<boolean>(pool, 'conditionWaiter', [[condition.handle, shared, 30]]);
        await waitersAsleep(condition, 1);
        expect(condition.acquire(true, 10)).toBe(true);
        condition.notify(); // the worker's new slot: this thread's queue view and its lock's wake reach it
        condition.release();
        expect(await waiter).toEqual([true]);
        // Four concurrent waits on this thread: at least three take new slots, and sleep on them.
        const waits = Array.from({ length: 4 }, () => {
          expect(condition.acquire(true, 10)).toBe(true);
          return condition.waitAsync(30).then((notified) => (condition.release(), notified));
        });
        await waitersAsleep(condition, 4);
        expect(await runTasks<number>(pool, 'notifyCondition', [[condition.handle, null]])).toEqual([4]);
        expect(await Promise.all(waits)).toEqual([true, true, true, true]);
      });
    } finally {
      freeFiller();
    }
  });

  it('refuses wait and notify once closed', () => {
    const lock = new Lock();
    const condition = new Condition(lock);
    condition.close();
    using _ = lock.hold();
    expect(() => condition.wait(0)).toThrow(new ValueError('operation on a closed Condition'));
    expect(() => condition.notify()).toThrow(ValueError);
    expect(condition.waiting).toBe(0);
  });

  it('is the same condition when attached from its handle', () => {
    const condition = new Condition();
    const twin = Condition.attach(condition.handle);
    expect(twin.lock).toBeInstanceOf(RLock);
    condition.acquire();
    expect(twin.lock.isOwned()).toBe(true);
    twin.notify(); // owned through the same lock
    condition.release();
  });
});
