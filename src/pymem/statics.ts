/*
 * The objects CPython 3.11 allocates statically, outside pymalloc, made once when
 * a heap is created: None, False, True, the small ints -5..256
 * (_PY_NSMALLNEGINTS / _PY_NSMALLPOSINTS), the empty tuple, the empty str and the
 * 256 one-character latin-1 strs, the empty bytes and the 256 one-byte bytes, and Ellipsis
 * (_Py_SINGLETON in pycore_global_objects.h). They have refcounts like any other
 * object but are never freed; their addresses lie below the first arena.
 */
import { MemoryError } from '../errors.js';
import {
  FIRST_OBJECT_ID,
  H_ADDRESS_STATIC,
  H_ELLIPSIS,
  H_EMPTY_TUPLE,
  H_FALSE,
  H_LIVE,
  H_NONE,
  H_SLOT_TOP,
  H_SMALL_INTS,
  H_STATIC_BYTES,
  H_STATIC_STRS,
  H_TRUE,
  type HeapMemory,
} from './memory.js';
import { objectSize } from './objects.js';
import { fillText, strKind } from './unicode.js';
import { setNumber } from './numbers.js';
import { F_STATIC, T } from './types.js';

const STATIC_BASE = 0x1000;

export function initStatics(m: HeapMemory): void {
  const h = m.header;
  h[H_ADDRESS_STATIC] = STATIC_BASE;
  h[H_SLOT_TOP] = FIRST_OBJECT_ID;
  h[H_NONE] = makeStatic(m, T.None);
  h[H_FALSE] = makeStatic(m, T.Bool);
  h[H_TRUE] = makeStatic(m, T.Bool, 1);
  setNumber(m, h[H_TRUE], 1);
  setNumber(m, h[H_FALSE], 0);
  m.size[h[H_TRUE]] = 1;
  const { min, max } = m.profile.smallInts;
  for (let v = min; v <= max; v++) {
    const id = makeStatic(m, T.Int, Math.abs(Math.sign(v)));
    if (v === min) h[H_SMALL_INTS] = id;
    setNumber(m, id, v);
    m.size[id] = Math.sign(v);
  }
  h[H_EMPTY_TUPLE] = makeStatic(m, T.Tuple);
  for (let c = -1; c < 256; c++) {
    const points = c < 0 ? [] : [c];
    const id = makeStatic(m, T.Str, points.length, strKind(points));
    if (c < 0) h[H_STATIC_STRS] = id;
    fillText(m, id, T.Str, strKind(points), points);
  }
  for (let c = -1; c < 256; c++) {
    const values = c < 0 ? [] : [c];
    const id = makeStatic(m, T.Bytes, values.length);
    if (c < 0) h[H_STATIC_BYTES] = id;
    fillText(m, id, T.Bytes, 0, values);
  }
  h[H_ELLIPSIS] = makeStatic(m, T.Ellipsis);
}

function makeStatic(m: HeapMemory, type: number, n = 0, kind = 0): number {
  const bytes = objectSize(m, type, n, kind);
  const h = m.header;
  const id = h[H_SLOT_TOP];
  if (id >= m.handle.capacity) throw new MemoryError('the heap is too small for its static objects');
  h[H_SLOT_TOP] = id + 1;
  h[H_LIVE]++;
  m.type[id] = type;
  m.flags[id] = F_STATIC;
  m.refcnt[id] = 1;
  m.ptr[id] = h[H_ADDRESS_STATIC];
  h[H_ADDRESS_STATIC] += Math.ceil(bytes / 16) * 16;
  m.data[id] = -1;
  return id;
}

/** A new reference to a static object. */
export function staticRef(m: HeapMemory, id: number): number {
  m.refcnt[id]++;
  return id;
}

export function isSmallInt(m: HeapMemory, value: number): boolean {
  return Number.isInteger(value) && value >= m.profile.smallInts.min && value <= m.profile.smallInts.max;
}

/** A new reference to the cached int `value` (which must be small). */
export function smallInt(m: HeapMemory, value: number): number {
  return staticRef(m, m.header[H_SMALL_INTS] + value - m.profile.smallInts.min);
}
