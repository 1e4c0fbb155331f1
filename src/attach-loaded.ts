/*
 * attach(handle) for the scenario entries: rebuilds, in this thread, the shared
 * object a handle names, for every kind whose module this thread has loaded. It
 * loads the kernel's own kinds (shared words, the synchronization primitives,
 * multiprocessing's shared objects, the run board), which every scenario worker
 * needs; the CPython memory model's PyHeap ('memplay/pymem'), the GIL model's
 * kinds ('memplay/gil') and the stress board register themselves when their
 * module is loaded, so a worker that runs a scenario without them does not pay
 * for their modules at start-up (docs/ARCHITECTURE.md, "Worker start").
 * src/attach.ts loads every kind and gives the same attach().
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
import './harness/board.js';

export { registerHandleKind, registeredHandleKinds, isHandleKind } from './shm/handle-kinds.js';
export type { HandleKinds, HandleKind } from './shm/handle-kinds.js';

/** The handle of any registered kind of shared object. */
export type Handle = AnyHandle;

/** The shared object `handle` names, attached in this thread (one more reference to its region). */
export function attach<H extends Handle>(handle: H): AttachedTo<H['kind']> {
  return attachHandle(handle) as AttachedTo<H['kind']>;
}
