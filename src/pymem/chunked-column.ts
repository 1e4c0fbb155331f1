/*
 * A per-object column that costs host memory only where it is used: the column of
 * ids [c * CHUNK_IDS, (c + 1) * CHUNK_IDS) is chunk c, CHUNK_IDS Int32 words in a
 * kernel region of its own, made (zeroed) the first time a value other than 0 is
 * stored for one of its ids. A chunk never made reads as all zeros. The heap's
 * region holds each chunk's kernel byte offset (0: not made) in a table of its
 * own (memory.ts); a thread reads and writes the chunks through one Int32 view of
 * the whole kernel buffer, remade when the buffer has grown past it, so no view
 * of a chunk goes stale. Chunks live as long as the heap and are freed with it.
 *
 * The heap keeps the GC links (only GC objects are ever linked into a GC list)
 * and tracemalloc's traces (only objects made while tracing have one) this way,
 * so a heap of floats pays for neither.
 */
import type { Kernel } from '../shm/kernel.js';

export const CHUNK_BITS = 12;
export const CHUNK_IDS = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_IDS - 1;
const CHUNK_BYTES = CHUNK_IDS * 4;

/** Chunks a column over `capacity` ids can have. */
export const chunkCount = (capacity: number): number => Math.ceil(capacity / CHUNK_IDS);

export class ChunkedColumn {
  readonly #kernel: Kernel;
  /** Kernel offsets of this column's chunks, in the heap's region. */
  readonly #table: Int32Array;
  /** The heap's header, and the word in it that counts host bytes in chunks. */
  readonly #header: Int32Array;
  readonly #bytesWord: number;
  #words: Int32Array = new Int32Array(0);

  constructor(kernel: Kernel, table: Int32Array, header: Int32Array, bytesWord: number) {
    this.#kernel = kernel;
    this.#table = table;
    this.#header = header;
    this.#bytesWord = bytesWord;
  }

  get(id: number): number {
    const offset = this.#table[id >>> CHUNK_BITS];
    if (offset === 0) return 0;
    const word = (offset >>> 2) + (id & CHUNK_MASK);
    return this.#wordsFor(word)[word];
  }

  set(id: number, value: number): void {
    let offset = this.#table[id >>> CHUNK_BITS];
    if (offset === 0) {
      if (value === 0) return;
      offset = this.#make(id >>> CHUNK_BITS);
    }
    const word = (offset >>> 2) + (id & CHUNK_MASK);
    this.#wordsFor(word)[word] = value;
  }

  /** Frees every chunk made (the kernel lock held: the heap is being freed). */
  freeHeld(): void {
    for (let c = 0; c < this.#table.length; c++) {
      if (this.#table[c] !== 0) this.#kernel.freeHeld(this.#table[c]);
      this.#table[c] = 0;
    }
  }

  /** The Int32 view of the kernel buffer, remade over all of it when `word` lies past it. */
  #wordsFor(word: number): Int32Array {
    if (word < this.#words.length) return this.#words;
    const buffer = this.#kernel.buffer as SharedArrayBuffer;
    this.#words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    return this.#words;
  }

  /** Chunk c's kernel offset, the chunk made now unless some thread made it first (the kernel lock orders the makers). */
  #make(c: number): number {
    return this.#kernel.locked(() => {
      if (this.#table[c] === 0) {
        Atomics.store(this.#table, c, this.#kernel.allocHeld(CHUNK_BYTES));
        Atomics.add(this.#header, this.#bytesWord, CHUNK_BYTES);
      }
      return this.#table[c];
    });
  }
}
