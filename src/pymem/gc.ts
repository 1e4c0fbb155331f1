/*
 * The cyclic garbage collector (Modules/gcmodule.c, CPython 3.11).
 *
 * Three generations, each a list of tracked objects with a count and a threshold
 * (700, 10, 10). Generation 0's count is the number of GC objects allocated minus
 * those freed since the last collection; generation n+1's count is the number of
 * collections of generation n. collect_generations() collects the oldest
 * generation whose count exceeds its threshold, except that a full collection
 * also waits until the objects that survived a generation-1 collection since the
 * last full one (long_lived_pending) exceed a quarter of those that survived the
 * last full one (long_lived_total).
 *
 * A collection of generation g (gc_collect_main): merge the younger generations
 * into g; copy each object's refcount into gc_refs (update_refs); for every
 * reference from one object of the set to another, decrement the target's gc_refs
 * (subtract_refs): what remains counts references from outside the set. Then scan
 * the list (move_unreachable): an object with gc_refs > 0 is reachable and makes
 * everything it references reachable (an object already moved to the unreachable
 * list comes back, appended to the list being scanned); one with gc_refs == 0
 * moves, tentatively, to the unreachable list. Survivors move to generation g+1.
 * Tuples (and, on a full collection, dicts) that hold no trackable object stop
 * being tracked. The unreachable objects are counted (the number gc.collect
 * returns) and cleared one by one with tp_clear (delete_garbage), which breaks
 * the cycles so reference counting frees them; one that survives its clear moves
 * to the older generation. Legacy finalizers and weak references are not modelled.
 */
import { childAt, childCount, classOf } from './children.js';
import { clearContainer } from './clear.js';
import {
  listAppend,
  listIsEmpty,
  listMerge,
  linkPending,
  listMove,
  listSize,
  isTracked,
  NEXT_UNREACHABLE,
  PREV_COLLECTING,
  PREV_FLAGS,
  prevOf,
  setPrev,
  untrack,
} from './gc-lists.js';
import {
  GEN_HEAD,
  H_GC_COLLECTING,
  H_GC_COUNT,
  H_GC_STATS,
  H_GC_THRESHOLD,
  H_LONG_LIVED_PENDING,
  H_LONG_LIVED_TOTAL,
  UNREACHABLE_HEAD,
  type HeapMemory,
} from './memory.js';
import { D_ENTRIES, D_NENTRIES } from './objects.js';
import { decref, incref } from './refcount.js';
import { isGcType, T } from './types.js';

export const NUM_GENERATIONS = 3;

/** collect_generations: collect the oldest generation over its threshold (see above). */
export function collectGenerations(m: HeapMemory): number {
  const h = m.header;
  for (let g = NUM_GENERATIONS - 1; g >= 0; g--) {
    if (h[H_GC_COUNT + g] > h[H_GC_THRESHOLD + g]) {
      if (g === NUM_GENERATIONS - 1 && h[H_LONG_LIVED_PENDING] < Math.floor(h[H_LONG_LIVED_TOTAL] / 4)) continue;
      return collectMain(m, g);
    }
  }
  return 0;
}

/** gc.collect(generation): 0 when a collection is already running. */
export function collect(m: HeapMemory, generation: number): number {
  const h = m.header;
  if (h[H_GC_COLLECTING] !== 0) return 0;
  h[H_GC_COLLECTING] = 1;
  try {
    return collectMain(m, generation);
  } finally {
    h[H_GC_COLLECTING] = 0;
  }
}

/** gc_collect_main: returns the number of unreachable objects found. */
export function collectMain(m: HeapMemory, generation: number): number {
  const h = m.header;
  linkPending(m);
  if (generation + 1 < NUM_GENERATIONS) h[H_GC_COUNT + generation + 1]++;
  for (let g = 0; g <= generation; g++) h[H_GC_COUNT + g] = 0;
  for (let g = 0; g < generation; g++) listMerge(m, GEN_HEAD[g], GEN_HEAD[generation]);
  const young = GEN_HEAD[generation];
  const old = generation < NUM_GENERATIONS - 1 ? GEN_HEAD[generation + 1] : young;

  updateRefs(m, young);
  subtractRefs(m, young);
  moveUnreachable(m, young, UNREACHABLE_HEAD);
  untrackAtomHolders(m, young, T.Tuple);
  if (young !== old) {
    if (generation === NUM_GENERATIONS - 2) h[H_LONG_LIVED_PENDING] += listSize(m, young);
    listMerge(m, young, old);
  } else {
    untrackAtomHolders(m, young, T.Dict);
    h[H_LONG_LIVED_PENDING] = 0;
    h[H_LONG_LIVED_TOTAL] = listSize(m, young);
  }
  const unreachable = clearUnreachableFlags(m, UNREACHABLE_HEAD);
  deleteGarbage(m, UNREACHABLE_HEAD, old);
  h[H_GC_STATS + generation * 3] += 1;
  h[H_GC_STATS + generation * 3 + 1] += unreachable;
  return unreachable;
}

const refsOf = (m: HeapMemory, id: number): number => m.gcPrev.get(id) >> 2;
const setRefs = (m: HeapMemory, id: number, refs: number): void => {
  m.gcPrev.set(id, (refs << 2) | (m.gcPrev.get(id) & PREV_FLAGS));
};

function updateRefs(m: HeapMemory, young: number): void {
  for (let id = m.gcNext.get(young); id !== young; id = m.gcNext.get(id)) {
    m.gcPrev.set(id, (m.refcnt[id] << 2) | (m.gcPrev.get(id) & PREV_FLAGS) | PREV_COLLECTING);
  }
}

