// Issue 10, "Memory safety": forged and stale handles, stale SharedMemory views, lifetimes, error paths.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { attach, type Handle } from '../../src/attach.js';
import { IsADirectoryError, MemoryError, OverflowError, ValueError } from '../../src/errors.js';
import { defaultKernel, Kernel, useKernel } from '../../src/shm/kernel.js';
import { LOCK_WORD } from '../../src/shm/layout.js';
import { mmap } from '../../src/mp/mmap.js';
import { RawSharedArray, SharedArray } from '../../src/mp/shared-array.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { Value } from '../../src/mp/value.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('memory-safety-ops');
const forge = (fields: Record<string, unknown>) => ({ kernel: defaultKernel().id, lock: null, typecode: 'i', ...fields }) as unknown as Handle;
const MIB = 1024 * 1024;

/** Runs `test` with a 64 MiB kernel as this thread's default, then puts the usual one back. */
async function inSmallKernel(test: () => void | Promise<void>): Promise<void> {
  const usual = defaultKernel();
  useKernel(Kernel.create({ maxBytes: 64 * MIB }));
  try {
    await test();
  } finally {
    useKernel(usual);
  }
}

const used = () => {
  const { liveAllocations, liveBytes } = defaultKernel().stats();
  return { liveAllocations, liveBytes };
};

describe('attach() checks the handle before it makes any view', () => {
  it('refuses a Value forged over the kernel lock, and later allocations do not hang (in a worker)', async () => {
    const [outcome] = await runInWorkers<string>(ops, 'forgeOverKernelLock', [[]]);
    expect(outcome).toMatch(/^ValueError: bad Value handle: offset must be a multiple of 16, not 8/);
    expect(defaultKernel().words[LOCK_WORD]).toBe(0);
  });

  it('refuses a Value inside a SharedArray, over a Lock, an Event over a Value, an array longer than its region, a non-number offset', () => {
    const array = RawSharedArray('i', [1, 2, 3, 4]);
    const lock = new Lock();
    const value = Value('i', 42, { lock: false });
    const forgeries = [
      forge({ kind: 'Value', offset: array.handle.offset + 16, serial: array.handle.serial }),
      forge({ kind: 'Value', offset: lock.handle.offset, serial: lock.handle.serial }),
      { ...value.handle, kind: 'Event' } as unknown as Handle,
      { ...array.handle, length: 1000 } as Handle,
      forge({ kind: 'Value', offset: 'abc', serial: 1 }),
      forge({ kind: 'Value', offset: 0.5, serial: 1 }),
      forge({ kind: 'SharedArray', offset: array.handle.offset, serial: array.handle.serial, length: -1 }),
    ];
    for (const handle of forgeries) {
      expect(() => attach(handle), JSON.stringify(handle)).toThrow(ValueError);
    }
    expect(() => new Event(value.handle as never)).toThrow(/expected a Event handle/);
    expect(array.toArray()).toEqual([1, 2, 3, 4]);
    expect(lock.locked()).toBe(false);
    expect(value.value).toBe(42);
  });

  it('refuses a stale handle: the object was freed and its memory reused', async () => {
    const old = Value('i', 1, { lock: false });
    const handle = old.handle;
    old.close();
    const reuser = Value('i', 2, { lock: false });
    expect(reuser.handle.offset).toBe(handle.offset);
    expect(() => attach(handle)).toThrow(/stale Value handle/);
    const [inWorker] = await runInWorkers<string>(ops, 'attachOutcome', [[handle]]);
    expect(inWorker).toMatch(/^ValueError: stale Value handle/);
    expect(reuser.value).toBe(2);
  });

  it('says ValueError, never RangeError, for an offset past the heap', () => {
    expect(() => attach(forge({ kind: 'SharedArray', offset: 2 ** 40, serial: 1, length: 4 }))).toThrow(ValueError);
    expect(() => attach(forge({ kind: 'Value', offset: -16, serial: 1 }))).toThrow(ValueError);
  });
});

describe("a SharedMemory's buf after close", () => {
  it('raises ValueError, and a view taken before reaches no other kind of object', () => {
    const segment = new SharedMemory({ create: true, size: 64 });
    const stale = segment.buf;
    segment.close();
    segment.unlink();
    expect(() => segment.buf).toThrow(ValueError);
    const array = RawSharedArray('d', [1, 2, 3, 4]);
    const lock = new Lock();
    stale.fill(255);
    expect(array.toArray()).toEqual([1, 2, 3, 4]);
    expect(lock.locked()).toBe(false);
    expect(Value('i', 7).value).toBe(7);
  });
});

