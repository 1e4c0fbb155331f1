// Worker-side code for the pymem sharing tests: each export runs in a real worker thread
// and drives the heap it attaches from a handle.
import { PyHeap } from '../../src/pymem/heap.js';
import type { PyHeapHandle } from '../../src/pymem/memory.js';
import { Lock, type LockHandle } from '../../src/sync/lock.js';

/** Appends `count` new ints to the list bound to `name`, from thread slot `thread`; returns what it saw. */
export function appendInts(handle: PyHeapHandle, thread: number, name: string, count: number): { lengthBefore: number; size: number } {
  const heap = new PyHeap(handle).useThread(thread);
  const list = heap.load(name);
  const lengthBefore = heap.len(list);
  for (let i = 0; i < count; i++) {
    const value = heap.int(1000 + i);
    heap.append(list, value);
    heap.decref(value);
  }
  return { lengthBefore, size: heap.getsizeof(list) };
}

/** Builds a cycle in a function frame of thread slot `thread`, returns, and collects. */
export function leakAndCollect(handle: PyHeapHandle, thread: number): { aliveAfterReturn: boolean; collected: number; depthDuringCall: number } {
  const heap = new PyHeap(handle).useThread(thread);
  heap.disableGc();
  heap.call('leak', 1);
  const depthDuringCall = heap.depth();
  const l = heap.list();
  heap.append(l, l);
  heap.incref(l);
  heap.assign('l', l);
  heap.ret();
  const aliveAfterReturn = heap.refcount(l) === 2; // the list's own item, and our extra reference
  heap.decref(l);
  const collected = heap.collect();
  heap.enableGc();
  return { aliveAfterReturn, collected, depthDuringCall };
}

/** Appends `count` new ints to the list bound to `name`, holding `lock` around each append (a GIL by hand). */
export function appendIntsLocked(handle: PyHeapHandle, lockHandle: LockHandle, thread: number, name: string, count: number): number {
  const heap = new PyHeap(handle).useThread(thread);
  const lock = new Lock(lockHandle);
  for (let i = 0; i < count; i++) {
    lock.acquire();
    try {
      const value = heap.int(100_000 * thread + i);
      heap.append(heap.load(name), value);
      heap.decref(value);
    } finally {
      lock.release();
    }
  }
  return count;
}
