/*
 * The primitives at the edges where CPython 3.11's threading answers something
 * particular (each expected answer below is what python3 3.11 printed for the same
 * call): odd timeouts, Condition(None), closed
 * objects, and a Barrier's action across threads. Real workers where a second
 * thread matters (started as a user would, test/helpers/user-worker.ts).
 */
import { describe, expect, it } from 'vitest';
import { OverflowError, RuntimeError, ValueError } from '../../src/errors.js';
import { Barrier } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { attach } from '../../src/attach.js';
import { resultOf, startUserWorker, terminated } from '../helpers/user-worker.js';

describe('timeouts as CPython 3.11 takes them', () => {
  it('a Lock refuses NaN (ValueError), more than 2**63 - 1 ns (OverflowError) and a negative timeout other than -1', () => {
    const lock = new Lock();
    expect(() => lock.acquire(true, Number.NaN)).toThrow(new ValueError('Invalid value NaN (not a number)'));
    expect(() => lock.acquire(false, Number.NaN)).toThrow(ValueError);
    for (const huge of [1e10, 9223372036.9, Infinity]) expect(() => lock.acquire(true, huge)).toThrow(new OverflowError('timestamp out of range for platform time_t'));
    expect(() => lock.acquire(false, 1e10)).toThrow(OverflowError);
    expect(() => new RLock().acquire(true, 1e10)).toThrow(OverflowError);
    expect(() => lock.acquire(true, -2)).toThrow(new ValueError('timeout value must be positive'));
    expect(lock.acquire(true, 9223372036.0)).toBe(true); // threading.TIMEOUT_MAX itself is fine
    lock.release();
  });

  it('threading.py\'s classes wait not at all on NaN: Event.wait and Condition.wait return false, a free Semaphore is taken', () => {
    expect(new Event().wait(Number.NaN)).toBe(false);
    const condition = new Condition(new Lock());
    condition.acquire();
    expect(condition.wait(Number.NaN)).toBe(false);
    condition.release();
    expect(new Semaphore(1).acquire(true, Number.NaN)).toBe(true);
    expect(new Semaphore(0).acquire(true, Number.NaN)).toBe(false);
    expect(new Barrier(1).wait(Number.NaN)).toBe(0);
  });

  it('an async wait given a bad timeout rejects its promise, as every async call does, never throws where it is called', async () => {
    const bad = 'x' as unknown as number;
    await expect(new Semaphore(0).acquireAsync(bad)).rejects.toThrow(TypeError);
    await expect(new Event().waitAsync(bad)).rejects.toThrow(TypeError);
    await expect(new Barrier(2).waitAsync(bad)).rejects.toThrow(TypeError);
    await expect(new Lock().acquireAsync(-5)).rejects.toThrow(ValueError);
  });

  it('async timed waits never end before their timeout (Atomics.waitAsync\'s timer may fire early)', async () => {
    const lock = new Lock();
    lock.acquire();
    const semaphore = new Semaphore(0);
    const event = new Event();
    for (let round = 0; round < 10; round++) {
      for (const wait of [() => lock.acquireAsync(0.01), () => semaphore.acquireAsync(0.01), () => event.waitAsync(0.01)]) {
        const started = performance.now();
        expect(await wait()).toBe(false);
        expect(performance.now() - started).toBeGreaterThanOrEqual(10);
      }
    }
    lock.release();
  });
});

describe('a Condition as threading.Condition', () => {
  it('with no lock, or null, makes an RLock of its own (Condition(None)); anything but a lock or a Condition\'s handle is a TypeError naming it', () => {
    for (const condition of [new Condition(), new Condition(null)]) {
      expect(condition.lock).toBeInstanceOf(RLock);
      expect(() => condition.notify()).toThrow(new RuntimeError('cannot notify on un-acquired lock'));
    }
    expect(() => new Condition(new Semaphore(1) as never)).toThrow(new TypeError("a Condition takes a Lock or an RLock (none or null: an RLock of its own), or a Condition's handle, not a Semaphore"));
    expect(() => new Condition(5 as never)).toThrow(/not a number$/);
    expect(() => new Condition({} as never)).toThrow(ValueError);
    expect(attach(new Condition(new Lock()).handle)).toBeInstanceOf(Condition);
  });

  it('over a plain Lock, needs the caller to hold it, as multiprocessing.Condition does (threading\'s accepts any holder: see the README)', async () => {
    const lock = new Lock();
    const condition = new Condition(lock);
    lock.acquire();
    const worker = startUserWorker('try { m.attach(data.condition).notify(); return "notified"; } catch (error) { return error.name + ": " + error.message; }', { condition: condition.handle });
    try {
      expect(await resultOf(worker)).toEqual({ result: 'RuntimeError: cannot notify on un-acquired lock' });
    } finally {
      await terminated(worker);
    }
    lock.release();
  });
});

describe('closed primitives refuse every operation with ValueError', () => {
  it('a Lock\'s and an RLock\'s release, and a Barrier\'s wait', async () => {
    const lock = new Lock();
    const same = attach(lock.handle);
    lock.acquire();
    lock.close();
    expect(() => lock.release()).toThrow(new ValueError('operation on a closed Lock'));
    expect(() => lock.release()).toThrow(ValueError);
    expect(same.locked()).toBe(true);
    same.release();
    const rlock = new RLock();
    rlock.close();
    expect(() => rlock.release()).toThrow(new ValueError('operation on a closed RLock'));
    const barrier = new Barrier(2);
    barrier.close();
    expect(() => barrier.wait()).toThrow(new ValueError('operation on a closed Barrier'));
    await expect(async () => barrier.waitAsync(0.1)).rejects.toThrow(new ValueError('operation on a closed Barrier'));
  });
});

describe("a Barrier's action across threads", () => {
  it('runs exactly once a round when every thread attached it with its own; waiting on one attached without (or attaching one with an action where none was made) is refused', async () => {
    const runs = new Int32Array(new SharedArrayBuffer(8));
    const barrier = new Barrier(3, { action: () => Atomics.add(runs, 0, 1) });
    expect(() => attach(barrier.handle).wait(0.1)).toThrow(/made with an action, which cannot cross threads/);
    expect(() => Barrier.attach(new Barrier(2).handle, { action: () => {} })).toThrow(/made without an action/);
    const party = 'const b = m.Barrier.attach(data.barrier, { action: () => Atomics.add(data.runs, 0, 1) }); for (let round = 0; round < 20; round++) b.wait(10); return "done";';
    const workers = [startUserWorker(party, { barrier: barrier.handle, runs }), startUserWorker(party, { barrier: barrier.handle, runs })];
    try {
      const results = Promise.all(workers.map((worker) => resultOf(worker)));
      for (let round = 0; round < 20; round++) await barrier.waitAsync(10);
      expect(await results).toEqual([{ result: 'done' }, { result: 'done' }]);
      expect(Atomics.load(runs, 0)).toBe(20);
    } finally {
      await Promise.all(workers.map((worker) => terminated(worker)));
    }
  });
});
