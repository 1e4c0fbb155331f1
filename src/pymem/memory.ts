/*
 * The heap's memory: every number the model keeps, as typed arrays over one
 * kernel region (struct of arrays), so that a heap made in one worker can be
 * attached from its handle in another and driven from both at once.
 *
 * Region layout (each array starts 8-byte aligned, in this order):
 *
 *   header     Int32[HEADER_WORDS]      counters, list heads, GC state (H_* below)
 *   refcnt     Int32[capacity]          per object: ob_refcnt
 *   ptr        Uint32[capacity]         per object: its address (id()), in pymalloc or the system allocator
 *   size       Int32[capacity]          per object: ob_size (len, signed digit count, ...)
 *   data       Int32[capacity]          per object: offset of its variable part in the store (-1: none)
 *   aux        Int32[capacity]          per object: type-specific (an instance's class, a str's kind, a list's allocated, ...)
 *                                       (a float, bool or int up to 2**53 keeps its value's 64 bits in data + aux)
 *   type       Uint8[capacity]          per object: type tag (0: free slot)
 *   flags      Uint8[capacity]          per object: STATIC, INTERNED, BIG, TRACED, PENDING (types.ts)
 *   chunks     Int32[3 * chunkCount(capacity)]  kernel offsets of the chunks of the three chunked
 *                                       columns (chunked-column.ts), each made on first use:
 *                                       gcNext: PyGC_Head._gc_next (0 = not linked; bit 30 = unreachable)
 *                                       gcPrev: PyGC_Head._gc_prev (id << 2 | flags, or gc_refs << 2 | flags)
 *                                       trace:  tracemalloc trace of its allocation (read when TRACED)
 *   arenas     Int32[maxArenas * 8]     arena_object fields (A_* below)
 *   nfp2lasta  Int32[poolsPerArena + 1] obmalloc.c's nfp2lasta: the last arena with n free pools
 *   pools      Int32[(maxArenas * poolsPerArena + classes) * 8]  pool_header fields (P_*), then one
 *                                       sentinel per size class heading usedpools[class]
 *   large      Int32[maxLarge * 2]      the system allocator's blocks: size (or -1 free), next free
 *   frames     Int32[threads * (1 + framesPerThread * FRAME_WORDS)]  per thread: depth, then frames
 *   traces     Int32[traceCapacity * 2] tracemalloc's (function, line) pairs, hashed
 *   interned   Int32[internCapacity]    the interned-strings set (open addressing)
 *   pending    Int32[PENDING_CAPACITY]  ids tracked but not yet linked into generation 0 (gc-lists.ts)
 *   store      Int32[storeWords]        variable parts: items, digits, code points (store.ts)
 *
 * The free-block links of each pool live in a kernel region of their own (P_LINKS),
 * one Uint16 per block of the pool's size class, made when obmalloc first carves
 * the pool for a class, remade when the pool is carved for another class, and
 * freed when its arena is unmapped; each thread reads them through one Uint16 view of
 * the whole kernel buffer (linkWords). The chunks of the chunked columns are kernel
 * regions too, made on first use and freed with the heap. hostBytes() counts the
 * region, the links and the chunks (H_MEMORY_BYTES, H_LINK_BYTES, H_CHUNK_BYTES).
 */
import { defaultKernel, kernelOf, type Kernel, type RegionHandle } from '../shm/kernel.js';
import { ValueError } from '../errors.js';
import { profileNamed, profileKey } from './profiles.js';
import { sizeClassCount, type PythonProfile } from './profile.js';
import { ChunkedColumn, chunkCount } from './chunked-column.js';
import { typeSizeTable } from './type-sizes.js';

export interface HeapDimensions {
  /** Most objects alive at once (object slots). */
  readonly capacity: number;
  /** Most arenas mapped at once (each ARENA_SIZE bytes of simulated memory). */
  readonly maxArenas: number;
  /** Most system-allocator blocks alive at once (requests over the small threshold). */
  readonly maxLarge: number;
  /** Int32 words for objects' variable parts. */
  readonly storeWords: number;
  readonly threads: number;
  readonly framesPerThread: number;
  readonly traceCapacity: number;
  readonly internCapacity: number;
}

export interface PyHeapHandle extends RegionHandle, HeapDimensions {
  readonly kind: 'PyHeap';
  readonly profile: string;
}

export const MAGIC = 0x5059_4d45; // "EMYP"

