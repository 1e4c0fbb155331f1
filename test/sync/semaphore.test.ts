import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { Lock } from '../../src/sync/lock.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/semaphore.js';
import { runTasks, sharedCounters, sleep, withPool } from './helpers.js';

describe('Semaphore', () => {
  it('counts permits', () => {
    const semaphore = new Semaphore(2);
    expect(semaphore.acquire()).toBe(true);
    expect(semaphore.acquire(false)).toBe(true);
    expect(semaphore.acquire(false)).toBe(false);
    expect(semaphore.acquire(true, 0)).toBe(false);
    semaphore.release(2);
    expect(semaphore.value).toBe(2);
    expect(new Semaphore().value).toBe(1);
    expect(new Semaphore(0).acquire(false)).toBe(false);
  });

  it('raises what Python raises', () => {
    expect(() => new Semaphore(-1)).toThrow(ValueError);
    expect(() => new BoundedSemaphore(-1)).toThrow(ValueError);
    const semaphore = new Semaphore(1);
    expect(() => semaphore.release(0)).toThrow(ValueError);
    expect(() => semaphore.release(-3)).toThrow(ValueError);
    expect(() => semaphore.release(1.5)).toThrow(TypeError);
    expect(() => new Semaphore(0.5)).toThrow(TypeError);
    expect(() => semaphore.acquire(false, 1)).toThrow(ValueError);
    expect(semaphore.value).toBe(1); // the argument check comes before a permit is taken
    semaphore.release(5);
    expect(semaphore.value).toBe(6); // a plain Semaphore may go above its start
  });

  it('a BoundedSemaphore refuses to go above its initial value', () => {
    const bounded = new BoundedSemaphore(2);
    expect(() => bounded.release()).toThrow(ValueError);
    bounded.acquire();
    bounded.acquire();
    expect(() => bounded.release(3)).toThrow(ValueError);
    expect(bounded.value).toBe(0);
    bounded.release(2);
    expect(bounded.value).toBe(2);
    expect(() => bounded.release()).toThrow('Semaphore released too many times');
  });

  it('a negative timeout waits not at all, as in threading', () => {
    const semaphore = new Semaphore(0);
    expect(semaphore.acquire(true, -1)).toBe(false);
  });

  it('times out after roughly the timeout', () => {
    const semaphore = new Semaphore(0);
    const start = performance.now();
    expect(semaphore.acquire(true, 0.12)).toBe(false);
    const waited = performance.now() - start;
    expect(waited).toBeGreaterThanOrEqual(115);
    expect(waited).toBeLessThan(2_000);
  });

  for (const Kind of [Semaphore, BoundedSemaphore]) {
    it(`${Kind.name}(2) lets at most 2 of 4 workers in at once`, async () => {
      const semaphore = new Kind(2);
      const { shared, counters } = sharedCounters();
      await withPool(4, (pool) => runTasks(pool, 'semaphoreSections', Array.from({ length: 4 }, () => [semaphore.handle, shared, 5_000, 2])));
      expect(counters[2]).toBe(20_000);
      expect(counters[3]).toBe(0);
      expect(counters[1]).toBeLessThanOrEqual(2);
      expect(semaphore.value).toBe(2);
    });
  }

  it('loses no wake-up in a bounded buffer of 2 producers and 2 consumers on semaphores', async () => {
    const capacity = 3;
    const objects = { free: new Semaphore(capacity), ready: new Semaphore(0), lock: new Lock() };
    const handles = { free: objects.free.handle, ready: objects.ready.handle, lock: objects.lock.handle };
    const ring = new SharedArrayBuffer((4 + capacity) * 4);
    const perProducer = 3_000;
    const results = await withPool(4, (pool) =>
      Promise.all([
        runTasks(pool, 'produceWithSemaphores', [
          [handles, ring, 0, perProducer],
          [handles, ring, perProducer, perProducer],
        ]),
        runTasks<number[]>(pool, 'consumeWithSemaphores', [
          [handles, ring, perProducer],
          [handles, ring, perProducer],
        ]),
      ]),
    );
    const consumed = results[1].flat().sort((a, b) => a - b);
    expect(consumed).toEqual(Array.from({ length: 2 * perProducer }, (_, i) => i));
    Object.values(objects).forEach((object) => object.close());
  });

  it('acquireAsync waits for a release without blocking the event loop', async () => {
    const semaphore = new Semaphore(0);
    const waiting = semaphore.acquireAsync(10);
    await sleep(30);
    semaphore.release();
    expect(await waiting).toBe(true);
    expect(await semaphore.acquireAsync(0.03)).toBe(false);
  });

  it('hold() keeps a permit to the end of the block', () => {
    const semaphore = new Semaphore(1);
    {
      using _ = semaphore.hold();
      expect(semaphore.value).toBe(0);
    }
    expect(semaphore.value).toBe(1);
  });

  it('attach gives the same semaphore, and refuses a handle of another kind', () => {
    const bounded = new BoundedSemaphore(1);
    const twin = BoundedSemaphore.attach(bounded.handle);
    twin.acquire();
    expect(bounded.value).toBe(0);
    twin.release();
    expect(() => twin.release()).toThrow(ValueError);
    expect(() => Semaphore.attach(bounded.handle)).toThrow(ValueError);
  });
});
