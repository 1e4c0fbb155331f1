/*
 * The dimensions of a small model heap (pymem) for the GIL scenarios
 * (refcount-race, allocator-race): room for CPython's static objects and a few
 * thousand more, one thread slot, so that every run can make fresh heaps cheaply.
 */
import type { pymem } from '../../src/pymem-entry.js';

export const SMALL_HEAP: pymem.PyHeapOptions = {
  capacity: 4096,
  maxArenas: 4,
  maxLarge: 64,
  storeWords: 1 << 12,
  threads: 1,
  framesPerThread: 8,
  traceCapacity: 16,
  internCapacity: 256,
};
