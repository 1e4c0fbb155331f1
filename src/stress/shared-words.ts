/*
 * SharedWords: a few 32-bit integers in the kernel, for the state a stress target
 * guards and checks (a counter, an in-critical-section gauge, a ring buffer's
 * slots). What a ctypes c_int array in a multiprocessing.RawArray is to a Python
 * test, with the Int32Array itself exposed, so that a check can use plain reads
 * and writes (the racy ones it exists to catch) or Atomics (the gauges).
 *
 * Layout: one kernel region of `length` Int32 words; the handle carries the length.
 */
import { openRegion, type RegionHandle } from '../shm/kernel.js';

export interface SharedWordsHandle extends RegionHandle {
  readonly kind: 'SharedWords';
  readonly length: number;
}

export class SharedWords {
  readonly handle: SharedWordsHandle;
  /** A fixed-length view of the region (fast Atomics, see sync/region-words.ts). */
  readonly words: Int32Array;

  /** `length` new zeroed words, or the ones a handle names. */
  constructor(lengthOrHandle: number | SharedWordsHandle) {
    const handle = typeof lengthOrHandle === 'object' ? lengthOrHandle : undefined;
    const length = handle?.length ?? (lengthOrHandle as number);
    if (!Number.isSafeInteger(length) || length < 1) throw new TypeError(`SharedWords needs a whole number of words >= 1, got ${length}`);
    const region = openRegion<SharedWordsHandle>('SharedWords', length * 4, handle, { length });
    this.handle = region.handle;
    this.words = new Int32Array(region.kernel.buffer, region.handle.offset, length);
  }
}
