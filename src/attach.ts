/*
 * attach(handle): rebuilds, in this thread, the shared object a handle names, the
 * way a pickled multiprocessing object is rebuilt in the process that receives it.
 * Handles are plain data, so they travel through workerData, postMessage,
 * piscina task arguments and comlink calls unchanged.
 */
import { ValueError } from './errors.js';
import { MemoryMap, type MmapHandle } from './shm/mmap.js';
import { SharedTypedArray, type SharedArrayHandle } from './shm/shared-array.js';
import { SharedMemory, type SharedMemoryHandle } from './shm/shared-memory.js';
import { SharedValue, type ValueHandle } from './shm/value.js';
import { Lock, type LockHandle } from './sync/lock.js';
import { RLock, type RLockHandle } from './sync/rlock.js';

export type Handle = ValueHandle | SharedArrayHandle | SharedMemoryHandle | MmapHandle | LockHandle | RLockHandle;

type Attached<H extends Handle> = H extends ValueHandle<infer T>
  ? SharedValue<T>
  : H extends SharedArrayHandle<infer T>
    ? SharedTypedArray<T>
    : H extends SharedMemoryHandle
      ? SharedMemory
      : H extends MmapHandle
        ? MemoryMap
        : H extends LockHandle
          ? Lock
          : H extends RLockHandle
            ? RLock
            : never;

export function attach<H extends Handle>(handle: H): Attached<H> {
  return attachAny(handle) as Attached<H>;
}

function attachAny(handle: Handle): unknown {
  switch (handle?.kind) {
    case 'Value':
      return new SharedValue(handle);
    case 'SharedArray':
      return new SharedTypedArray(handle);
    case 'SharedMemory':
      return new SharedMemory(handle);
    case 'mmap':
      return new MemoryMap(handle);
    case 'Lock':
      return new Lock(handle);
    case 'RLock':
      return new RLock(handle);
    default:
      throw new ValueError(`not a memplay handle: ${JSON.stringify(handle)}`);
  }
}