// Header words.
export const H_MAGIC = 0;
export const H_SLOT_FREE = 1; // first free object slot (linked through `size`), 0 = none
export const H_SLOT_TOP = 2; // slots [TOP, capacity) never used
export const H_LIVE = 3;
export const H_USABLE_ARENAS = 4; // arena slot + 1, 0 = NULL
export const H_UNUSED_ARENAS = 5;
export const H_ARENA_OBJECTS = 6; // maxarenas: arena_object slots made so far
export const H_ARENAS_CURRENT = 7;
export const H_ARENAS_TOTAL = 8;
export const H_ARENAS_HIGHWATER = 9;
export const H_LARGE_FREE = 10;
export const H_LARGE_TOP = 11;
export const H_LARGE_LIVE = 12;
export const H_LARGE_BYTES = 13;
export const H_STORE_TOP = 14;
export const H_STORE_FREE = 96; // STORE_CLASSES words: free list head per store class
export const H_GC_COUNT = 47; // 3 words
export const H_GC_THRESHOLD = 50; // 3 words
export const H_GC_ENABLED = 53;
export const H_GC_COLLECTING = 54;
export const H_LONG_LIVED_TOTAL = 55;
export const H_LONG_LIVED_PENDING = 56;
export const H_GC_STATS = 57; // 3 generations x (collections, collected, uncollectable)
export const H_RECURSION_LIMIT = 66;
export const H_TRACING = 67;
export const H_TRACE_COUNT = 68;
export const H_INTERNED_COUNT = 69;
export const H_NONE = 70;
export const H_TRUE = 71;
export const H_FALSE = 72;
export const H_EMPTY_TUPLE = 73;
export const H_SMALL_INTS = 74; // id of the first small int; the rest follow
export const H_GLOBALS = 75; // the module's globals dict
export const H_ADDRESS_STATIC = 77; // next address for statically allocated objects
export const H_MEMORY_BYTES = 78; // host bytes of the region (for statistics)
export const H_LINK_BYTES = 79; // host bytes in pools' link regions
export const H_CHUNK_BYTES = 83; // host bytes in the chunked columns' chunks
export const H_PENDING_TOP = 84; // entries in `pending`
export const H_STATIC_STRS = 80; // id of the static ''; the 256 one-character latin-1 strs follow
export const H_STATIC_BYTES = 81; // id of the static b''; the 256 one-byte bytes follow
export const H_ELLIPSIS = 82; // id of the static Ellipsis (...)
export const HEADER_WORDS = 160;

// Arena fields (struct arena_object).
export const ARENA_WORDS = 8;
export const A_ADDRESS = 0; // 0 = not associated with memory
export const A_NFREEPOOLS = 1;
export const A_NTOTALPOOLS = 2;
export const A_FREEPOOLS = 3; // pool index + 1, 0 = NULL
export const A_POOL_ADDRESS = 4; // index of the next never-used pool
export const A_NEXT = 5; // arena slot + 1
export const A_PREV = 6;

// Pool fields (struct pool_header).
export const POOL_WORDS = 8;
export const P_COUNT = 0; // ref.count: blocks in use
export const P_FREEBLOCK = 1; // block index + 1, 0 = NULL
export const P_NEXT = 2; // pool index (sentinels are pools too)
export const P_PREV = 3;
export const P_SZIDX = 4; // size class, -1 = DUMMY_SIZE_IDX
export const P_NEXTOFFSET = 5; // bytes
export const P_MAXNEXTOFFSET = 6;
export const P_LINKS = 7; // kernel byte offset of the pool's free-block links (0: none yet)

export const FRAME_WORDS = 4;
export const F_FUNCTION = 0; // the function's name (an interned str), 0 for the module
export const F_LINE = 1;
export const F_LOCALS = 2; // store offset of (name, value) pairs
export const F_NLOCALS = 3;

/** Most ids the GC's pending stack holds before it is linked into generation 0. */
export const PENDING_CAPACITY = 256;

/** Object ids 1..7 are the heads of the GC's lists; real objects start at 8. */
export const GEN_HEAD = [1, 2, 3] as const;
export const UNREACHABLE_HEAD = 4;
export const SCRATCH_HEAD = 5;
export const FIRST_OBJECT_ID = 8;

/** The per-object columns kept in chunks made on first use. */
const CHUNKED_COLUMNS = ['gcNext', 'gcPrev', 'trace'] as const;

interface Placement {
  byteOffset: number;
  length: number;
}