describe('lifetimes', () => {
  it('close() frees: 20 x 4 MiB arrays in turn fit in a 64 MiB kernel', () =>
    inSmallKernel(() => {
      const before = used();
      for (let i = 0; i < 20; i++) {
        using array = RawSharedArray('B', 4 * MIB);
        array.set(0, 1);
      }
      expect(used()).toEqual(before);
    }));

  it('an object dropped unclosed is freed when it is garbage-collected', () => inSmallKernel(async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    /** Collects until the kernel's used bytes stop falling (a bounded number of rounds: finalizers run between tasks). */
    const collect = async () => {
      for (let round = 0, last = -1; round < 100 && used().liveBytes !== last; round++) {
        last = used().liveBytes;
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    // 15 x 4 MiB nearly fill the 64 MiB kernel: a second round fits only if the first was freed.
    const fillDropping = () => {
      for (let i = 0; i < 15; i++) RawSharedArray('B', 4 * MIB).set(0, 1);
    };
    await collect();
    const before = used();
    fillDropping();
    await collect();
    expect(used()).toEqual(before);
    fillDropping();
  }));

  it('counts one reference per attachment, in any thread: the last close frees, whoever makes it', async () => {
    const value = Value('i', 0);
    const lockHandle = value.getLock().handle;
    await runInWorkers(ops, 'addAndClose', [[value.handle, 1], [value.handle, 2]]);
    expect(value.value).toBe(3);
    const again = attach(value.handle);
    value.close();
    expect(again.value).toBe(3);
    expect(() => value.value).toThrow(ValueError);
    again.close();
    // Freed, the Value and its RLock: their handles name no live region any more.
    expect(() => attach(value.handle)).toThrow(/no live region|stale/);
    expect(() => attach(lockHandle)).toThrow(/no live region|stale/);
  });

  it('a Value given a lock holds a reference to it: the lock outlives its first owner', () => {
    const lock = new RLock();
    const value = Value('i', 5, { lock });
    lock.close();
    expect(value.getLock()).toBe(lock);
    const twin = attach(value.handle);
    twin.getLock().acquire();
    expect(twin.value).toBe(5);
    twin.getLock().release();
    twin.close();
    value.close();
  });
});

describe('error paths leak nothing', () => {
  it('a SharedMemory, or an mmap, refused because the directory is full', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'memplay-full-')), 'f');
    writeFileSync(file, 'x'.repeat(100));
    const blocks: SharedMemory[] = [];
    try {
      for (;;) blocks.push(new SharedMemory({ create: true, size: 1000 }));
    } catch (error) {
      expect(error).toBeInstanceOf(MemoryError);
    }
    const full = used();
    for (let i = 0; i < 10; i++) expect(() => new SharedMemory({ create: true, size: 1000 })).toThrow(MemoryError);
    expect(() => mmap(file)).toThrow(MemoryError);
    expect(used()).toEqual(full);
    for (const block of blocks) {
      block.close();
      block.unlink();
    }
  });

  it('a failed mmap, and a SharedArray too large for the kernel (with its RLock)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memplay-leaks-'));
    const file = join(dir, 'f');
    writeFileSync(file, 'abc');
    writeFileSync(join(dir, 'empty'), '');
    const before = used();
    expect(() => mmap(file, 10)).toThrow(ValueError);
    expect(() => mmap(file, 10, { access: 'copy' })).toThrow(ValueError);
    expect(() => mmap(join(dir, 'empty'))).toThrow(ValueError);
    expect(() => mmap(dir)).toThrow(IsADirectoryError);
    expect(() => SharedArray('d', 2 ** 31)).toThrow(MemoryError);
    expect(used()).toEqual(before);
  });
});

describe('Python-named errors instead of raw Node ones', () => {
  it("Value(null) is a TypeError; mmap(directory) is IsADirectoryError with Python's wording", () => {
    expect(() => Value(null as never)).toThrow(TypeError);
    const dir = mkdtempSync(join(tmpdir(), 'memplay-dir-'));
    expect(() => mmap(dir)).toThrow(`[Errno 21] Is a directory: '${dir}'`);
  });

  it('RLock raises OverflowError rather than wrap its depth past 2**31 - 1, and stays held', () => {
    const rlock = new RLock();
    rlock.acquire();
    const depthWord = (rlock.handle.offset >> 2) + 1;
    defaultKernel().words[depthWord] = 2 ** 31 - 2;
    expect(rlock.acquire()).toBe(true);
    expect(() => rlock.acquire()).toThrow(OverflowError);
    expect(() => rlock.acquire()).toThrow('Internal lock count overflowed');
    expect(rlock.depth).toBe(2 ** 31 - 1);
    defaultKernel().words[depthWord] = 1;
    rlock.release();
    expect(rlock.locked()).toBe(false);
  });
});
