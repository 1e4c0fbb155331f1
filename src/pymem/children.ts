/*
 * The references an object holds, in the order CPython's tp_traverse visits them
 * and its tp_dealloc releases them: a tuple's and a list's items last to first
 * (tupletraverse, list_traverse, list_dealloc), a dict's entries first to last, key
 * then value (free_keys_object), a set's entries in table order (here: insertion
 * order), an instance's attributes or slots. A heap-type instance also holds its
 * class (`classOf`), visited by subtype_traverse and released after the instance's
 * memory by subtype_dealloc.
 */
import type { HeapMemory } from './memory.js';
import { D_ENTRIES, D_NENTRIES, L_ITEMS, S_ENTRIES, S_FILL } from './objects.js';
import { T } from './types.js';

/** How many reference slots childAt can be asked for (empty slots answer 0). */
export function childCount(m: HeapMemory, id: number): number {
  switch (m.type[id]) {
    case T.Tuple:
    case T.List:
    case T.SlotsInstance:
      return m.size[id];
    case T.Dict:
      return m.data[id] < 0 ? 0 : 2 * m.store[m.data[id] + D_NENTRIES];
    case T.Set:
    case T.FrozenSet:
      return m.store[m.data[id] + S_FILL];
    case T.Instance:
      return 2 * m.size[id];
    case T.Function:
      return 1;
    case T.Type:
      return 1 + Math.max(0, m.size[id]);
    default:
      return 0;
  }
}

/** Reference slot k (0-based, in visiting order); 0 when the slot is empty. */
export function childAt(m: HeapMemory, id: number, k: number): number {
  const d = m.data[id];
  switch (m.type[id]) {
    case T.Tuple:
      return m.store[d + m.size[id] - 1 - k];
    case T.List:
      return m.store[d + L_ITEMS + m.size[id] - 1 - k];
    case T.Dict:
      return m.store[d + D_ENTRIES + k];
    case T.Set:
    case T.FrozenSet:
      return m.store[d + S_ENTRIES + k];
    case T.Instance:
    case T.SlotsInstance:
      return m.store[d + k];
    case T.Function:
      return m.aux[id];
    case T.Type:
      return k === 0 ? m.aux[id] : m.store[d + k - 1];
    default:
      return 0;
  }
}

/** The class a heap-type instance holds a reference to, else 0. */
export function classOf(m: HeapMemory, id: number, t = m.type[id]): number {
  return t === T.Instance || t === T.SlotsInstance ? m.aux[id] : 0;
}
