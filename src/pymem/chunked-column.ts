/*
 * A per-object column that costs host memory only where it is used: the column of
 * ids [c * CHUNK_IDS, (c + 1) * CHUNK_IDS) is chunk c, an Int32Array in a kernel
 * region of its own, made (zeroed) the first time a value other than 0 is stored
 * for one of its ids. A chunk never made reads as all zeros. The heap's region
 * holds each chunk's kernel byte offset (0: not made) in a table of its own
 * (memory.ts); each thread caches its views of the chunks it has met. Chunks live
 * as long as the heap and are freed with it.
 *
 * The heap keeps the GC links (only GC objects are ever tracked) and tracemalloc's
 * traces (only objects made while tracing have one) this way, so a heap of floats
 * pays for neither.
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
  readonly #views: (Int32Array | undefined)[] = [];

  constructor(kernel: Kernel, table: Int32Array, header: Int32Array, bytesWord: number) {
    this.#kernel = kernel;
    this.#table = table;
    this.#header = header;
    this.#bytesWord = bytesWord;
  }

  get(id: number): number {
    const chunk = this.#views[id >>> CHUNK_BITS] ?? this.#attach(id >>> CHUNK_BITS);
    return chunk === undefined ? 0 : chunk[id & CHUNK_MASK];
  }

  set(id: number, value: number): void {
    const chunk = this.#views[id >>> CHUNK_BITS] ?? (value === 0 ? this.#attach(id >>> CHUNK_BITS) : this.#make(id >>> CHUNK_BITS));
    if (chunk !== undefined) chunk[id & CHUNK_MASK] = value;
  }

  /** Frees every chunk made (the kernel lock held: the heap is being freed). */
  freeHeld(): void {
    for (let c = 0; c < this.#table.length; c++) {
      if (this.#table[c] !== 0) this.#kernel.freeHeld(this.#table[c]);
      this.#table[c] = 0;
    }
  }

  /** The view of chunk c if some thread made it, else undefined. */
  #attach(c: number): Int32Array | undefined {
    const offset = Atomics.load(this.#table, c);
    if (offset === 0) return undefined;
    const view = new Int32Array(this.#kernel.buffer as SharedArrayBuffer, offset, CHUNK_IDS);
    this.#views[c] = view;
    return view;
  }

  /** Chunk c, made now unless some thread made it first (the kernel lock orders the makers). */
  #make(c: number): Int32Array {
    this.#kernel.locked(() => {
      if (this.#table[c] !== 0) return;
      Atomics.store(this.#table, c, this.#kernel.allocHeld(CHUNK_BYTES));
      Atomics.add(this.#header, this.#bytesWord, CHUNK_BYTES);
    });
    return this.#attach(c)!;
  }
}
