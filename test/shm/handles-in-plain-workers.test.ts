// Issue 12, "A handle is enough": attach(handle) in workers started with a plain
// `new Worker` (no kernelWorkerData(), no memplay setup), the handle given in
// workerData or by postMessage, for every registered kind of handle; and forged
// handles refused there with a ValueError that leaves a sentinel Value unchanged.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { attach, registeredHandleKinds, type Handle } from '../../src/attach.js';
import { Gil } from '../../src/gil/gil.js';
import { SocketPair } from '../../src/gil/socketpair.js';
import { mmap } from '../../src/mp/mmap.js';
import { RawSharedArray } from '../../src/mp/shared-array.js';
import { SharedMemory } from '../../src/mp/shared-memory.js';
import { Value } from '../../src/mp/value.js';
import { PyHeap } from '../../src/pymem/heap.js';
import { Kernel } from '../../src/shm/kernel.js';
import { RunBoard } from '../../src/harness/board.js';
import { StressBoard } from '../../src/stress/stress-board.js';
import { SharedWords } from '../../src/shm/shared-words.js';
import { Barrier } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';
import { RLock } from '../../src/sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/semaphore.js';

const WORKER_FILE = new URL('../helpers/plain-attach-worker.mjs', import.meta.url);
const WORKER_LIMIT_MS = 20_000;

type Reply = { ok: true; threadId: number; result: unknown } | { ok: false; name: string; message: string };
type Delivery = 'workerData' | 'postMessage';

/** Starts a plain Worker, gives it { handle, op } by `delivery`, and returns its one reply (bounded). */
async function inPlainWorker(delivery: Delivery, handle: unknown, op: string): Promise<Reply> {
  const request = { handle, op };
  const worker = new Worker(WORKER_FILE, { workerData: delivery === 'workerData' ? request : null });
  if (delivery === 'postMessage') worker.postMessage(request);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Reply>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the worker did not reply within ${WORKER_LIMIT_MS} ms`)), WORKER_LIMIT_MS);
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the worker exited (code ${code}) without replying`)));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/** A case per kind: the object, the operation the worker does, and what the main thread then sees. */
interface KindCase {
  make(): { handle: unknown; close?(): void };
  op: string;
  check(object: never, reply: Extract<Reply, { ok: true }>): void;
}

const file = join(mkdtempSync(join(tmpdir(), 'memplay-plain-')), 'mapped');
writeFileSync(file, 'plain workers');

const CASES: Record<string, KindCase> = {
  Value: { make: () => Value('i', 1), op: 'setValue', check: (value: ReturnType<typeof Value>) => expect(value.value).toBe(41) },
  SharedArray: { make: () => RawSharedArray('i', [0, 0, 0, 0]), op: 'setItem', check: (array: ReturnType<typeof RawSharedArray>) => expect(array.toArray()).toEqual([0, 0, 7, 0]) },
  SharedMemory: { make: () => new SharedMemory({ create: true, size: 16 }), op: 'writeBuf', check: (segment: SharedMemory) => expect(segment.buf[0]).toBe(9) },
  mmap: { make: () => mmap(file), op: 'writeByte', check: (map: ReturnType<typeof mmap>) => expect(map.get(0)).toBe(0x5a) },
  SharedWords: { make: () => new SharedWords(2), op: 'addWord', check: (words: SharedWords) => expect(words.load(1)).toBe(5) },
  Lock: {
    make: () => new Lock(),
    op: 'acquire',
    check: (lock: Lock) => {
      expect(lock.locked()).toBe(true);
      lock.release();
    },
  },
  RLock: {
    make: () => {
      const rlock = new RLock();
      rlock.acquire();
      return rlock;
    },
    op: 'tryAcquireBriefly',
    check: (rlock: RLock, reply) => {
      expect(reply.result).toBe(false);
      rlock.release();
    },
  },
  Semaphore: { make: () => new Semaphore(1), op: 'acquire', check: (semaphore: Semaphore) => expect(semaphore.value).toBe(0) },
  BoundedSemaphore: { make: () => new BoundedSemaphore(2), op: 'acquire', check: (semaphore: BoundedSemaphore) => expect(semaphore.value).toBe(1) },
  Condition: {
    make: () => new Condition(new Lock()),
    op: 'acquireCondition',
    check: (condition: Condition) => {
      expect(condition.lock.locked()).toBe(true);
      condition.release();
    },
  },
  Event: { make: () => new Event(), op: 'set', check: (event: Event) => expect(event.isSet()).toBe(true) },
  Barrier: {
    make: () => new Barrier(2),
    op: 'breakBarrier',
    check: (barrier: Barrier, reply) => {
      expect(reply.result).toBe('BrokenBarrierError');
      expect(barrier.broken).toBe(true);
    },
  },
  GIL: { make: () => new Gil(), op: 'takeGil', check: (gil: Gil, reply) => expect(gil.holderThreadId).toBe(reply.threadId) },
  socketpair: { make: () => new SocketPair(), op: 'sendByte', check: (pair: SocketPair) => expect(pair.end(0).recv(Date.now() + 5_000)).toBe(65) },
  PyHeap: {
    make: () => new PyHeap(),
    op: 'assignInt',
    check: (heap: PyHeap) => expect(heap.repr(heap.load('x'))).toBe('4242'),
  },
  RunBoard: { make: () => new RunBoard(2), op: 'reportProgress', check: (board: RunBoard, reply) => expect(board.view(1)).toMatchObject({ threadId: reply.threadId, progress: 3 }) },
  StressBoard: { make: () => new StressBoard(2), op: 'reportProgress', check: (board: StressBoard, reply) => expect(board.view(1)).toMatchObject({ threadId: reply.threadId, progress: 3 }) },
};