/** Where each array of a heap of these dimensions sits in its region. */
function plan(dims: HeapDimensions, profile: PythonProfile) {
  const poolsPerArena = profile.obmalloc.arenaSize / profile.obmalloc.poolSize;
  const classes = sizeClassCount(profile);
  const arrays: Record<string, Placement & { bytes: number }> = {};
  let cursor = 0;
  const place = (name: string, length: number, bytesPerElement: number) => {
    cursor = Math.ceil(cursor / 8) * 8;
    arrays[name] = { byteOffset: cursor, length, bytes: bytesPerElement };
    cursor += length * bytesPerElement;
  };
  const n = dims.capacity;
  place('header', HEADER_WORDS, 4);
  for (const column of ['refcnt', 'ptr', 'size', 'data', 'aux']) place(column, n, 4);
  place('type', n, 1);
  place('flags', n, 1);
  place('chunks', CHUNKED_COLUMNS.length * chunkCount(n), 4);
  place('arenas', dims.maxArenas * ARENA_WORDS, 4);
  place('nfp2lasta', poolsPerArena + 1, 4);
  place('pools', (dims.maxArenas * poolsPerArena + classes) * POOL_WORDS, 4);
  place('large', dims.maxLarge * 2, 4);
  place('frames', dims.threads * (1 + dims.framesPerThread * FRAME_WORDS), 4);
  place('traces', dims.traceCapacity * 2, 4);
  place('interned', dims.internCapacity, 4);
  place('pending', PENDING_CAPACITY, 4);
  place('store', dims.storeWords, 4);
  return { arrays, totalBytes: Math.ceil(cursor / 16) * 16, poolsPerArena, classes };
}

export const DEFAULT_DIMENSIONS: HeapDimensions = {
  capacity: 1 << 16,
  maxArenas: 256,
  maxLarge: 4096,
  storeWords: 1 << 18,
  threads: 4,
  framesPerThread: 1100,
  traceCapacity: 4096,
  internCapacity: 1 << 14,
};

/** The typed arrays of one heap, as seen from this thread. */
export class HeapMemory {
  readonly kernel: Kernel;
  readonly handle: PyHeapHandle;
  readonly profile: PythonProfile;
  readonly poolsPerArena: number;
  readonly classes: number;
  // The profile's obmalloc constants as plain fields, for the allocator's hot paths.
  readonly arenaBits: number;
  readonly poolBits: number;
  readonly alignmentBits: number;
  readonly poolOverhead: number;
  readonly smallRequestThreshold: number;
  /** Each type's basic and item size (type-sizes.ts). */
  readonly typeSizes: Int32Array;
  /** Index of the first usedpools[] sentinel in `pools`. */
  readonly sentinelBase: number;
  readonly header: Int32Array;
  readonly refcnt: Int32Array;
  readonly ptr: Uint32Array;
  readonly size: Int32Array;
  readonly data: Int32Array;
  readonly aux: Int32Array;
  readonly gcNext: ChunkedColumn;
  readonly gcPrev: ChunkedColumn;
  readonly trace: ChunkedColumn;
  readonly type: Uint8Array;
  readonly flags: Uint8Array;
  readonly arenas: Int32Array;
  readonly nfp2lasta: Int32Array;
  readonly pools: Int32Array;
  readonly large: Int32Array;
  readonly frames: Int32Array;
  readonly traces: Int32Array;
  readonly interned: Int32Array;
  readonly pending: Int32Array;
  readonly store: Int32Array;
  #linkWords: Uint16Array = new Uint16Array(0);
  /** This thread's listener for deallocations (tests and teaching views watch the order). */
  onDealloc: ((id: number) => void) | undefined = undefined;
  /** The thread state (frame stack) this thread drives. */
  currentThread = 0;

  private constructor(kernel: Kernel, handle: PyHeapHandle) {
    this.kernel = kernel;
    this.handle = handle;
    this.profile = profileNamed(handle.profile);
    const layout = plan(handle, this.profile);
    this.poolsPerArena = layout.poolsPerArena;
    this.classes = layout.classes;
    const o = this.profile.obmalloc;
    this.arenaBits = Math.log2(o.arenaSize);
    this.poolBits = Math.log2(o.poolSize);
    this.alignmentBits = Math.log2(o.alignment);
    this.poolOverhead = o.poolOverhead;
    this.smallRequestThreshold = o.smallRequestThreshold;
    this.sentinelBase = handle.maxArenas * layout.poolsPerArena;
    this.typeSizes = typeSizeTable(this.profile);
    const view = <T>(name: string, make: new (buffer: SharedArrayBuffer, offset: number, length: number) => T): T => {
      const { byteOffset, length } = layout.arrays[name];
      return new make(kernel.buffer as SharedArrayBuffer, handle.offset + byteOffset, length);
    };
    this.header = view('header', Int32Array);
    this.refcnt = view('refcnt', Int32Array);
    this.ptr = view('ptr', Uint32Array);
    this.size = view('size', Int32Array);
    this.data = view('data', Int32Array);
    this.aux = view('aux', Int32Array);
    this.type = view('type', Uint8Array);
    this.flags = view('flags', Uint8Array);
    const chunks = view('chunks', Int32Array);
    const [gcNext, gcPrev, trace] = CHUNKED_COLUMNS.map((_, i) => {
      const table = chunks.subarray(i * chunkCount(handle.capacity), (i + 1) * chunkCount(handle.capacity));
      return new ChunkedColumn(kernel, table, this.header, H_CHUNK_BYTES);
    });
    this.gcNext = gcNext;
    this.gcPrev = gcPrev;
    this.trace = trace;
    this.arenas = view('arenas', Int32Array);
    this.nfp2lasta = view('nfp2lasta', Int32Array);
    this.pools = view('pools', Int32Array);
    this.large = view('large', Int32Array);
    this.frames = view('frames', Int32Array);
    this.traces = view('traces', Int32Array);
    this.interned = view('interned', Int32Array);
    this.pending = view('pending', Int32Array);
    this.store = view('store', Int32Array);
  }