function subtractRefs(m: HeapMemory, young: number): void {
  for (let id = m.gcNext.get(young); id !== young; id = m.gcNext.get(id)) {
    const count = childCount(m, id);
    for (let k = 0; k < count; k++) visitDecref(m, childAt(m, id, k));
    visitDecref(m, classOf(m, id));
  }
}

function visitDecref(m: HeapMemory, child: number): void {
  if (child !== 0 && m.gcNext.get(child) !== 0 && (m.gcPrev.get(child) & PREV_COLLECTING) !== 0) m.gcPrev.set(child, m.gcPrev.get(child) - 4);
}

function moveUnreachable(m: HeapMemory, young: number, unreachable: number): void {
  let prev = young;
  let id = m.gcNext.get(young);
  while (id !== young) {
    if (refsOf(m, id) !== 0) {
      const count = childCount(m, id);
      for (let k = 0; k < count; k++) visitReachable(m, childAt(m, id, k), young);
      visitReachable(m, classOf(m, id), young);
      setPrev(m, id, prev);
      m.gcPrev.set(id, m.gcPrev.get(id) & ~PREV_COLLECTING);
      prev = id;
    } else {
      // Tentatively unreachable: into the unreachable list, its next marked.
      m.gcNext.set(prev, m.gcNext.get(id));
      const last = prevOf(m, unreachable);
      m.gcNext.set(last, NEXT_UNREACHABLE | id);
      setPrev(m, id, last);
      m.gcNext.set(id, NEXT_UNREACHABLE | unreachable);
      setPrev(m, unreachable, id);
    }
    id = m.gcNext.get(prev);
  }
  setPrev(m, young, prev);
  m.gcNext.set(unreachable, m.gcNext.get(unreachable) & ~NEXT_UNREACHABLE);
}

function visitReachable(m: HeapMemory, child: number, young: number): void {
  if (child === 0 || m.gcNext.get(child) === 0 || (m.gcPrev.get(child) & PREV_COLLECTING) === 0) return;
  const next = m.gcNext.get(child);
  if ((next & NEXT_UNREACHABLE) !== 0) {
    // Moved to the unreachable list earlier in the scan: bring it back to be scanned.
    const prev = prevOf(m, child);
    m.gcNext.set(prev, next);
    setPrev(m, next & ~NEXT_UNREACHABLE, prev);
    listAppend(m, child, young);
    setRefs(m, child, 1);
  } else if (refsOf(m, child) === 0) {
    setRefs(m, child, 1);
  }
}

function clearUnreachableFlags(m: HeapMemory, head: number): number {
  let count = 0;
  for (let id = m.gcNext.get(head); id !== head; id = m.gcNext.get(id)) {
    m.gcNext.set(id, m.gcNext.get(id) & ~NEXT_UNREACHABLE);
    count++;
  }
  return count;
}

function deleteGarbage(m: HeapMemory, collectable: number, old: number): void {
  while (!listIsEmpty(m, collectable)) {
    const id = m.gcNext.get(collectable);
    incref(m, id);
    clearContainer(m, id);
    decref(m, id);
    if (m.gcNext.get(collectable) === id) {
      // Still alive after its clear (a tuple, say): it may die when the others are cleared.
      m.gcPrev.set(id, m.gcPrev.get(id) & ~PREV_COLLECTING);
      listMove(m, id, old);
    }
  }
}

/** _PyObject_GC_MAY_BE_TRACKED: a GC object, and if a tuple, a tracked one. */
export function mayBeTracked(m: HeapMemory, id: number): boolean {
  if (id === 0 || !isGcType(m.type[id])) return false;
  return m.type[id] !== T.Tuple || isTracked(m, id);
}

/** untrack_tuples / untrack_dicts: objects of `type` in the list that hold nothing trackable stop being tracked. */
function untrackAtomHolders(m: HeapMemory, young: number, type: number): void {
  let id = m.gcNext.get(young);
  while (id !== young) {
    const next = m.gcNext.get(id);
    if (m.type[id] === type && !holdsTrackable(m, id)) untrack(m, id);
    id = next;
  }
}

function holdsTrackable(m: HeapMemory, id: number): boolean {
  const count = childCount(m, id);
  for (let k = 0; k < count; k++) if (mayBeTracked(m, childAt(m, id, k))) return true;
  return false;
}

/** _PyDict_MaybeUntrack's condition, for inserts (MAINTAIN_TRACKING): does the dict need tracking? */
export function dictNeedsTracking(m: HeapMemory, dict: number): boolean {
  const d = m.data[dict];
  const entries = 2 * m.store[d + D_NENTRIES];
  for (let k = 0; k < entries; k++) if (mayBeTracked(m, m.store[d + D_ENTRIES + k])) return true;
  return false;
}

export interface GenerationStats {
  collections: number;
  collected: number;
  uncollectable: number;
}

/** gc.get_stats(). */
export function gcStats(m: HeapMemory): GenerationStats[] {
  const h = m.header;
  return [0, 1, 2].map((g) => ({
    collections: h[H_GC_STATS + g * 3],
    collected: h[H_GC_STATS + g * 3 + 1],
    uncollectable: h[H_GC_STATS + g * 3 + 2],
  }));
}

/** The ids in a generation's list, in order (gc.get_objects(generation)). */
export function generationObjects(m: HeapMemory, generation: number): number[] {
  linkPending(m);
  const head = GEN_HEAD[generation];
  const ids: number[] = [];
  for (let id = m.gcNext.get(head); id !== head; id = m.gcNext.get(id)) ids.push(id);
  return ids;
}
