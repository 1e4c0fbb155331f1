/*
 * When an allocation starts a collection (_PyObject_GC_Link in Modules/gcmodule.c,
 * 3.11): after each GC object is allocated, generation 0's count has gone up; when
 * it exceeds threshold 0, collection is enabled, threshold 0 is not 0 and no
 * collection is running, collect_generations() runs.
 */
import { collectGenerations } from './gc.js';
import { H_GC_COLLECTING, H_GC_COUNT, H_GC_ENABLED, H_GC_THRESHOLD, type HeapMemory } from './memory.js';

export function maybeCollect(m: HeapMemory): void {
  const h = m.header;
  if (h[H_GC_COUNT] > h[H_GC_THRESHOLD] && h[H_GC_ENABLED] === 1 && h[H_GC_THRESHOLD] !== 0 && h[H_GC_COLLECTING] === 0) {
    h[H_GC_COLLECTING] = 1;
    try {
      collectGenerations(m);
    } finally {
      h[H_GC_COLLECTING] = 0;
    }
  }
}
