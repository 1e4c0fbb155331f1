/*
 * Object slots and the memory of each object: what CPython's PyObject_Malloc /
 * _PyObject_GC_New allocate for it, and what sys.getsizeof says of it.
 *
 * An object is a slot (row) of the struct-of-arrays columns in memory.ts. Making
 * one takes a free slot, allocates its bytes in obmalloc at CPython's size (GC
 * header included for GC types) and, for a GC type, counts it in generation 0
 * (_PyObject_GC_Link), which may start a collection. Its GC links and its trace are
 * in chunked columns (chunked-column.ts): a free slot's GC links are 0 (it was
 * untracked before it was freed), and only an object made while tracing (F_TRACED)
 * has its trace stored. Its variable part lives in the
 * store; containers with a separate C buffer (a list's ob_item, a dict's keys
 * table, a set's table, a bytearray's ob_bytes) keep that buffer's address and
 * tracemalloc trace in the first words of their store block (B_*). A list whose
 * ob_item is NULL (a new empty list, a cleared one) has no store block at all.
 */
import { MemoryError } from '../errors.js';
import { dictKeysBytes } from './growth.js';
import {
  FIRST_OBJECT_ID,
  H_GC_COUNT,
  H_GC_THRESHOLD,
  H_LIVE,
  H_SLOT_FREE,
  H_SLOT_TOP,
  type HeapMemory,
} from './memory.js';
import { objectFree, objectMalloc } from './obmalloc.js';
import { F_BIG, F_TRACED, isGcType, KIND_ASCII, KIND_LATIN1, T } from './types.js';
import { currentTrace } from './trace-context.js';
import { TYPE_COUNT } from './type-sizes.js';
import { maybeCollect } from './gc-trigger.js';

// Store layout of containers with a separate buffer (a list has a store block only while it has one).
export const B_ADDR = 0;
export const B_TRACE = 1;
export const L_ITEMS = 2; // a list's `allocated` is its `aux` column
export const D_LOG2 = 2; // 0: the shared empty keys (no table)
export const D_UNICODE = 3;
export const D_NENTRIES = 4;
export const D_ENTRIES = 5; // (key, value) pairs; a deleted entry is (0, 0)
export const S_TABLE = 2; // 0: the inline smalltable
export const S_FILL = 3;
export const S_ENTRIES = 4; // members in insertion order; a deleted one is 0
export const BA_ALLOC = 2;
export const BA_BYTES = 3;

/**
 * A new object of `type` with ob_size `n` (and, for a str, its kind), allocated at
 * objectSize's bytes; refcount 1, untracked, size n. The caller fills in its contents.
 */
export function newObject(m: HeapMemory, type: number, n = 0, kind = 0): number {
  const address = objectMalloc(m, objectSize(m, type, n, kind));
  const gc = isGcType(type);
  const gcCount = gc ? ++m.header[H_GC_COUNT] : 0;
  const id = takeSlot(m);
  m.type[id] = type;
  m.refcnt[id] = 1;
  m.ptr[id] = address;
  m.size[id] = n;
  m.data[id] = -1;
  m.aux[id] = 0;
  // A free slot's GC links are already 0: every object is untracked before it is freed.
  const trace = currentTrace(m);
  if (trace === 0) {
    m.flags[id] = 0;
  } else {
    m.flags[id] = F_TRACED;
    m.trace.set(id, trace);
  }
  if (gc && gcCount > m.header[H_GC_THRESHOLD]) maybeCollect(m);
  return id;
}

/** Does the object's `data` column name a store block it owns (rather than hold a number's bits)? */
export function ownsStore(m: HeapMemory, id: number, t = m.type[id]): boolean {
  if (t === T.Float || t === T.Bool) return false;
  if (t === T.Int) return (m.flags[id] & F_BIG) !== 0;
  return m.data[id] > 0;
}

/** Frees the object's own memory and its slot (its contents must already be released). */
export function freeObject(m: HeapMemory, id: number, type = m.type[id]): void {
  if (isGcType(type) && m.header[H_GC_COUNT] > 0) m.header[H_GC_COUNT]--;
  objectFree(m, m.ptr[id]);
  m.type[id] = T.Free;
  m.size[id] = m.header[H_SLOT_FREE];
  m.header[H_SLOT_FREE] = id;
  m.header[H_LIVE]--;
}

function takeSlot(m: HeapMemory): number {
  const header = m.header;
  let id = header[H_SLOT_FREE];
  if (id !== 0) {
    header[H_SLOT_FREE] = m.size[id];
  } else {
    id = Math.max(header[H_SLOT_TOP], FIRST_OBJECT_ID);
    if (id >= m.handle.capacity) throw new MemoryError(`the heap holds at most ${m.handle.capacity} objects; make it with a larger capacity`);
    header[H_SLOT_TOP] = id + 1;
  }
  header[H_LIVE]++;
  return id;
}

/** Bytes CPython allocates for the object itself (GC header and pre-header included). */
export function objectBytes(m: HeapMemory, id: number): number {
  return objectSize(m, m.type[id], m.size[id], m.aux[id]);
}

/** Bytes an object of `type` with ob_size `n` (a str: of `kind`) takes, as its type's tp_basicsize/tp_itemsize say. */
export function objectSize(m: HeapMemory, type: number, n: number, kind = 0): number {
  if (type === T.Int || type === T.Bool) {
    const s = m.profile.sizes;
    return s.longHead + s.digitBytes * Math.max(1, Math.abs(n));
  }
  if (type === T.Str) return strBytes(m, kind, n);
  const basic = m.typeSizes[type];
  if (basic === 0 || basic === undefined) throw new TypeError(`no object of type ${type}`);
  return basic + m.typeSizes[TYPE_COUNT + type] * n;
}

/** A compact str: PyASCIIObject + len + 1, or PyCompactUnicodeObject + (len + 1) * char size. */
export function strBytes(m: HeapMemory, kind: number, length: number): number {
  const s = m.profile.sizes;
  if (kind === KIND_ASCII) return s.asciiHead + length + 1;
  const width = kind === KIND_LATIN1 ? 1 : kind;
  return s.compactUnicodeHead + (length + 1) * width;
}

/** Bytes of the object's separate buffer, as CPython allocated them (0 when none). */
export function bufferBytes(m: HeapMemory, id: number): number {
  const s = m.profile.sizes;
  const d = m.data[id];
  switch (m.type[id]) {
    case T.List:
      return m.aux[id] * s.pointer;
    case T.Dict:
      return m.store[d + D_LOG2] === 0 ? 0 : dictKeysBytes(s, m.store[d + D_LOG2], m.store[d + D_UNICODE] === 1);
    case T.Set:
    case T.FrozenSet:
      return m.store[d + S_TABLE] === 0 ? 0 : m.store[d + S_TABLE] * s.setEntry;
    case T.ByteArray:
      return m.store[d + BA_ALLOC];
    default:
      return 0;
  }
}

/** The buffer's address (0 when the object has none). */
export function bufferAddress(m: HeapMemory, id: number, t = m.type[id]): number {
  if (t !== T.List && t !== T.Dict && t !== T.Set && t !== T.FrozenSet && t !== T.ByteArray) return 0;
  const d = m.data[id];
  return d > 0 ? m.store[d + B_ADDR] >>> 0 : 0;
}

/** sys.getsizeof: __sizeof__ plus the GC header, as CPython 3.11 computes it: the object and its buffer. */
export function getsizeof(m: HeapMemory, id: number): number {
  return objectBytes(m, id) + bufferBytes(m, id);
}
