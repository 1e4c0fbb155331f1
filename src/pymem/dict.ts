/*
 * dict (Objects/dictobject.c, CPython 3.11): a 64-byte GC object (with its GC
 * header) and a separately allocated keys object (PyDictKeysObject: header,
 * 2**log2 index bytes-per-slot, USABLE_FRACTION entries). A new dict shares the
 * static empty keys; the first insert makes an 8-slot table, "unicode" (16-byte
 * entries) when the key is a str, "general" (24-byte entries) otherwise. A
 * non-str key in a unicode table converts it (insertion_resize to general). An
 * insert into a table with no usable entry left resizes to
 * calculate_log2_keysize(used * 3): the new keys are allocated before the old are
 * freed. A deletion leaves a dummy entry, reclaimed only by a resize. Presized
 * dicts (BUILD_MAP / BUILD_CONST_KEY_MAP of more than 5 items) start at
 * estimate_log2_keysize(n). A dict is tracked by the GC only once it holds
 * something trackable (MAINTAIN_TRACKING).
 * Store layout: [keys address, keys trace, log2 size (0: empty keys), unicode, nentries, (key, value) ...].
 * Lookups compare keys with `==` in entry order (the model keeps no hash index).
 */
import { checkHashable, pyEquals } from './compare.js';
import { mayBeTracked } from './gc.js';
import { isTracked, track } from './gc-lists.js';
import { dictKeysBytes, estimateLog2KeySize, growthLog2KeySize, usableFraction } from './growth.js';
import type { HeapMemory } from './memory.js';
import { B_ADDR, B_TRACE, D_ENTRIES, D_LOG2, D_NENTRIES, D_UNICODE, newObject } from './objects.js';
import { objectFree, objectMalloc } from './obmalloc.js';
import { decref, incref } from './refcount.js';
import { storeAlloc, storeGrow } from './store.js';
import { currentTrace } from './trace-context.js';
import { T } from './types.js';
import { KeyError } from './errors.js';

/** PyDict_New(): empty, sharing the static empty keys, untracked. */
export function newDict(m: HeapMemory): number {
  const id = newObject(m, T.Dict);
  const d = storeAlloc(m, D_ENTRIES + 2);
  m.store.fill(0, d, d + D_ENTRIES);
  m.data[id] = d;
  return id;
}

/** dict_new_presized(n, unicode), as _PyDict_FromItems uses it for a display of n items. */
export function newDictPresized(m: HeapMemory, n: number, unicode: boolean): number {
  const id = newDict(m);
  if (n > usableFraction(1 << m.profile.sizes.dictLogMinSize)) {
    replaceKeys(m, id, estimateLog2KeySize(n, m.profile.sizes.dictLogMinSize), unicode);
  }
  return id;
}

const usable = (m: HeapMemory, d: number): number => usableFraction(1 << m.store[d + D_LOG2]) - m.store[d + D_NENTRIES];

/** dictresize(estimate_log2_keysize(n)) on an empty dict, as dict.fromkeys does for a dict or set argument (even for n = 0). */
export function dictPresizeFor(m: HeapMemory, id: number, n: number, unicode: boolean): void {
  replaceKeys(m, id, estimateLog2KeySize(n, m.profile.sizes.dictLogMinSize), unicode);
}

/** Is the dict's keys table the unicode kind (str keys only)? The shared empty keys are. */
export function hasUnicodeKeys(m: HeapMemory, id: number): boolean {
  return m.store[m.data[id] + D_LOG2] === 0 || m.store[m.data[id] + D_UNICODE] === 1;
}

/** Entry index of a key equal to `key`, or -1. */
export function dictLookup(m: HeapMemory, id: number, key: number): number {
  const d = m.data[id];
  const n = m.store[d + D_NENTRIES];
  for (let i = 0; i < n; i++) {
    const other = m.store[d + D_ENTRIES + 2 * i];
    if (other !== 0 && pyEquals(m, other, key)) return i;
  }
  return -1;
}