  /** A new zeroed region for a heap of these dimensions (the caller initialises it). */
  static create(dims: HeapDimensions, profile: PythonProfile): HeapMemory {
    checkDimensions(dims);
    const kernel = defaultKernel();
    const { totalBytes } = plan(dims, profile);
    const offset = kernel.alloc(totalBytes, 'PyHeap');
    const handle = kernel.handleOf<PyHeapHandle>('PyHeap', offset, { profile: profileKey(profile), ...dims });
    const memory = new HeapMemory(kernel, handle);
    memory.header[H_MAGIC] = MAGIC;
    memory.header[H_MEMORY_BYTES] = totalBytes;
    return memory;
  }

  /** The heap a handle names, made in this thread or another. */
  static attach(handle: PyHeapHandle): HeapMemory {
    const kernel = kernelOf(handle);
    kernel.checkHandle(handle, 'PyHeap');
    kernel.attachRegion(handle, 'PyHeap', plan(handle, profileNamed(handle.profile)).totalBytes);
    const memory = new HeapMemory(kernel, handle);
    if (memory.header[H_MAGIC] !== MAGIC) throw new ValueError('this PyHeap handle names a region that is not (or no longer) a heap');
    return memory;
  }

  /**
   * A Uint16 view of the whole kernel buffer, in which the link of block b of pool p
   * is element (P_LINKS of p) / 2 + b: one view serves every pool, so no view goes
   * stale when a pool's links are remade. `index` is the element about to be used:
   * when the buffer has grown past the view, the view is remade over all of it.
   */
  linkWords(index: number): Uint16Array {
    if (index < this.#linkWords.length) return this.#linkWords;
    const buffer = this.kernel.buffer as SharedArrayBuffer;
    this.#linkWords = new Uint16Array(buffer, 0, buffer.byteLength >>> 1);
    return this.#linkWords;
  }

  /** Blocks a pool of size class `sizeClass` holds. */
  blocksPerPool(sizeClass: number): number {
    return Math.floor((this.profile.obmalloc.poolSize - this.poolOverhead) / ((sizeClass + 1) << this.alignmentBits));
  }

  /** Drops one reference to the heap's region; the last one frees it and every pool's links. */
  dropReference(): void {
    this.kernel.release(this.handle.offset, this.handle.serial, () => this.#freeHeld());
  }

  /** Returns the region (and every pool's links) to the kernel now, whatever references remain; the heap is unusable after. */
  release(): void {
    this.kernel.freeIfLive(this.handle.offset, this.handle.serial, () => this.#freeHeld());
  }

  /** Frees the chunks of the chunked columns and the links of every pool, then the region (kernel lock held). */
  #freeHeld(): void {
    for (const column of [this.gcNext, this.gcPrev, this.trace]) column.freeHeld();
    for (let pool = 0; pool < this.sentinelBase; pool++) {
      const links = this.pools[pool * POOL_WORDS + P_LINKS];
      if (links !== 0) this.kernel.freeHeld(links);
      this.pools[pool * POOL_WORDS + P_LINKS] = 0;
    }
    this.header[H_MAGIC] = 0;
    this.kernel.freeHeld(this.handle.offset);
  }
}

function checkDimensions(dims: HeapDimensions): void {
  for (const [name, value] of Object.entries(dims)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new ValueError(`heap option ${name} must be a whole number >= 1, got ${value}`);
  }
  if (dims.capacity >= 1 << 29) throw new ValueError('heap capacity must be below 2**29 objects');
  if (dims.maxArenas > 2000) throw new ValueError('maxArenas must be at most 2000 (the model addresses 2 GiB of arenas)');
  if ((dims.internCapacity & (dims.internCapacity - 1)) !== 0 || (dims.traceCapacity & (dims.traceCapacity - 1)) !== 0) {
    throw new ValueError('internCapacity and traceCapacity must be powers of two');
  }
}
