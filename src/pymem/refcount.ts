/*
 * Reference counting (Py_INCREF / Py_DECREF) and deallocation.
 *
 * When a count reaches zero the object is deallocated at once, as in CPython: it
 * leaves the GC's lists (PyObject_GC_UnTrack), releases its references in its
 * type's order (children.ts), which may deallocate them first, depth first; then
 * its buffer and its own block go back to pymalloc, and an instance finally
 * releases its class. The walk keeps its own stack instead of recursing, so that a
 * long chain (a linked list a million nodes deep) does not overflow the JS stack;
 * CPython bounds the C recursion with its trashcan instead, which only changes the
 * order for chains deeper than 50.
 * Statically allocated objects (None, True, False, small ints, ...) are never freed.
 */
import { childAt, childCount, classOf } from './children.js';
import { forgetInterned } from './interning.js';
import type { HeapMemory } from './memory.js';
import { bufferAddress, freeObject, ownsStore } from './objects.js';
import { objectFree } from './obmalloc.js';
import { storeFree } from './store.js';
import { untrack } from './gc-lists.js';
import { F_INTERNED, F_STATIC } from './types.js';

export function incref(m: HeapMemory, id: number): void {
  m.refcnt[id]++;
}

export function decref(m: HeapMemory, id: number): void {
  if (--m.refcnt[id] === 0 && (m.flags[id] & F_STATIC) === 0) dealloc(m, id);
}

// The walk's stack: per object being deallocated, its id, the next reference slot to release, and how many it has.
let ids: Int32Array = new Int32Array(1024);
let cursors: Int32Array = new Int32Array(1024);
let counts: Int32Array = new Int32Array(1024);
let depth = 0;

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** The start of a deallocation: the object leaves the GC's lists, and the listener hears of it. */
function begin(m: HeapMemory, id: number): void {
  untrack(m, id);
  m.onDealloc?.(id);
}

function push(id: number, cursor: number, count: number): void {
  if (depth === ids.length) {
    ids = grown(ids);
    cursors = grown(cursors);
    counts = grown(counts);
  }
  ids[depth] = id;
  cursors[depth] = cursor;
  counts[depth] = count;
  depth++;
}

/** Releases the child in reference slot k; true when that was its last reference. */
function releaseChild(m: HeapMemory, id: number, k: number): number {
  const child = childAt(m, id, k);
  return child !== 0 && --m.refcnt[child] === 0 && (m.flags[child] & F_STATIC) === 0 ? child : 0;
}

function dealloc(m: HeapMemory, root: number): void {
  begin(m, root);
  const count = childCount(m, root);
  if (depth > 0) {
    push(root, 0, count); // the walk under way frees it next, in the same order
    return;
  }
  // Release the references in place; only when one of them dies does this become a walk.
  for (let k = 0; k < count; k++) {
    const dying = releaseChild(m, root, k);
    if (dying !== 0) {
      push(root, k + 1, count);
      begin(m, dying);
      push(dying, 0, childCount(m, dying));
      walk(m);
      return;
    }
  }
  release(m, root);
}

/** Depth first: each object's references in its order, each dying one fully before the next. */
function walk(m: HeapMemory): void {
  while (depth > 0) {
    const top = depth - 1;
    const id = ids[top];
    const k = cursors[top];
    if (k < counts[top]) {
      cursors[top] = k + 1;
      const dying = releaseChild(m, id, k);
      if (dying !== 0) {
        begin(m, dying);
        push(dying, 0, childCount(m, dying));
      }
      continue;
    }
    depth--;
    release(m, id);
  }
}

/** Frees what the object owns (buffer, store block, interned entry), then the object; then its class. */
function release(m: HeapMemory, id: number): void {
  const type = m.type[id];
  const buffer = bufferAddress(m, id, type);
  if (buffer !== 0) objectFree(m, buffer);
  if ((m.flags[id] & F_INTERNED) !== 0) forgetInterned(m, id);
  if (ownsStore(m, id, type)) storeFree(m, m.data[id]);
  const cls = classOf(m, id, type);
  freeObject(m, id, type);
  if (cls !== 0) decref(m, cls);
}
