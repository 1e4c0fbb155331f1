/*
 * The GC's doubly linked lists (PyGC_Head, Include/internal/pycore_gc.h), over the
 * gcNext / gcPrev columns (chunked: a chunk of ids is made when one of them is
 * first linked; an id in no chunk reads 0, not linked). Object ids 1..3 head the
 * three generations and 4 the unreachable set, so every list is circular and
 * never empty of its head.
 *
 * gcNext: the next id; 0 means not linked; while an object sits in the unreachable
 *         set its gcNext carries NEXT_UNREACHABLE (CPython: NEXT_MASK_UNREACHABLE).
 * gcPrev: (previous id << 2) | flags, or during a collection (gc_refs << 2) | flags,
 *         as CPython packs _gc_prev: PREV_FINALIZED (bit 0), PREV_COLLECTING (bit 1).
 *
 * Tracking is deferred: PyObject_GC_Track pushes the id on the pending stack (the
 * `pending` array, flag F_PENDING) instead of appending it to generation 0, and
 * linkPending appends the stack, in push order, before anything reads generation
 * 0's list (a collection, gc.get_objects), when the stack is full, and when an
 * object below its top is untracked. Every pending object was tracked after every
 * object in generation 0's list, so the list comes out as CPython's would. An
 * object made and freed in between (the common case: a temporary tuple) is pushed
 * and popped, and never touches the lists.
 */
import { GEN_HEAD, H_PENDING_TOP, PENDING_CAPACITY, UNREACHABLE_HEAD, SCRATCH_HEAD, type HeapMemory } from './memory.js';
import { F_PENDING } from './types.js';

export const PREV_FINALIZED = 1;
export const PREV_COLLECTING = 2;
export const PREV_FLAGS = 3;
export const NEXT_UNREACHABLE = 1 << 30;

export function initGcLists(m: HeapMemory): void {
  for (const head of [...GEN_HEAD, UNREACHABLE_HEAD, SCRATCH_HEAD]) listInit(m, head);
}

export function listInit(m: HeapMemory, head: number): void {
  m.gcNext.set(head, head);
  m.gcPrev.set(head, head << 2);
}

export const prevOf = (m: HeapMemory, id: number): number => m.gcPrev.get(id) >> 2;

export function setPrev(m: HeapMemory, id: number, prev: number): void {
  m.gcPrev.set(id, (prev << 2) | (m.gcPrev.get(id) & PREV_FLAGS));
}

export function listIsEmpty(m: HeapMemory, head: number): boolean {
  return m.gcNext.get(head) === head;
}

export function listAppend(m: HeapMemory, id: number, head: number): void {
  const last = prevOf(m, head);
  setPrev(m, id, last);
  m.gcNext.set(last, id);
  m.gcNext.set(id, head);
  setPrev(m, head, id);
}

export function listRemove(m: HeapMemory, id: number): void {
  const prev = prevOf(m, id);
  const next = m.gcNext.get(id);
  m.gcNext.set(prev, next);
  setPrev(m, next, prev);
  m.gcNext.set(id, 0);
}

/** gc_list_move: unlink from whatever list, append to `head`. */
export function listMove(m: HeapMemory, id: number, head: number): void {
  listRemove(m, id);
  listAppend(m, id, head);
}

/** gc_list_merge: appends all of `from` to `to`, leaving `from` empty. */
export function listMerge(m: HeapMemory, from: number, to: number): void {
  if (listIsEmpty(m, from)) return;
  const toTail = prevOf(m, to);
  const first = m.gcNext.get(from);
  const last = prevOf(m, from);
  m.gcNext.set(toTail, first);
  setPrev(m, first, toTail);
  m.gcNext.set(last, to);
  setPrev(m, to, last);
  listInit(m, from);
}

export function listSize(m: HeapMemory, head: number): number {
  let n = 0;
  for (let id = m.gcNext.get(head); id !== head; id = m.gcNext.get(id)) n++;
  return n;
}

/** PyObject_GC_Track: appends to generation 0 (through the pending stack). */
export function track(m: HeapMemory, id: number): void {
  if (!isTracked(m, id)) trackNew(m, id);
}

/** PyObject_GC_Track of an object never tracked yet (one just made). */
export function trackNew(m: HeapMemory, id: number): void {
  let top = m.header[H_PENDING_TOP];
  if (top === PENDING_CAPACITY) {
    linkPending(m);
    top = 0;
  }
  m.pending[top] = id;
  m.header[H_PENDING_TOP] = top + 1;
  m.flags[id] |= F_PENDING;
}

/** PyObject_GC_UnTrack: unlinks; keeps only the FINALIZED flag. */
export function untrack(m: HeapMemory, id: number): void {
  if ((m.flags[id] & F_PENDING) !== 0) {
    const top = m.header[H_PENDING_TOP] - 1;
    if (m.pending[top] === id) {
      m.header[H_PENDING_TOP] = top;
      m.flags[id] &= ~F_PENDING;
      return;
    }
    linkPending(m);
  }
  if (m.gcNext.get(id) === 0) return;
  listRemove(m, id);
  m.gcPrev.set(id, m.gcPrev.get(id) & PREV_FINALIZED);
}

export function isTracked(m: HeapMemory, id: number): boolean {
  return (m.flags[id] & F_PENDING) !== 0 || m.gcNext.get(id) !== 0;
}

/** Appends the pending stack to generation 0, in the order it was tracked, and empties it. */
export function linkPending(m: HeapMemory): void {
  const top = m.header[H_PENDING_TOP];
  for (let i = 0; i < top; i++) {
    const id = m.pending[i];
    m.flags[id] &= ~F_PENDING;
    listAppend(m, id, GEN_HEAD[0]);
  }
  m.header[H_PENDING_TOP] = 0;
}
