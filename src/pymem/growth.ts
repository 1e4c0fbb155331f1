/*
 * CPython 3.11's growth and sizing rules for variable-size buffers, as pure
 * functions of the current state (no heap access), so each rule is stated once.
 * Sources: Objects/listobject.c (list_resize, list_preallocate_exact),
 * Objects/dictobject.c (USABLE_FRACTION, GROWTH_RATE, calculate_log2_keysize,
 * estimate_log2_keysize, new_keys_object, _PyDict_KeysSize),
 * Objects/setobject.c (set_add_entry, set_table_resize, set_merge),
 * Objects/bytearrayobject.c (PyByteArray_Resize).
 */
import type { ObjectSizes } from './profile.js';

/** list_resize: the new `allocated` for `newSize` items, or -1 when the buffer is kept as is. */
export function listResizeAllocated(allocated: number, oldSize: number, newSize: number): number {
  if (allocated >= newSize && newSize >= allocated >> 1) return -1;
  if (newSize === 0) return 0;
  let grown = (newSize + (newSize >> 3) + 6) & ~3;
  // Do not over-allocate when the new size is closer to that than to the old size.
  if (newSize - oldSize > grown - newSize) grown = (newSize + 3) & ~3;
  return grown;
}

/** list_preallocate_exact: extending an empty list rounds its first buffer up to an even count. */
export function listPreallocateExact(count: number): number {
  return (count + 1) & ~1;
}

/** USABLE_FRACTION: entries a key table of `size` slots accepts before it must grow. */
export function usableFraction(size: number): number {
  return Math.floor((size << 1) / 3);
}

/** calculate_log2_keysize (the bit-length form used on 64-bit Linux). */
export function log2KeySize(minSize: number, logMinSize: number): number {
  const min = 1 << logMinSize;
  const v = ((minSize | min) - 1) | (min - 1);
  return 32 - Math.clz32(v);
}

/** estimate_log2_keysize: a table that takes `n` entries without resizing. */
export function estimateLog2KeySize(n: number, logMinSize: number): number {
  return log2KeySize(Math.floor((n * 3 + 1) / 2), logMinSize);
}

/** GROWTH_RATE(d) = used * 3, as a log2 table size. */
export function growthLog2KeySize(used: number, logMinSize: number): number {
  return log2KeySize(used * 3, logMinSize);
}

/** _PyDict_KeysSize: bytes of a PyDictKeysObject of 2**log2 slots. */
export function dictKeysBytes(sizes: ObjectSizes, log2: number, unicode: boolean): number {
  const indexLog2Bytes = log2 < 8 ? log2 : log2 < 16 ? log2 + 1 : log2 < 32 ? log2 + 2 : log2 + 3;
  const entry = unicode ? sizes.dictEntryUnicode : sizes.dictEntryGeneral;
  return sizes.dictKeysHead + 2 ** indexLog2Bytes + usableFraction(2 ** log2) * entry;
}

/** set_table_resize: the table size for at least `minUsed` entries (PySet_MINSIZE, doubling). */
export function setTableSize(minUsed: number, minSize: number): number {
  let size = minSize;
  while (size <= minUsed) size *= 2;
  return size;
}

/** set_add_entry: after adding, resize when fill*5 >= mask*3, to used*4 (used*2 past 50000). */
export function setNeedsResizeAfterAdd(fill: number, tableSize: number): boolean {
  return fill * 5 >= (tableSize - 1) * 3;
}

export function setGrowthTarget(used: number): number {
  return used > 50000 ? used * 2 : used * 4;
}

/** PyByteArray_Resize: the new allocation for `size` bytes, or -1 when the buffer is kept. */
export function byteArrayAlloc(alloc: number, size: number): number {
  if (size + 1 <= alloc) return size < alloc / 2 ? size + 1 : -1;
  if (size <= alloc * 1.125) return size + (size >> 3) + (size < 9 ? 3 : 6);
  return size + 1;
}
