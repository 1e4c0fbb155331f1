/*
 * attach(handle): rebuilds, in this thread, the shared object a handle names, the
 * way a pickled multiprocessing object is rebuilt in the process that receives it.
 *
 * Handles are plain data plus the kernel's SharedArrayBuffer (which structured
 * clone shares), so they travel through workerData, postMessage, crew task
 * arguments and RpcWorker calls, and attach in any worker however it was started
 * (shm/kernel.ts, kernelOf). A forged or stale handle is refused with a ValueError
 * before any view is made (shm/region.ts).
 *
 * Every kind is in one registry (shm/handle-kinds.ts), filled by each kind's own
 * module when it loads; this module imports every kind's module, so that importing
 * attach() is enough to attach any of them. A new kind registers itself with
 * registerHandleKind(kind, attachFn) and is imported here.
 */
import { attachHandle, type AnyHandle, type AttachedTo } from './shm/handle-kinds.js';
import './shm/shared-words.js';
import './sync/lock.js';
import './sync/rlock.js';
import './sync/semaphore.js';
import './sync/condition.js';
import './sync/event.js';
import './sync/barrier.js';
import './mp/value.js';
import './mp/shared-array.js';
import './mp/shared-memory.js';
import './mp/mmap.js';
import './gil/gil.js';
import './gil/socketpair.js';
import './pymem/heap.js';
import './harness/board.js';
import './stress/stress-board.js';

export { registerHandleKind, registeredHandleKinds, isHandleKind } from './shm/handle-kinds.js';
export type { HandleKinds, HandleKind } from './shm/handle-kinds.js';

/** The handle of any registered kind of shared object. */
export type Handle = AnyHandle;

/** The shared object `handle` names, attached in this thread (one more reference to its region). */
export function attach<H extends Handle>(handle: H): AttachedTo<H['kind']> {
  return attachHandle(handle) as AttachedTo<H['kind']>;
}
