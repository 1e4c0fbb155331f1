/*
 * tp_clear for the container types, which is also what list.clear(), dict.clear()
 * and set.clear() do: the container is emptied first (list_clear and
 * PyDict_Clear detach the contents before releasing them, so a release that
 * reaches back into the container finds it empty), then every reference is
 * released in the type's order, then the old buffer is freed.
 * Tuples, functions and classes have no tp_clear here (tuples have none in CPython).
 */
import { childAt, childCount } from './children.js';
import type { HeapMemory } from './memory.js';
import { B_ADDR, B_TRACE, D_LOG2, D_NENTRIES, S_FILL, S_TABLE, bufferAddress } from './objects.js';
import { objectFree } from './obmalloc.js';
import { decref } from './refcount.js';
import { storeFree } from './store.js';
import { T } from './types.js';

/** Empties a container and releases what it held; false when the type has no tp_clear. */
export function clearContainer(m: HeapMemory, id: number): boolean {
  const t = m.type[id];
  if (t !== T.List && t !== T.Dict && t !== T.Set && t !== T.FrozenSet && t !== T.Instance && t !== T.SlotsInstance) return false;
  const count = childCount(m, id);
  const refs = new Int32Array(count);
  for (let k = 0; k < count; k++) refs[k] = childAt(m, id, k);
  const buffer = bufferAddress(m, id);
  detach(m, id, t);
  for (let k = 0; k < count; k++) if (refs[k] !== 0) decref(m, refs[k]);
  if (buffer !== 0) objectFree(m, buffer);
  return true;
}

function detach(m: HeapMemory, id: number, t: number): void {
  const d = m.data[id];
  if (t === T.SlotsInstance) {
    m.store.fill(0, d, d + m.size[id]);
    return;
  }
  m.size[id] = 0;
  if (t === T.Instance) return;
  if (t === T.List) {
    // ob_item = NULL, allocated = 0: the list gives up its store block too.
    if (d > 0) storeFree(m, d);
    m.data[id] = -1;
    m.aux[id] = 0;
    return;
  }
  m.store[d + B_ADDR] = 0;
  m.store[d + B_TRACE] = 0;
  if (t === T.Dict) {
    m.store[d + D_LOG2] = 0;
    m.store[d + D_NENTRIES] = 0;
  } else {
    m.store[d + S_TABLE] = 0;
    m.store[d + S_FILL] = 0;
  }
}
