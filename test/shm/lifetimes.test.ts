// Issue 10: every shared object can be freed. 100,000 rounds of create-and-close leave
// the kernel's used bytes where they started.
import { describe, expect, it } from 'vitest';
import { defaultKernel } from '../../src/shm/kernel.js';
import { SharedArray } from '../../src/mp/shared-array.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { Value } from '../../src/mp/value.js';
import { Barrier } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/semaphore.js';
import { attach } from '../../src/attach.js';
import { Gil } from '../../src/gil/gil.js';
import { SocketPair } from '../../src/gil/socketpair.js';
import { PyHeap } from '../../src/pymem/heap.js';
import { SharedWords } from '../../src/shm/shared-words.js';
import { ValueError } from '../../src/errors.js';

const ROUNDS = 100_000;

describe('lifetimes', () => {
  it(`${ROUNDS} Values, Arrays, Locks and SharedMemory segments created and closed: used bytes return to their start`, () => {
    const kernel = defaultKernel();
    const used = () => {
      const { liveAllocations, liveBytes } = kernel.stats();
      return { liveAllocations, liveBytes };
    };
    const start = used();
    for (let round = 0; round < ROUNDS; round++) {
      using value = Value('i', round);
      using array = SharedArray('d', 4);
      using lock = new Lock();
      const segment = new SharedMemory({ create: true, size: 64 });
      array.set(0, value.value);
      lock.acquire();
      segment.buf[0] = 1;
      lock.release();
      segment.close();
      segment.unlink();
    }
    expect(used()).toEqual(start);
    // Segments freed are kept for later segments only: one block's worth here.
    expect(kernel.stats().segmentCacheBytes).toBeLessThanOrEqual(256);
  }, 180_000);

  it('every primitive, and the parts it made for itself, is freed by close()', () => {
    const kernel = defaultKernel();
    const start = kernel.stats().liveBytes;
    for (let round = 0; round < 1000; round++) {
      const given = new Lock();
      const objects = [new RLock(), new Semaphore(2), new BoundedSemaphore(1), new Event(), new Condition(), new Condition(given), new Barrier(3), given];
      objects.forEach((object) => object.close());
    }
    expect(kernel.stats().liveBytes).toBe(start);
  });

  it('a Gil, SocketPair, SharedWords and PyHeap are freed by the last close(), its parts and arena links with it', () => {
    const kernel = defaultKernel();
    const start = kernel.stats();
    for (let round = 0; round < 20; round++) {
      const heap = new PyHeap();
      heap.assign('xs', heap.literal('[1.5, "two", (3,)]'));
      const objects = [new Gil(), new SocketPair(), new SharedWords(4), heap];
      const twins = objects.map((object) => attach(object.handle));
      objects.forEach((object) => object.close());
      expect(kernel.stats().liveBytes).toBeGreaterThan(start.liveBytes);
      twins.forEach((twin) => twin.close());
    }
    expect(kernel.stats().liveAllocations).toBe(start.liveAllocations);
    expect(kernel.stats().liveBytes).toBe(start.liveBytes);
  });

  it('a closed Gil, SocketPair and SharedWords raise ValueError', () => {
    const gil = new Gil();
    const pair = new SocketPair();
    const end = pair.end(0);
    const words = new SharedWords(1);
    [gil, pair, words].forEach((object) => object.close());
    expect(() => gil.take()).toThrow(ValueError);
    expect(() => pair.end(1)).toThrow(ValueError);
    expect(() => end.send(1)).toThrow(ValueError);
    expect(() => words.add(0)).toThrow(ValueError);
  });
});
