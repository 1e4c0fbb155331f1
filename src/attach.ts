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
 * module when it loads. attach-loaded.ts loads the kernel's own kinds (what the
 * scenario entry needs); this module loads every other kind's module too, so that
 * importing attach() from here (or from 'memplay') is enough to attach any of
 * them. A new kind registers itself with registerHandleKind(kind, attachFn) and
 * is imported in one of the two.
 */
import './attach-loaded.js';
import './gil/gil.js';
import './gil/socketpair.js';
import './pymem/heap.js';
import './stress/stress-board.js';

export { attach, registerHandleKind, registeredHandleKinds, isHandleKind } from './attach-loaded.js';
export type { Handle, HandleKinds, HandleKind } from './attach-loaded.js';
