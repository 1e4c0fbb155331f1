/*
 * Outside a controlled run a scheduling point does nothing: no scheduler is
 * installed, and every operation that has a point gives the result it always did.
 */
import { describe, expect, it } from 'vitest';
import { labelPoint, scheduling } from '../../src/atomics/scheduling-point.js';
import { RawValue, Value } from '../../src/mp/value.js';
import { RawSharedArray } from '../../src/mp/shared-array.js';
import { SharedWords } from '../../src/shm/shared-words.js';
import { Lock } from '../../src/sync/lock.js';
import { Event } from '../../src/sync/event.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import { Condition } from '../../src/sync/condition.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mmap } from '../../src/mp/mmap.js';

describe('scheduling points outside a controlled run', () => {
  it('change no result', () => {
    expect(scheduling.active).toBeNull();
    const counter = RawValue('i', 41);
    counter.value += 1;
    expect(counter.value).toBe(42);
    const synchronized = Value('d', 0.5);
    synchronized.value *= 3;
    expect(synchronized.value).toBe(1.5);
    const array = RawSharedArray('i', [1, 2, 3]);
    array.set(1, array.get(1) + 40);
    expect(array.toArray()).toEqual([1, 42, 3]);
    const words = new SharedWords(2);
    expect(words.add(0, 5)).toBe(0);
    expect(words.compareExchange(0, 5, 7)).toBe(5);
    expect(words.load(0)).toBe(7);
    expect(words.store(1, -1)).toBe(-1);
    expect(words.wait(1, 0, 0)).toBe('not-equal');
    expect(words.wait(1, -1, 0)).toBe('timed-out');
    expect(words.notify(1)).toBe(0);
    const lock = new Lock();
    expect(lock.acquire()).toBe(true);
    expect(lock.acquire(false)).toBe(false);
    lock.release();
    const event = new Event();
    expect(event.isSet()).toBe(false);
    event.set();
    expect(event.wait(0)).toBe(true);
    const semaphore = new Semaphore(1);
    expect(semaphore.acquire(false)).toBe(true);
    expect(semaphore.acquire(false)).toBe(false);
    semaphore.release();
    const condition = new Condition();
    condition.acquire();
    expect(condition.wait(0)).toBe(false);
    condition.notify();
    condition.release();
    const folder = mkdtempSync(join(tmpdir(), 'memplay-points-'));
    try {
      writeFileSync(join(folder, 'f.bin'), new Uint8Array([1, 2, 3, 4]));
      const map = mmap(join(folder, 'f.bin'));
      map.set(0, 9);
      expect(map.get(0)).toBe(9);
      map.setSlice(1, new Uint8Array([8, 7]));
      expect([...map.slice(0, 3)]).toEqual([9, 8, 7]);
      expect(map.write(new Uint8Array([5]))).toBe(1);
      map.seek(0);
      expect([...map.read()]).toEqual([5, 8, 7, 4]);
      map.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    labelPoint('nothing happens');
    expect(scheduling.active).toBeNull();
    words.free();
  });
});
