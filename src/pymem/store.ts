/*
 * The store: where objects' variable parts live on the host side (a tuple's items,
 * an int's 30-bit digits, a str's code points, a dict's entries). It is the model's
 * own bookkeeping, not simulated memory: the simulated bytes of each object are
 * allocated in obmalloc at CPython's sizes, and the store only remembers contents.
 *
 * Algorithm: segregated free lists, carved from a bump pointer when a list is
 * empty. Classes 0..30 are exact sizes of 2..32 words (header included), so small
 * objects waste nothing; classes 31.. are powers of two from 64 words.
 * Layout of a block: word 0 = its class k, words 1.. = payload. A free block keeps
 * the next free block of its class in word 1.
 */
import { MemoryError } from '../errors.js';
import { H_STORE_FREE, H_STORE_TOP, type HeapMemory } from './memory.js';

/** Offset of a payload of at least `words` Int32 words (its contents are not cleared). */
export function storeAlloc(m: HeapMemory, words: number): number {
  const k = classFor(words + 1);
  const header = m.header;
  const store = m.store;
  let block = header[H_STORE_FREE + k];
  if (block !== 0) {
    header[H_STORE_FREE + k] = store[block + 1];
  } else {
    block = header[H_STORE_TOP];
    if (block === 0) block = 1; // offset 0 is never a block, so 0 can mean none
    const end = block + classWords(k);
    if (end > store.length) throw new MemoryError(`the heap's store is full (${store.length} words); make the heap with a larger storeWords`);
    header[H_STORE_TOP] = end;
  }
  store[block] = k;
  return block + 1;
}

export function storeFree(m: HeapMemory, payload: number): void {
  const block = payload - 1;
  const k = m.store[block];
  m.store[block + 1] = m.header[H_STORE_FREE + k];
  m.header[H_STORE_FREE + k] = block;
}

/** Payload words a block holds. */
export function storeCapacity(m: HeapMemory, payload: number): number {
  return classWords(m.store[payload - 1]) - 1;
}

/** A payload of at least `words`, keeping the first `keep` words of `payload` (which may be -1: none). */
export function storeGrow(m: HeapMemory, payload: number, words: number, keep: number): number {
  if (payload > 0 && storeCapacity(m, payload) >= words) return payload;
  const fresh = storeAlloc(m, words);
  if (payload > 0) {
    m.store.copyWithin(fresh, payload, payload + keep);
    storeFree(m, payload);
  }
  return fresh;
}

const EXACT_CLASSES = 31;
export const STORE_CLASSES = EXACT_CLASSES + 26;

function classFor(words: number): number {
  if (words <= 32) return Math.max(words, 2) - 2;
  return EXACT_CLASSES + (32 - Math.clz32(words - 1)) - 6;
}

function classWords(k: number): number {
  return k < EXACT_CLASSES ? k + 2 : 2 ** (k - EXACT_CLASSES + 6);
}
