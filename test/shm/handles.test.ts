import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { attach, type Handle } from '../../src/attach.js';
import { Kernel } from '../../src/shm/kernel.js';
import { mmap } from '../../src/mp/mmap.js';
import { SharedArray } from '../../src/mp/shared-array.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { Value } from '../../src/mp/value.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/semaphore.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Barrier } from '../../src/sync/barrier.js';
import { RpcWorker } from '../../src/harness/rpc-worker.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('shm-ops');

/** The objects behind the handles stay referenced: an object garbage-collected unclosed is released. */
const kept: { handle: Handle }[] = [];

function everyKindOfHandle() {
  const path = join(mkdtempSync(join(tmpdir(), 'memplay-handles-')), 'f');
  writeFileSync(path, 'xyz');
  const objects = [
    Value('i', 7),
    SharedArray('d', [1, 2]),
    new SharedMemory({ create: true, size: 4 }),
    mmap(path),
    new Lock(),
    new RLock(),
    new Semaphore(2),
    new BoundedSemaphore(1),
    new Condition(),
    new Event(),
    new Barrier(2),
  ];
  kept.push(...objects);
  return objects.map((object) => object.handle);
}

describe('handles', () => {
  it('round-trip unchanged through pool task arguments and results', async () => {
    for (const handle of everyKindOfHandle()) {
      const [back] = await runInWorkers(ops, 'echo', [[handle]]);
      expect(back).toEqual(handle);
    }
  });

  it('round-trip through calls to a long-lived worker (RpcWorker), which attaches them', async () => {
    const worker = new RpcWorker();
    try {
      const handles = everyKindOfHandle();
      const seen = [];
      for (const handle of handles) {
        expect(await worker.call(ops, 'echo', handle)).toEqual(handle);
        seen.push(await worker.call(ops, 'describeAttached', handle));
      }
      expect(seen).toEqual(['Value 7', 'Array 1,2', 'SharedMemory', 'MemoryMap', 'Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event', 'Barrier']);
    } finally {
      await worker.terminate();
    }
  });

  it('attach() rebuilds the same object in this thread', () => {
    const v = Value('i', 1);
    const again = attach(v.handle);
    again.value = 5;
    expect(v.value).toBe(5);
    const lock = new Lock();
    attach(lock.handle).acquire();
    expect(lock.locked()).toBe(true);
    lock.release();
  });

  it('refuses a handle from another kernel or something that is not a handle', () => {
    const foreign = { ...Value('i').handle, kernel: Kernel.create().id };
    expect(() => attach(foreign)).toThrow(/belongs to kernel|names kernel/);
    expect(() => attach({ kind: 'Nope' } as never)).toThrow(ValueError);
    expect(() => new Lock(Value('i').handle as never)).toThrow(/expected a Lock handle/);
  });
});
