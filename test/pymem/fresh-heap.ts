// A new model heap for each test of a file, destroyed after it.
import { afterEach, beforeEach } from 'vitest';
import { PyHeap, type PyHeapOptions } from '../../src/pymem/heap.js';

export function freshHeapEachTest(options: PyHeapOptions = { capacity: 4096 }): { readonly heap: PyHeap } {
  const holder = { heap: undefined as unknown as PyHeap };
  beforeEach(() => {
    holder.heap = new PyHeap(options);
  });
  afterEach(() => holder.heap.destroy());
  return holder;
}
