/*
 * What the primitives announce at their scheduling points, and what dfs's sleep
 * sets and the controller make of it: operations of two different primitives
 * commute (a Condition's count as its lock's too), an RLock's inner acquire and
 * release are no points, an untimed acquire carries the gate by which the
 * controller tells, from the primitive's first word, that it would block, and a
 * holder's release or notify says so (the controller does not switch away at it).
 * The announcements are recorded by a scheduler that lets every point through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS, GATE, gateClosed, OP_CODE, scheduling, type PointOp } from '../../src/atomics/scheduling-point.js';
import { independent } from '../../src/explorer/independence.js';
import type { Announced } from '../../src/explorer/controller.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { Condition } from '../../src/sync/condition.js';
import { readCell } from '../../src/explorer/memory-cells.js';
import { NOT_RECOVERABLE, OWNER_DIED } from '../../src/atomics/mutex-word.js';
import { defaultKernel } from '../../src/shm/kernel.js';

function recording(run: () => void): PointOp[] {
  const seen: PointOp[] = [];
  scheduling.active = { point: (op) => void seen.push(op), wait: () => 'not-equal', wake: () => 0 };
  try {
    run();
  } finally {
    scheduling.active = null;
  }
  return seen;
}

const firstWord = (offset: number): number => readCell(defaultKernel().buffer, offset, 'i'.charCodeAt(0));

const sync = (op: number, object: number, partner = -1): Announced => ({ op, object, index: 0, access: ACCESS.sync, location: -1, type: 0, value: 0, expected: 0, partner });

afterEach(() => {
  scheduling.active = null;
});

describe('what a primitive announces', () => {
  it('an untimed acquire carries its gate, a timed or non-blocking one none', () => {
    const lock = new Lock();
    const semaphore = new Semaphore(1);
    const ops = recording(() => {
      lock.acquire();
      lock.release();
      lock.acquire(false);
      lock.release();
      lock.acquire(true, 0.5);
      lock.release();
      semaphore.acquire();
      semaphore.release();
      semaphore.acquire(true, 0.5);
    });
    expect(ops.filter((op) => op.op === OP_CODE.acquire).map((op) => op.gate)).toEqual([GATE.mutex, GATE.none, GATE.none, GATE.permit, GATE.none]);
    lock.close();
    semaphore.close();
  });

  it("an RLock's acquire by its owner and a release that leaves it held are no points", () => {
    const rlock = new RLock();
    const ops = recording(() => {
      rlock.acquire();
      rlock.acquire();
      rlock.release();
      rlock.release();
    });
    expect(ops.map((op) => op.op)).toEqual([OP_CODE.acquire, OP_CODE.release]);
    expect(rlock.locked()).toBe(false);
    rlock.close();
  });

  it("a release by the lock's holder and a Condition's notify under its lock say they are the holder's", () => {
    const lock = new Lock();
    const rlock = new RLock();
    const condition = new Condition(rlock);
    const ops = recording(() => {
      lock.acquire();
      lock.release();
      expect(() => lock.release()).toThrow('release unlocked lock');
      condition.acquire();
      condition.notify();
      condition.release();
    });
    expect(ops.filter((op) => op.op !== OP_CODE.acquire).map((op) => [op.op, op.byHolder])).toEqual([
      [OP_CODE.release, true],
      [OP_CODE.release, false],
      [OP_CODE.notify, true],
      [OP_CODE.release, true],
    ]);
    condition.close();
    rlock.close();
    lock.close();
  });

  it("a Condition's operations name its lock as their partner", () => {
    const lock = new Lock();
    const condition = new Condition(lock);
    const ops = recording(() => {
      condition.acquire();
      condition.notify();
      condition.release();
    });
    expect(ops.map((op) => [op.op, op.object, op.partner ?? -1])).toEqual([
      [OP_CODE.acquire, lock.handle.offset, -1],
      [OP_CODE.notify, condition.handle.offset, lock.handle.offset],
      [OP_CODE.release, lock.handle.offset, -1],
    ]);
    condition.close();
    lock.close();
  });
});

describe('the gate, read from the primitive\'s first word', () => {
  it('is closed while a Lock is held and a Semaphore has no permit', () => {
    const lock = new Lock();
    const semaphore = new Semaphore(0);
    expect(gateClosed(GATE.mutex, firstWord(lock.handle.offset))).toBe(false);
    lock.acquire();
    expect(gateClosed(GATE.mutex, firstWord(lock.handle.offset))).toBe(true);
    lock.release();
    expect(gateClosed(GATE.mutex, firstWord(lock.handle.offset))).toBe(false);
    expect(gateClosed(GATE.permit, firstWord(semaphore.handle.offset))).toBe(true);
    semaphore.release();
    expect(gateClosed(GATE.permit, firstWord(semaphore.handle.offset))).toBe(false);
    expect(gateClosed(GATE.none, 1)).toBe(false);
    // An abandoned word (OWNER_DIED alone) or a NOT_RECOVERABLE one does not block; one taken back after a death does, until released.
    expect(gateClosed(GATE.mutex, OWNER_DIED)).toBe(false);
    expect(gateClosed(GATE.mutex, NOT_RECOVERABLE)).toBe(false);
    expect(gateClosed(GATE.mutex, 5 | OWNER_DIED)).toBe(true);
    lock.close();
    semaphore.close();
  });
});

describe('independence of primitive operations', () => {
  const [lockA, lockB, condition] = [64, 128, 192];
  it('two primitives commute; one primitive, a Condition and its lock, a resume or an exit do not', () => {
    expect(independent(sync(OP_CODE.acquire, lockA), sync(OP_CODE.release, lockB))).toBe(true);
    expect(independent(sync(OP_CODE.acquire, lockA), sync(OP_CODE.release, lockA))).toBe(false);
    expect(independent(sync(OP_CODE.wait, condition, lockA), sync(OP_CODE.acquire, lockA))).toBe(false);
    expect(independent(sync(OP_CODE.wait, condition, lockA), sync(OP_CODE.acquire, lockB))).toBe(true);
    expect(independent(sync(OP_CODE.start, -1), sync(OP_CODE.acquire, lockB))).toBe(false);
    expect(independent({ ...sync(OP_CODE['process.exit'], -1), location: 4 }, sync(OP_CODE.acquire, lockB))).toBe(false);
    const join = (location: number): Announced => ({ ...sync(OP_CODE['process.join'], -1), location });
    expect(independent(join(4), join(16))).toBe(true);
    expect(independent(join(4), { ...sync(OP_CODE['process.poll'], -1), location: 4 })).toBe(false);
  });
});
