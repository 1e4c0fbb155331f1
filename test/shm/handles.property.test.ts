// Issue 10: random handles thrown at attach() and at every constructor that takes one,
// with live sentinel objects around them. Each call is refused with a ValueError, or
// attaches the live object its (kind, offset, serial) names; the sentinels never change.
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attach, type Handle } from '../../src/attach.js';
import { ValueError } from '../../src/errors.js';
import { defaultKernel } from '../../src/shm/kernel.js';
import { BLOCK_HEADER_BYTES, LOCK_WORD, REGION_REFERENCES_FIELD } from '../../src/shm/layout.js';
import { MemoryMap, mmap } from '../../src/mp/mmap.js';
import { RawSharedArray, SharedArray, SharedTypedArray } from '../../src/mp/shared-array.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { SharedValue, Value } from '../../src/mp/value.js';
import { Barrier } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/semaphore.js';

const CASES = 10_000;
const KINDS = ['Value', 'SharedArray', 'SharedMemory', 'mmap', 'Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event', 'Barrier', 'PyHeap', 'GIL', 'internal', 'Nope'];

/** Every way in that takes a handle. */
const ENTRIES: [string, (handle: never) => { close(): void }][] = [
  ['attach', (handle) => attach(handle)],
  ['SharedValue', (handle) => new SharedValue(handle)],
  ['SharedTypedArray', (handle) => new SharedTypedArray(handle)],
  ['SharedMemory', (handle) => new SharedMemory(handle)],
  ['MemoryMap', (handle) => new MemoryMap(handle)],
  ['Lock', (handle) => Lock.attach(handle)],
  ['RLock', (handle) => RLock.attach(handle)],
  ['Semaphore', (handle) => Semaphore.attach(handle)],
  ['BoundedSemaphore', (handle) => BoundedSemaphore.attach(handle)],
  ['Condition', (handle) => Condition.attach(handle)],
  ['Event', (handle) => Event.attach(handle)],
  ['Barrier', (handle) => Barrier.attach(handle)],
];

function sentinels() {
  const file = join(mkdtempSync(join(tmpdir(), 'memplay-property-')), 'f');
  writeFileSync(file, 'sentinel bytes');
  const segment = new SharedMemory({ create: true, size: 32 });
  segment.buf.set([1, 2, 3, 4, 5, 6, 7, 8]);
  return {
    value: Value('i', 1234),
    array: RawSharedArray('d', [1.5, 2.5, 3.5, 4.5]),
    synchronized: SharedArray('i', [7, 8, 9]),
    segment,
    map: mmap(file),
    lock: new Lock(),
    rlock: new RLock(),
    semaphore: new Semaphore(3),
    bounded: new BoundedSemaphore(2),
    condition: new Condition(),
    event: new Event(),
    barrier: new Barrier(2),
  };
}

/** Handles of objects that have been closed and freed (some of their memory reused since). */
function freedHandles(): Handle[] {
  const objects = [Value('i', 1), SharedArray('d', 4), new Lock(), new RLock(), new Semaphore(1), new Event(), new Condition(), new Barrier(3)];
  const segment = new SharedMemory({ create: true, size: 16 });
  const handles = [...objects.map((object) => object.handle), segment.handle] as Handle[];
  objects.forEach((object) => object.close());
  segment.close();
  segment.unlink();
  return handles;
}

describe('random handles', () => {
  it(`are refused with a ValueError or attach the live object they name, and no sentinel changes (${CASES} cases)`, () => {
    const live = sentinels();
    const kernel = defaultKernel();
    const liveHandles = Object.values(live).map((object) => object.handle as Handle);
    const freed = freedHandles();
    const referencesOf = (handle: Handle) => kernel.words[((handle.offset - BLOCK_HEADER_BYTES) >> 2) + REGION_REFERENCES_FIELD];
    const snapshot = () => ({
      value: live.value.value,
      array: live.array.toArray(),
      synchronized: live.synchronized.toArray(),
      segment: Array.from(live.segment.buf),
      map: Array.from(live.map.slice()),
      locks: [live.lock.locked(), live.rlock.locked(), live.condition.lock.locked()],
      permits: [live.semaphore.value, live.bounded.value],
      event: live.event.isSet(),
      references: liveHandles.map(referencesOf),
      kernelLock: kernel.words[LOCK_WORD],
      allocations: kernel.stats().liveAllocations,
    });
    const before = snapshot();
    const top = kernel.stats().heapTop;

    const offset = fc.oneof(
      fc.integer({ min: -64, max: top + 4096 }),
      fc.integer({ min: 0, max: top >> 4 }).map((n) => n * 16),
      fc.constantFrom(...liveHandles.map((handle) => handle.offset)).chain((o) => fc.integer({ min: -8, max: 8 }).map((k) => o + k * 16)),
      fc.constantFrom<unknown>('abc', 1.5, NaN, Infinity, null, undefined, 2 ** 40, -16),
    );
    const serial = fc.oneof(fc.integer(), fc.constantFrom<unknown>(...liveHandles.map((handle) => handle.serial), 'x', null, 0.5));
    const someHandleField = fc.oneof(
      fc.constantFrom<unknown>(null, undefined, 'x', -1, 0, 1, 1000, 2 ** 31, 0.5),
      fc.constantFrom<unknown>(...liveHandles, ...freed),
    );
    const forged = fc.record({
      kind: fc.constantFrom(...KINDS),
      kernel: fc.oneof(fc.constant(kernel.id), fc.integer()),
      offset,
      serial,
      typecode: fc.constantFrom<unknown>('i', 'd', 'q', 'B', 'z', 42, null),
      length: someHandleField,
      size: someHandleField,
      lock: fc.constantFrom<unknown>(null, live.lock.handle, live.rlock.handle, live.value.handle, undefined),
      condition: fc.constantFrom<unknown>(live.condition.handle, live.barrier.handle.condition, live.lock.handle, null),
      parties: someHandleField,
      timeout: fc.constantFrom<unknown>(null, 1, 'x'),
      name: fc.constantFrom<unknown>(live.segment.name, 'x', null),
      path: fc.constantFrom<unknown>(live.map.path, '/etc/passwd', null),
      access: fc.constantFrom<unknown>('read', 'write', 'copy', 'x'),
    });
    const mutated = fc
      .tuple(fc.constantFrom(...liveHandles), fc.constantFrom('kind', 'offset', 'serial', 'length', 'size', 'typecode', 'parties', 'lock'), someHandleField)
      .map(([handle, key, replacement]) => ({ ...handle, [key]: replacement }));
    const handle = fc.oneof(forged, mutated, fc.constantFrom(...freed), fc.constantFrom(...liveHandles));

    let attached = 0;
    fc.assert(
      fc.property(handle, fc.constantFrom(...ENTRIES), (candidate, [, enter]) => {
        let object: { close(): void; handle?: Handle } | undefined;
        try {
          object = enter(candidate as never);
        } catch (error) {
          if (!(error instanceof ValueError)) throw error;
        }
        if (object !== undefined) {
          attached += 1;
          const named = liveHandles.find((h) => h.kind === object!.handle!.kind && h.offset === object!.handle!.offset && h.serial === object!.handle!.serial);
          expect(named, `attached ${JSON.stringify(candidate)} to no live object`).toBeDefined();
          object.close();
        }
        expect(snapshot()).toEqual(before);
      }),
      { numRuns: CASES, seed: 20261202 },
    );
    expect(attached).toBeGreaterThan(0);
    Object.values(live).forEach((object) => object.close());
  }, 60_000);
});