/** d[key] = value (insertdict): the dict takes new references to both (to the key only when it is new). */
export function dictSetItem(m: HeapMemory, id: number, key: number, value: number): void {
  checkHashable(m, key);
  const isStr = m.type[key] === T.Str;
  if (!isTracked(m, id) && (mayBeTracked(m, key) || mayBeTracked(m, value))) track(m, id);
  let d = m.data[id];
  if (m.store[d + D_LOG2] === 0) {
    replaceKeys(m, id, m.profile.sizes.dictLogMinSize, isStr);
  } else if (m.store[d + D_UNICODE] === 1 && !isStr) {
    replaceKeys(m, id, growthLog2KeySize(m.size[id], m.profile.sizes.dictLogMinSize), false);
  }
  d = m.data[id];
  const found = dictLookup(m, id, key);
  incref(m, value);
  if (found >= 0) {
    const slot = d + D_ENTRIES + 2 * found + 1;
    const old = m.store[slot];
    m.store[slot] = value;
    decref(m, old);
    return;
  }
  if (usable(m, d) <= 0) {
    replaceKeys(m, id, growthLog2KeySize(m.size[id], m.profile.sizes.dictLogMinSize), m.store[d + D_UNICODE] === 1);
    d = m.data[id];
  }
  incref(m, key);
  const n = m.store[d + D_NENTRIES];
  m.store[d + D_ENTRIES + 2 * n] = key;
  m.store[d + D_ENTRIES + 2 * n + 1] = value;
  m.store[d + D_NENTRIES] = n + 1;
  m.size[id]++;
}

/** del d[key]: leaves a dummy entry; releases the value, then the key. */
export function dictDelItem(m: HeapMemory, id: number, key: number): void {
  const found = dictLookup(m, id, key);
  if (found < 0) throw new KeyError(`key not found`);
  const slot = m.data[id] + D_ENTRIES + 2 * found;
  const oldKey = m.store[slot];
  const oldValue = m.store[slot + 1];
  m.store[slot] = 0;
  m.store[slot + 1] = 0;
  m.size[id]--;
  decref(m, oldValue);
  decref(m, oldKey);
}

/** A borrowed reference to d[key], or 0. */
export function dictGetItem(m: HeapMemory, id: number, key: number): number {
  const found = dictLookup(m, id, key);
  return found < 0 ? 0 : m.store[m.data[id] + D_ENTRIES + 2 * found + 1];
}

/** dictresize / new_keys_object: a table of 2**log2 slots with the live entries, compacted; then the old is freed. */
function replaceKeys(m: HeapMemory, id: number, log2: number, unicode: boolean): void {
  const d0 = m.data[id];
  const oldAddress = m.store[d0 + B_ADDR] >>> 0;
  const address = objectMalloc(m, dictKeysBytes(m.profile.sizes, log2, unicode));
  const d = storeGrow(m, d0, D_ENTRIES + 2 * usableFraction(1 << log2), D_ENTRIES + 2 * m.store[d0 + D_NENTRIES]);
  m.data[id] = d;
  let live = 0;
  const n = m.store[d + D_NENTRIES];
  for (let i = 0; i < n; i++) {
    const key = m.store[d + D_ENTRIES + 2 * i];
    if (key === 0) continue;
    m.store[d + D_ENTRIES + 2 * live] = key;
    m.store[d + D_ENTRIES + 2 * live + 1] = m.store[d + D_ENTRIES + 2 * i + 1];
    live++;
  }
  m.store[d + B_ADDR] = address;
  m.store[d + B_TRACE] = currentTrace(m);
  m.store[d + D_LOG2] = log2;
  m.store[d + D_UNICODE] = unicode ? 1 : 0;
  m.store[d + D_NENTRIES] = live;
  if (oldAddress !== 0) objectFree(m, oldAddress);
}

/** The (key, value) pairs as borrowed references, in insertion order. */
export function dictItems(m: HeapMemory, id: number): [number, number][] {
  const d = m.data[id];
  const out: [number, number][] = [];
  for (let i = 0; i < m.store[d + D_NENTRIES]; i++) {
    const key = m.store[d + D_ENTRIES + 2 * i];
    if (key !== 0) out.push([key, m.store[d + D_ENTRIES + 2 * i + 1]]);
  }
  return out;
}

/** dict_merge's single resize before inserting another dict's items, when they cannot fit. */
export function dictMergeResize(m: HeapMemory, id: number, other: number): void {
  const d = m.data[id];
  if (usableFraction(1 << m.store[d + D_LOG2]) >= m.size[other]) return;
  const unicode = m.store[m.data[other] + D_UNICODE] === 1 && (m.store[d + D_LOG2] === 0 || m.store[d + D_UNICODE] === 1);
  replaceKeys(m, id, estimateLog2KeySize(m.size[id] + m.size[other], m.profile.sizes.dictLogMinSize), unicode);
}