const made: { close?(): void }[] = [];
afterAll(() => made.forEach((object) => object.close?.()));

describe('a handle is enough: attach() in a plain new Worker', () => {
  it('has a case for every registered kind', () => {
    expect(registeredHandleKinds().sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const delivery of ['workerData', 'postMessage'] as const) {
    for (const [kind, { make, op, check }] of Object.entries(CASES)) {
      it(`${kind}, handle by ${delivery}`, async () => {
        const object = make();
        made.push(object);
        const reply = await inPlainWorker(delivery, object.handle, op);
        expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true });
        check(object as never, reply as Extract<Reply, { ok: true }>);
      }, 30_000);
    }
  }
});

describe('forged handles in a plain new Worker', () => {
  // The freed Value lies below the sentinel, so its block stays in the heap's free list (it is not given back to the top).
  const freed = Value('i', 5, { lock: false });
  const sentinel = Value('i', 1234, { lock: false });
  const freedHandle = freed.handle;
  freed.close();
  const h = sentinel.handle;
  const FORGERIES: [string, unknown, RegExp][] = [
    ['wrong kind', { ...h, kind: 'Lock' }, /bad Lock handle: the region at offset \d+ holds a Value/],
    ['offset outside the kernel', { ...h, offset: 2 ** 30 }, /offset 1073741824 is outside the kernel's heap/],
    ['misaligned offset', { ...h, offset: h.offset + 4 }, /offset must be a multiple of 16/],
    // Freed, its block is free, or reused by another Value (stale serial) or another kind of object.
    ['freed', freedHandle, /stale Value handle|no live region starts at offset|the region at offset \d+ holds a/],
    ['wrong buffer', { ...h, buffer: new SharedArrayBuffer(64) }, /its buffer is not a memplay kernel/],
    ["another kernel's buffer", { ...h, buffer: Kernel.create({ initialBytes: 1 << 20, maxBytes: 1 << 20 }).buffer }, /its buffer is kernel \d+, but the handle names kernel/],
    ['no buffer', { ...h, buffer: undefined }, /carries no kernel buffer/],
    ['a buffer that is not a SharedArrayBuffer (as JSON leaves it)', JSON.parse(JSON.stringify(h)), /carries no kernel buffer/],
    ['unknown kind', { ...h, kind: 'Nope' }, /not a memplay handle/],
  ];

  for (const delivery of ['workerData', 'postMessage'] as const) {
    for (const [what, forged, message] of FORGERIES) {
      it(`${what}, by ${delivery}: a clear ValueError, and the sentinel is unchanged`, async () => {
        const reply = await inPlainWorker(delivery, forged, 'writeThrough');
        expect(reply).toMatchObject({ ok: false, name: 'ValueError' });
        expect((reply as { message: string }).message).toMatch(message);
        expect(sentinel.value).toBe(1234);
      }, 30_000);
    }
  }

  it('the same forgeries are refused in this thread too', () => {
    // This thread has its kernel, so a handle without a buffer is checked against it (and is genuine here).
    const genuineHere = ['no buffer', 'a buffer that is not a SharedArrayBuffer (as JSON leaves it)'];
    for (const [what, forged, message] of FORGERIES) {
      if (genuineHere.includes(what)) attach(forged as Handle).close();
      else expect(() => attach(forged as Handle)).toThrow(message);
    }
    expect(sentinel.value).toBe(1234);
  });
});
