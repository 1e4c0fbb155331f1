/*
 * attach(handle): rebuilds, in this thread, the shared object a handle names, the
 * way a pickled multiprocessing object is rebuilt in the process that receives it.
 * Handles are plain data, so they travel through workerData, postMessage,
 * piscina task arguments and comlink calls unchanged. Kernel objects are
 * attached here (SharedWords too); synchronization primitives by sync/attach.ts.
 */
import { ValueError } from './errors.js';
import { MemoryMap, type MmapHandle } from './mp/mmap.js';
import { SharedTypedArray, type SharedArrayHandle } from './mp/shared-array.js';
import { SharedMemory, type SharedMemoryHandle } from './mp/shared-memory.js';
import { SharedValue, type ValueHandle } from './mp/value.js';
import { SharedWords, type SharedWordsHandle } from './shm/shared-words.js';
import { attachPrimitive, isPrimitiveKind, type PrimitiveHandle, type PrimitiveOf } from './sync/attach.js';

/** The kernel object each kind of handle attaches to. */
interface KernelObjectOf {
  Value: SharedValue;
  SharedArray: SharedTypedArray;
  SharedMemory: SharedMemory;
  mmap: MemoryMap;
  SharedWords: SharedWords;
}

type KernelObjectHandle = ValueHandle | SharedArrayHandle | SharedMemoryHandle | MmapHandle | SharedWordsHandle;
export type Handle = KernelObjectHandle | PrimitiveHandle;
type Attached<H extends Handle> = H['kind'] extends keyof PrimitiveOf
  ? PrimitiveOf[H['kind']]
  : H['kind'] extends keyof KernelObjectOf
    ? KernelObjectOf[H['kind']]
    : never;

const attachers: { [K in keyof KernelObjectOf]: (handle: never) => KernelObjectOf[K] } = {
  Value: (handle: ValueHandle) => new SharedValue(handle),
  SharedArray: (handle: SharedArrayHandle) => new SharedTypedArray(handle),
  SharedMemory: (handle: SharedMemoryHandle) => new SharedMemory(handle),
  mmap: (handle: MmapHandle) => new MemoryMap(handle),
  SharedWords: (handle: SharedWordsHandle) => new SharedWords(handle),
};

export function attach<H extends Handle>(handle: H): Attached<H> {
  const kind: unknown = (handle as { kind?: unknown } | null)?.kind;
  if (isPrimitiveKind(kind)) return attachPrimitive(handle as PrimitiveHandle) as Attached<H>;
  if (typeof kind === 'string' && Object.hasOwn(attachers, kind)) {
    return attachers[kind as keyof KernelObjectOf](handle as never) as Attached<H>;
  }
  throw new ValueError(`not a memplay handle: ${JSON.stringify(handle)}`);
}
