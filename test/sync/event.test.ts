import { describe, expect, it } from 'vitest';
import { Event } from '../../src/sync/event.js';
import { runTasks, sharedCounters, sleep, until, withPool } from './helpers.js';

const STARTED = 4;

describe('Event', () => {
  it('is a flag: set, clear, isSet, and wait returns at once while it is set', () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    expect(event.wait(0)).toBe(false);
    event.set();
    event.set();
    expect(event.isSet()).toBe(true);
    expect(event.wait()).toBe(true);
    expect(event.wait(0)).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
    expect(event.wait(-1)).toBe(false);
  });

  it('times out after roughly the timeout', () => {
    const event = new Event();
    const start = performance.now();
    expect(event.wait(0.12)).toBe(false);
    const waited = performance.now() - start;
    expect(waited).toBeGreaterThanOrEqual(115);
    expect(waited).toBeLessThan(2_000);
  });

  it('set() wakes every waiting worker', async () => {
    const event = new Event();
    const { shared, counters } = sharedCounters();
    await withPool(4, async (pool) => {
      const waiters = runTasks<[boolean, number]>(pool, 'eventWaiter', Array.from({ length: 4 }, () => [event.handle, shared, 30]));
      await until(() => Atomics.load(counters, STARTED) === 4, 'four waiters');
      await sleep(50);
      event.set();
      expect((await waiters).map(([result]) => result)).toEqual([true, true, true, true]);
    });
  });

  it('a set() followed at once by clear() still releases everyone who was waiting (as threading does)', async () => {
    const event = new Event();
    const { shared, counters } = sharedCounters();
    await withPool(3, async (pool) => {
      const waiters = runTasks<[boolean, number]>(pool, 'eventWaiter', Array.from({ length: 3 }, () => [event.handle, shared, 30]));
      await until(() => Atomics.load(counters, STARTED) === 3, 'three waiters');
      await sleep(100);
      event.set();
      event.clear();
      expect((await waiters).map(([result]) => result)).toEqual([true, true, true]);
      const late = await runTasks<[boolean, number]>(pool, 'eventWaiter', [[event.handle, shared, 0.1]]);
      expect(late[0][0]).toBe(false); // a waiter that came after the pulse waits for the next set
    });
  });

  it('a worker times out on an event nobody sets', async () => {
    const event = new Event();
    const { shared } = sharedCounters();
    const [[result, waited]] = await withPool(1, (pool) => runTasks<[boolean, number]>(pool, 'eventWaiter', [[event.handle, shared, 0.15]]));
    expect(result).toBe(false);
    expect(waited).toBeGreaterThanOrEqual(0.14);
  });

  it('waitAsync on the main thread is woken by a worker', async () => {
    const event = new Event();
    await withPool(1, async (pool) => {
      const setter = runTasks(pool, 'setEventAfter', [[event.handle, 50]]);
      expect(await event.waitAsync(20)).toBe(true);
      await setter;
    });
    event.clear();
    expect(await event.waitAsync(0.03)).toBe(false);
  });

  it('is the same event when attached from its handle', () => {
    const event = new Event();
    Event.attach(event.handle).set();
    expect(event.isSet()).toBe(true);
  });
});
