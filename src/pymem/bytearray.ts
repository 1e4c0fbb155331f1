/*
 * bytearray (Objects/bytearrayobject.c, CPython 3.11): a 56-byte object with a
 * separate buffer of ob_alloc bytes, reallocated by PyByteArray_Resize as
 * growth.ts states (bytearray(n) and bytearray(b'...') size it exactly, len + 1;
 * an empty one has no buffer; append over-allocates).
 * Store layout: [buffer address, buffer trace, ob_alloc, byte 0, byte 1, ...].
 */
import { byteArrayAlloc } from './growth.js';
import type { HeapMemory } from './memory.js';
import { B_ADDR, B_TRACE, BA_ALLOC, BA_BYTES, newObject } from './objects.js';
import { objectRealloc } from './obmalloc.js';
import { storeAlloc, storeGrow } from './store.js';
import { currentTrace } from './trace-context.js';
import { T } from './types.js';

/** bytearray(values): a new bytearray holding exactly these bytes. */
export function newByteArray(m: HeapMemory, values: ArrayLike<number>): number {
  const id = newObject(m, T.ByteArray);
  const d = storeAlloc(m, BA_BYTES + values.length);
  m.store.fill(0, d, d + BA_BYTES);
  m.data[id] = d;
  byteArrayResize(m, id, values.length);
  for (let i = 0; i < values.length; i++) m.store[m.data[id] + BA_BYTES + i] = values[i];
  return id;
}

/** bytearray.append(byte) (the byte already checked to be in range(0, 256)). */
export function byteArrayAppend(m: HeapMemory, id: number, byte: number): void {
  const n = m.size[id];
  byteArrayResize(m, id, n + 1);
  m.store[m.data[id] + BA_BYTES + n] = byte;
}

/** PyByteArray_Resize(size). */
function byteArrayResize(m: HeapMemory, id: number, size: number): void {
  let d = m.data[id];
  const alloc = size === m.size[id] ? -1 : byteArrayAlloc(m.store[d + BA_ALLOC], size);
  if (alloc >= 0) {
    const address = objectRealloc(m, m.store[d + B_ADDR] >>> 0, alloc);
    d = storeGrow(m, d, BA_BYTES + alloc, BA_BYTES + Math.min(m.size[id], alloc));
    m.data[id] = d;
    m.store[d + B_ADDR] = address;
    m.store[d + B_TRACE] = currentTrace(m);
    m.store[d + BA_ALLOC] = alloc;
  }
  m.size[id] = size;
}
