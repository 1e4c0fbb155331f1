/*
 * list (Objects/listobject.c, CPython 3.11): a GC object of 56 bytes (with its GC
 * header) pointing at a separate item array of `allocated` pointers, allocated with
 * PyMem_Realloc (pymalloc up to 512 bytes). list_resize over-allocates as
 * growth.ts states; PyList_New(n) allocates exactly n; extending an empty list
 * allocates an even count (list_preallocate_exact).
 * Columns: size = ob_size, aux = allocated, data = the store block, none (-1) while
 * ob_item is NULL. Store layout: [buffer address, buffer trace, item 0, item 1, ...].
 */
import { IndexError } from '../errors.js';
import { listPreallocateExact, listResizeAllocated } from './growth.js';
import { H_EMPTY_TUPLE, type HeapMemory } from './memory.js';
import { trackNew } from './gc-lists.js';
import { B_ADDR, B_TRACE, L_ITEMS, newObject } from './objects.js';
import { objectMalloc, objectRealloc } from './obmalloc.js';
import { decref, incref } from './refcount.js';
import { storeAlloc, storeGrow } from './store.js';
import { currentTrace } from './trace-context.js';
import { T } from './types.js';

/** PyList_New(len(items)): a new list that steals the references in `items`. */
export function newList(m: HeapMemory, items: ArrayLike<number>): number {
  const n = items.length;
  const id = newObject(m, T.List, n);
  if (n > 0) {
    const d = storeAlloc(m, L_ITEMS + n);
    m.data[id] = d;
    m.store[d + B_ADDR] = objectMalloc(m, n * m.profile.sizes.pointer);
    m.store[d + B_TRACE] = currentTrace(m);
    for (let i = 0; i < n; i++) m.store[d + L_ITEMS + i] = items[i];
  }
  m.aux[id] = n;
  trackNew(m, id);
  return id;
}

/** list_resize: sets the length to `newSize`, reallocating the item array when the rule says so. */
export function listResize(m: HeapMemory, id: number, newSize: number): void {
  const allocated = listResizeAllocated(m.aux[id], m.size[id], newSize);
  if (allocated >= 0) setAllocated(m, id, allocated);
  m.size[id] = newSize;
}

function setAllocated(m: HeapMemory, id: number, allocated: number): void {
  const d0 = m.data[id];
  const address = objectRealloc(m, d0 > 0 ? m.store[d0 + B_ADDR] >>> 0 : 0, allocated * m.profile.sizes.pointer);
  const d = storeGrow(m, d0, L_ITEMS + allocated, L_ITEMS + Math.min(m.size[id], allocated));
  m.data[id] = d;
  m.store[d + B_ADDR] = address;
  m.store[d + B_TRACE] = currentTrace(m);
  m.aux[id] = allocated;
}

/** list.append(item): the list takes a new reference to item. */
export function listAppend(m: HeapMemory, id: number, item: number): void {
  const n = m.size[id];
  listResize(m, id, n + 1);
  incref(m, item);
  m.store[m.data[id] + L_ITEMS + n] = item;
}

/** list.extend(items) as LIST_EXTEND does it: an empty list without a buffer gets an exact, even one. */
export function listExtend(m: HeapMemory, id: number, items: ArrayLike<number>): void {
  const n = items.length;
  if (n === 0) return;
  const old = m.size[id];
  if (m.data[id] < 0) {
    setAllocated(m, id, listPreallocateExact(n));
    m.size[id] = n;
  } else {
    listResize(m, id, old + n);
  }
  const d = m.data[id];
  for (let i = 0; i < n; i++) {
    incref(m, items[i]);
    m.store[d + L_ITEMS + old + i] = items[i];
  }
}

/** list.pop(index): the caller receives the list's reference to the item. */
export function listPop(m: HeapMemory, id: number, index = -1): number {
  const n = m.size[id];
  if (n === 0) throw new IndexError('pop from empty list');
  const i = index < 0 ? index + n : index;
  if (i < 0 || i >= n) throw new IndexError('pop index out of range');
  const d = m.data[id];
  const item = m.store[d + L_ITEMS + i];
  m.store.copyWithin(d + L_ITEMS + i, d + L_ITEMS + i + 1, d + L_ITEMS + n);
  listResize(m, id, n - 1);
  return item;
}

/** list[index] = value: the list takes a new reference to value and releases the old item. */
export function listSetItem(m: HeapMemory, id: number, index: number, value: number): void {
  const slot = m.data[id] + L_ITEMS + listIndex(m, id, index, 'list assignment index out of range');
  incref(m, value);
  const old = m.store[slot];
  m.store[slot] = value;
  decref(m, old);
}

/** A borrowed reference to list[index] (or tuple[index]). */
export function sequenceItem(m: HeapMemory, id: number, index: number): number {
  const base = m.type[id] === T.List ? m.data[id] + L_ITEMS : m.data[id];
  return m.store[base + listIndex(m, id, index, `${m.type[id] === T.List ? 'list' : 'tuple'} index out of range`)];
}

function listIndex(m: HeapMemory, id: number, index: number, message: string): number {
  const n = m.size[id];
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new IndexError(message);
  return i;
}

/** PyTuple_New(len(items)) filled with the stolen references in `items` (() is the static one). */
export function newTuple(m: HeapMemory, items: ArrayLike<number>): number {
  const n = items.length;
  if (n === 0) {
    const emptyTuple = m.header[H_EMPTY_TUPLE];
    m.refcnt[emptyTuple]++;
    return emptyTuple;
  }
  const id = newObject(m, T.Tuple, n);
  const d = storeAlloc(m, n);
  for (let i = 0; i < n; i++) m.store[d + i] = items[i];
  m.data[id] = d;
  trackNew(m, id);
  return id;
}
