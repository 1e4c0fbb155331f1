/*
 * set and frozenset (Objects/setobject.c, CPython 3.11): a 216-byte GC object
 * (with its GC header) holding an inline smalltable of 8 entries; a larger table
 * (16 bytes an entry) is allocated separately. After an add, when fill * 5 >=
 * mask * 3 the table is resized to the smallest power of two above used * 4
 * (used * 2 past 50000 entries). Updating from another set first resizes for
 * (used + other.used) * 2 when the merged fill would pass the same bound, and an
 * empty set then takes the items without further checks (set_insert_clean).
 * A removal leaves a dummy that still counts in fill; an add reuses one.
 * Store layout: [table address, table trace, table size (0: the smalltable), fill, member ...];
 * members are kept in insertion order (a removed one is 0), compared with `==`;
 * setMembers answers them in CPython's table order (set-order.ts).
 */
import { checkHashable, indexOfEqual } from './compare.js';
import { track } from './gc-lists.js';
import { setGrowthTarget, setNeedsResizeAfterAdd, setTableSize } from './growth.js';
import type { HeapMemory } from './memory.js';
import { B_ADDR, B_TRACE, newObject, S_ENTRIES, S_FILL, S_TABLE } from './objects.js';
import { objectFree, objectMalloc } from './obmalloc.js';
import { decref, incref } from './refcount.js';
import { storeAlloc, storeGrow } from './store.js';
import { currentTrace } from './trace-context.js';
import { T } from './types.js';
import { KeyError } from './errors.js';
import { knownHash } from './hash.js';
import { tableOrder } from './set-order.js';

/** make_new_set: an empty set or frozenset, tracked. */
export function newSet(m: HeapMemory, type: T.Set | T.FrozenSet): number {
  const id = newObject(m, type);
  const d = storeAlloc(m, S_ENTRIES + 4);
  m.store.fill(0, d, d + S_ENTRIES);
  m.data[id] = d;
  track(m, id);
  return id;
}

const tableSize = (m: HeapMemory, d: number): number => m.store[d + S_TABLE] || m.profile.sizes.setMinSize;

/** set.add(key): the set takes a new reference when the key is new. */
export function setAdd(m: HeapMemory, id: number, key: number): void {
  checkHashable(m, key);
  if (indexOfEqual(m, id, key) >= 0) return;
  insert(m, id, key);
  const d = m.data[id];
  if (setNeedsResizeAfterAdd(m.store[d + S_FILL], tableSize(m, d))) resizeTable(m, id, setGrowthTarget(m.size[id]));
}

function insert(m: HeapMemory, id: number, key: number): void {
  incref(m, key);
  let d = m.data[id];
  const fill = m.store[d + S_FILL];
  let slot = -1;
  for (let i = 0; i < fill; i++) if (m.store[d + S_ENTRIES + i] === 0) {
    slot = i;
    break;
  }
  if (slot < 0) {
    d = storeGrow(m, d, S_ENTRIES + fill + 1, S_ENTRIES + fill);
    m.data[id] = d;
    slot = fill;
    m.store[d + S_FILL] = fill + 1;
  }
  m.store[d + S_ENTRIES + slot] = key;
  m.size[id]++;
}

/** set.update(other) for a set or frozenset `other` (set_merge). */
export function setMerge(m: HeapMemory, id: number, other: number): void {
  const otherUsed = m.size[other];
  if (otherUsed === 0) return;
  setReserve(m, id, otherUsed);
  const empty = m.store[m.data[id] + S_FILL] === 0;
  const od = m.data[other];
  for (let i = 0; i < m.store[od + S_FILL]; i++) {
    const key = m.store[od + S_ENTRIES + i];
    if (key === 0) continue;
    if (empty) insert(m, id, key);
    else setAdd(m, id, key);
  }
}

/** The one resize set_merge and set_update_internal make before adding `count` keys: when fill + count would pass 3/5 of the mask. */
export function setReserve(m: HeapMemory, id: number, count: number): void {
  const d = m.data[id];
  if ((m.store[d + S_FILL] + count) * 5 >= (tableSize(m, d) - 1) * 3) resizeTable(m, id, (m.size[id] + count) * 2);
}

/** set.discard(key) / set.remove(key) (KeyError when absent and `strict`). */
export function setDiscard(m: HeapMemory, id: number, key: number, strict: boolean): void {
  const slot = indexOfEqual(m, id, key);
  if (slot < 0) {
    if (strict) throw new KeyError('key not found');
    return;
  }
  const index = m.data[id] + S_ENTRIES + slot;
  const old = m.store[index];
  m.store[index] = 0;
  m.size[id]--;
  decref(m, old);
}

/** set_table_resize(minUsed): a new table (or the smalltable), entries compacted, the old table freed. */
function resizeTable(m: HeapMemory, id: number, minUsed: number): void {
  const size = setTableSize(minUsed, m.profile.sizes.setMinSize);
  let d = m.data[id];
  const oldAddress = m.store[d + B_ADDR] >>> 0;
  const small = size === m.profile.sizes.setMinSize;
  const address = small ? 0 : objectMalloc(m, size * m.profile.sizes.setEntry);
  d = storeGrow(m, d, S_ENTRIES + m.store[d + S_FILL], S_ENTRIES + m.store[d + S_FILL]);
  m.data[id] = d;
  let live = 0;
  for (let i = 0; i < m.store[d + S_FILL]; i++) {
    const key = m.store[d + S_ENTRIES + i];
    if (key !== 0) m.store[d + S_ENTRIES + live++] = key;
  }
  m.store[d + S_FILL] = live;
  m.store[d + B_ADDR] = address;
  m.store[d + B_TRACE] = small ? 0 : currentTrace(m);
  m.store[d + S_TABLE] = small ? 0 : size;
  if (oldAddress !== 0) objectFree(m, oldAddress);
}

/** Borrowed references to the members, in the order CPython iterates them (set-order.ts). */
export function setMembers(m: HeapMemory, id: number): number[] {
  const d = m.data[id];
  const members: number[] = [];
  for (let i = 0; i < m.store[d + S_FILL]; i++) if (m.store[d + S_ENTRIES + i] !== 0) members.push(m.store[d + S_ENTRIES + i]);
  const hashes = members.map((member) => knownHash(m, member));
  if (hashes.some((hash) => hash === undefined)) return members;
  return tableOrder(members, hashes as bigint[], tableSize(m, d));
}
