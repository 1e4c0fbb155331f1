/*
 * Interned strings (sys.intern, Objects/unicodeobject.c PyUnicode_InternInPlace):
 * one shared str per distinct value. The set does not own a reference, as in
 * CPython 3.11 (interned strings are "mortal": the interned dict's references are
 * not counted); a str removes itself from the set when it is deallocated.
 * The compiler interns constant strings made only of identifier characters.
 *
 * Layout: `interned` is an open-addressing table of str ids (0 empty, -1 deleted),
 * probed linearly from the model's string hash.
 */
import { MemoryError } from '../errors.js';
import { H_INTERNED_COUNT, type HeapMemory } from './memory.js';
import { codePointsOf, hashPoints, hashStr, sameText, textEquals } from './unicode.js';
import { F_INTERNED, F_STATIC } from './types.js';

/** The interned str with this value, or 0 (a borrowed reference). */
export function findInterned(m: HeapMemory, text: string): number {
  const points = codePointsOf(text);
  const table = m.interned;
  const mask = table.length - 1;
  for (let i = hashPoints(points) & mask, probes = 0; probes < table.length; i = (i + 1) & mask, probes++) {
    const id = table[i];
    if (id === 0) return 0;
    if (id > 0 && textEquals(m, id, points)) return id;
  }
  return 0;
}

/**
 * sys.intern(s): the interned str equal to `id`. Steals the caller's reference to
 * `id` and returns a new reference to the interned one (which is `id` itself when
 * none existed), as PyUnicode_InternInPlace does with its argument.
 */
export function intern(m: HeapMemory, id: number, release: (id: number) => void): number {
  if ((m.flags[id] & F_INTERNED) !== 0) return id;
  const table = m.interned;
  const mask = table.length - 1;
  let free = -1;
  for (let i = hashStr(m, id) & mask, probes = 0; probes < table.length; i = (i + 1) & mask, probes++) {
    const other = table[i];
    if (other === 0) {
      if (free < 0) free = i;
      break;
    }
    if (other < 0) {
      if (free < 0) free = i;
      continue;
    }
    if (sameText(m, other, id)) {
      m.refcnt[other]++;
      release(id);
      return other;
    }
  }
  if (free < 0 || m.header[H_INTERNED_COUNT] >= (table.length * 3) >> 2) {
    throw new MemoryError(`the interned-strings table is full (${table.length} slots); make the heap with a larger internCapacity`);
  }
  table[free] = id;
  m.flags[id] |= F_INTERNED;
  m.header[H_INTERNED_COUNT]++;
  return id;
}

/** Called as an interned str is deallocated. */
export function forgetInterned(m: HeapMemory, id: number): void {
  if ((m.flags[id] & F_STATIC) !== 0) return;
  const table = m.interned;
  const mask = table.length - 1;
  for (let i = hashStr(m, id) & mask, probes = 0; probes < table.length; i = (i + 1) & mask, probes++) {
    if (table[i] === 0) return;
    if (table[i] === id) {
      table[i] = -1;
      m.header[H_INTERNED_COUNT]--;
      return;
    }
  }
}
