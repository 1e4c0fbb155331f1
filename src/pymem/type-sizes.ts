/*
 * Each built-in type's size as a table: tp_basicsize (GC header included for GC
 * types) and tp_itemsize, so that most objects' sizes are basic + item * ob_size
 * (objects.ts's objectSize) without a switch on the type. Ints and strs, whose
 * sizes follow other rules, are not in it (0 in both places).
 *
 * Layout: Int32[2 * TYPE_COUNT]: basic sizes by type tag, then item sizes.
 */
import type { PythonProfile } from './profile.js';
import { T, TYPE_NAMES } from './types.js';

export const TYPE_COUNT = TYPE_NAMES.length;

export function typeSizeTable(profile: PythonProfile): Int32Array {
  const s = profile.sizes;
  const gc = profile.gcHeader;
  const table = new Int32Array(2 * TYPE_COUNT);
  const set = (type: number, basic: number, item = 0) => {
    table[type] = basic;
    table[TYPE_COUNT + type] = item;
  };
  set(T.None, s.none);
  set(T.Ellipsis, s.none);
  set(T.Float, s.float);
  set(T.Complex, s.complex);
  set(T.Bytes, s.bytesHead + 1, 1);
  set(T.ByteArray, s.bytearray);
  set(T.Tuple, gc + s.tupleHead, s.pointer);
  set(T.List, gc + s.list);
  set(T.Dict, gc + s.dict);
  set(T.Set, gc + s.set);
  set(T.FrozenSet, gc + s.set);
  set(T.Instance, gc + s.managedDictPreHeader + s.instanceBase);
  set(T.SlotsInstance, gc + s.slotsBase, s.pointer);
  set(T.Function, gc + s.function);
  set(T.Type, gc + s.heapType);
  return table;
}
