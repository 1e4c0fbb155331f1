/*
 * A fixed-length Int32Array over one region of the kernel, for a primitive's fast paths.
 *
 * kernel.words is a length-tracking view of a growable SharedArrayBuffer, and
 * Node 20's V8 does not compile Atomics on such views inline: a compareExchange +
 * store pair costs about 4x what it costs on a fixed-length view of the same buffer
 * (measured by bench/sync.ts, rows "floor"). A fixed-length view stays valid when the
 * buffer grows (growable SharedArrayBuffers never shrink). Both views address the
 * same memory, and Atomics.wait/notify match waiters by buffer and byte position,
 * so a sleeper on kernel.words is woken by a notify through this view.
 *
 * A view of the whole kernel made now (kernelWordsNow) ends where the buffer ends
 * now: it reaches every region allocated so far, and its indexes are kernel.words'
 * indexes, so protocols can yield them to a driver on either view. A region
 * allocated later may lie past its end: whoever takes in such indexes (the
 * Condition's waiter queue) checks them and makes a new view.
 */
import type { Kernel, RegionHandle } from '../shm/kernel.js';

export function regionWords(kernel: Kernel, offset: number, bytes: number): Int32Array {
  return new Int32Array(kernel.buffer, offset, bytes >> 2);
}

/** A fixed-length view of the kernel from word 0 to the end of its buffer as it is now. */
export function kernelWordsNow(kernel: Kernel): Int32Array {
  return new Int32Array(kernel.buffer, 0, kernel.buffer.byteLength >> 2);
}

/**
 * The two ways a primitive sees its region: [the region alone (fast paths, index 0
 * is its first word), the whole kernel as it is now (protocols), the region's first index there].
 */
export function regionViews(region: { kernel: Kernel; handle: RegionHandle }, bytes: number): [Int32Array, Int32Array, number] {
  const { kernel, handle } = region;
  return [regionWords(kernel, handle.offset, bytes), kernelWordsNow(kernel), handle.offset >> 2];
}
