/*
 * pymalloc, CPython's small-object allocator (Objects/obmalloc.c, 3.11), and the
 * system allocator it falls back to.
 *
 *   arena (ARENA_SIZE = 1 MiB, mapped on demand)
 *   +--------+--------+--------+-----+--------+
 *   | pool 0 | pool 1 | pool 2 | ... | pool 63|    pool = POOL_SIZE = 16 KiB
 *   +--------+--------+--------+-----+--------+
 *   pool: | header (POOL_OVERHEAD = 48 B) | block | block | ... | waste |
 *         all blocks of one size class: (class + 1) * ALIGNMENT bytes
 *
 * Requests of 1..SMALL_REQUEST_THRESHOLD bytes go to size class (n - 1) >> 4.
 * usedpools[class] is a circular list of the pools of that class that have a free
 * block; a pool's free blocks form a LIFO list (freeblock), extended lazily from
 * the never-used tail (nextoffset / maxnextoffset). A full pool leaves its list; a
 * pool whose last block is freed goes to its arena's freepools. usable_arenas lists
 * the arenas that have a free pool, sorted by ascending number of free pools (the
 * fullest first, so nearly empty arenas can drain), with nfp2lasta[n] pointing at
 * the last arena with n free pools so re-sorting is O(1). An arena all of whose
 * pools are free is unmapped, unless it is the last one in usable_arenas
 * (bpo-37257). Requests of 0 bytes or over the threshold go to the system
 * allocator (malloc), modelled as a table of sized blocks.
 *
 * The state is in HeapMemory: arena_object fields in `arenas`, pool_header fields
 * in `pools` (one sentinel pool per class heads usedpools[class]), the free-block
 * links of each pool in its own kernel region, one 16-bit link per block of its
 * class (P_LINKS: made when the pool is first carved for a class, remade when it is
 * carved for another, freed when its arena is unmapped; read through
 * HeapMemory.linkWords, one view of the kernel buffer).
 * Simulated addresses: arena slot s occupies [(s + 1) * ARENA_SIZE, (s + 2) * ARENA_SIZE);
 * the system allocator's blocks are at LARGE_BASE + 16 * slot; statically allocated
 * objects (None, small ints) sit below the first arena. Arenas are ARENA_SIZE
 * aligned here, so no pool is lost to alignment (CPython's mmap'd arenas may lose one).
 * Facts from Objects/obmalloc.c: pymalloc_alloc, pymalloc_pool_extend,
 * allocate_from_new_pool, new_arena, pymalloc_free, insert_to_usedpool,
 * insert_to_freepool, pymalloc_realloc.
 */
import { MemoryError } from '../errors.js';
import {
  A_ADDRESS,
  A_FREEPOOLS,
  A_NEXT,
  A_NFREEPOOLS,
  A_NTOTALPOOLS,
  A_POOL_ADDRESS,
  A_PREV,
  ARENA_WORDS,
  H_ARENA_OBJECTS,
  H_ARENAS_CURRENT,
  H_ARENAS_HIGHWATER,
  H_ARENAS_TOTAL,
  H_LARGE_BYTES,
  H_LARGE_FREE,
  H_LARGE_LIVE,
  H_LARGE_TOP,
  H_LINK_BYTES,
  H_UNUSED_ARENAS,
  H_USABLE_ARENAS,
  P_COUNT,
  P_FREEBLOCK,
  P_LINKS,
  P_MAXNEXTOFFSET,
  P_NEXT,
  P_NEXTOFFSET,
  P_PREV,
  P_SZIDX,
  POOL_WORDS,
  type HeapMemory,
} from './memory.js';

export const LARGE_BASE = 0x8000_0000;
const DUMMY_SIZE_IDX = -1;

/** Makes every usedpools[] list empty (each sentinel pointing at itself). */
export function initObmalloc(m: HeapMemory): void {
  for (let c = 0; c < m.classes; c++) {
    const s = sentinel(m, c);
    m.pools[s * POOL_WORDS + P_NEXT] = s;
    m.pools[s * POOL_WORDS + P_PREV] = s;
  }
}

/** PyObject_Malloc: an address for `nbytes`, from pymalloc when it is small, else from the system. */
export function objectMalloc(m: HeapMemory, nbytes: number): number {
  if (nbytes === 0 || nbytes > m.smallRequestThreshold) return systemMalloc(m, nbytes);
  return pymallocAlloc(m, (nbytes - 1) >> m.alignmentBits);
}

/** PyObject_Free. */
export function objectFree(m: HeapMemory, address: number): void {
  if (address >= LARGE_BASE) systemFree(m, address);
  else pymallocFree(m, address);
}

/** PyObject_Realloc (and PyMem_Realloc, which uses pymalloc too): may move the block. */
export function objectRealloc(m: HeapMemory, address: number, nbytes: number): number {
  if (address === 0) return objectMalloc(m, nbytes);
  if (address >= LARGE_BASE) {
    // pymalloc does not take over a block the system allocator owns: realloc() keeps it there.
    const slot = (address - LARGE_BASE) >>> 4;
    m.header[H_LARGE_BYTES] += nbytes - m.large[slot * 2];
    m.large[slot * 2] = nbytes;
    return address;
  }
  const size = blockSize(m, address);
  // Shrinking in place unless at least a quarter of the block can be given back.
  if (nbytes <= size && 4 * nbytes > 3 * size) return address;
  const moved = objectMalloc(m, nbytes);
  objectFree(m, address);
  return moved;
}

/** The bytes the allocator actually reserved for an address (block size, or the malloc size). */
export function allocatedBytes(m: HeapMemory, address: number): number {
  return address >= LARGE_BASE ? m.large[((address - LARGE_BASE) >>> 4) * 2] : blockSize(m, address);
}

export function isPymallocAddress(m: HeapMemory, address: number): boolean {
  return address >= m.profile.obmalloc.arenaSize && address < LARGE_BASE;
}

function blockSize(m: HeapMemory, address: number): number {
  return (m.pools[poolOf(m, address) * POOL_WORDS + P_SZIDX] + 1) << m.alignmentBits;
}

const sentinel = (m: HeapMemory, sizeClass: number): number => m.sentinelBase + sizeClass;
const arenaBase = (m: HeapMemory, slot: number): number => (slot + 1) << m.arenaBits;
const arenaOfPool = (m: HeapMemory, pool: number): number => (pool / m.poolsPerArena) | 0;
/** Arena slot s starts at (s + 1) << arenaBits, so address >> poolBits counts pools from address 0. */
const poolOf = (m: HeapMemory, address: number): number => (address >>> m.poolBits) - m.poolsPerArena;

/** Where block `block` of pool `pool` keeps its link, in m.linkWords. */
const linkIndex = (m: HeapMemory, pool: number, block: number): number => (m.pools[pool * POOL_WORDS + P_LINKS] >>> 1) + block;

function setLink(m: HeapMemory, pool: number, block: number, next: number): void {
  const link = linkIndex(m, pool, block);
  m.linkWords(link)[link] = next;
}

function blockAddress(m: HeapMemory, pool: number, index: number, sizeClass: number): number {
  return ((pool + m.poolsPerArena) << m.poolBits) + m.poolOverhead + index * ((sizeClass + 1) << m.alignmentBits);
}

function pymallocAlloc(m: HeapMemory, sizeClass: number): number {
  const pools = m.pools;
  const head = sentinel(m, sizeClass);
  const pool = pools[head * POOL_WORDS + P_NEXT];
  if (pool === head) return allocateFromNewPool(m, sizeClass);
  const p = pool * POOL_WORDS;
  pools[p + P_COUNT]++;
  const block = pools[p + P_FREEBLOCK] - 1;
  const link = linkIndex(m, pool, block);
  const next = m.linkWords(link)[link];
  pools[p + P_FREEBLOCK] = next;
  if (next === 0) extendPool(m, pool, sizeClass);
  return blockAddress(m, pool, block, sizeClass);
}

/** pymalloc_pool_extend: the free list ran out; take the next never-used block or leave usedpools. */
function extendPool(m: HeapMemory, pool: number, sizeClass: number): void {
  const pools = m.pools;
  const p = pool * POOL_WORDS;
  const size = (sizeClass + 1) << m.alignmentBits;
  if (pools[p + P_NEXTOFFSET] <= pools[p + P_MAXNEXTOFFSET]) {
    const block = (pools[p + P_NEXTOFFSET] - m.poolOverhead) / size;
    pools[p + P_FREEBLOCK] = block + 1;
    pools[p + P_NEXTOFFSET] += size;
    setLink(m, pool, block, 0);
    return;
  }
  unlinkPool(m, pool);
}

function unlinkPool(m: HeapMemory, pool: number): void {
  const pools = m.pools;
  const next = pools[pool * POOL_WORDS + P_NEXT];
  const prev = pools[pool * POOL_WORDS + P_PREV];
  pools[next * POOL_WORDS + P_PREV] = prev;
  pools[prev * POOL_WORDS + P_NEXT] = next;
}

const arenaField = (slot: number, field: number): number => slot * ARENA_WORDS + field;

function allocateFromNewPool(m: HeapMemory, sizeClass: number): number {
  const { arenas, pools, header, nfp2lasta } = m;
  if (header[H_USABLE_ARENAS] === 0) {
    const slot = newArena(m);
    arenas[arenaField(slot, A_NEXT)] = 0;
    arenas[arenaField(slot, A_PREV)] = 0;
    header[H_USABLE_ARENAS] = slot + 1;
    nfp2lasta[arenas[arenaField(slot, A_NFREEPOOLS)]] = slot + 1;
  }
  const usable = header[H_USABLE_ARENAS] - 1;
  const nfree = arenas[arenaField(usable, A_NFREEPOOLS)];
  if (nfp2lasta[nfree] === usable + 1) nfp2lasta[nfree] = 0;
  if (nfree > 1) nfp2lasta[nfree - 1] = usable + 1;

  let pool: number;
  const cached = arenas[arenaField(usable, A_FREEPOOLS)];
  if (cached !== 0) {
    pool = cached - 1;
    arenas[arenaField(usable, A_FREEPOOLS)] = pools[pool * POOL_WORDS + P_NEXT];
  } else {
    pool = usable * m.poolsPerArena + arenas[arenaField(usable, A_POOL_ADDRESS)];
    pools[pool * POOL_WORDS + P_SZIDX] = DUMMY_SIZE_IDX;
    arenas[arenaField(usable, A_POOL_ADDRESS)]++;
  }
  if (--arenas[arenaField(usable, A_NFREEPOOLS)] === 0) {
    // Wholly allocated: it leaves usable_arenas.
    const next = arenas[arenaField(usable, A_NEXT)];
    header[H_USABLE_ARENAS] = next;
    if (next !== 0) arenas[arenaField(next - 1, A_PREV)] = 0;
  }

  // Front-link into the (empty) usedpools list of this class.
  const head = sentinel(m, sizeClass);
  const p = pool * POOL_WORDS;
  pools[p + P_NEXT] = head;
  pools[p + P_PREV] = head;
  pools[head * POOL_WORDS + P_NEXT] = pool;
  pools[head * POOL_WORDS + P_PREV] = pool;
  pools[p + P_COUNT] = 1;
  const size = (sizeClass + 1) << m.alignmentBits;
  if (pools[p + P_SZIDX] === sizeClass) {
    // The pool last held this class: its free list is still valid.
    const block = pools[p + P_FREEBLOCK] - 1;
    const link = linkIndex(m, pool, block);
    pools[p + P_FREEBLOCK] = m.linkWords(link)[link];
    return blockAddress(m, pool, block, sizeClass);
  }
  const { poolOverhead, poolSize } = m.profile.obmalloc;
  remakeLinks(m, pool, sizeClass);
  pools[p + P_SZIDX] = sizeClass;
  pools[p + P_NEXTOFFSET] = poolOverhead + 2 * size;
  pools[p + P_MAXNEXTOFFSET] = poolSize - size;
  pools[p + P_FREEBLOCK] = 2; // block 1
  setLink(m, pool, 1, 0);
  return blockAddress(m, pool, 0, sizeClass);
}

/** A link region sized for the blocks of `sizeClass`, in place of the pool's old one (if any). */
function remakeLinks(m: HeapMemory, pool: number, sizeClass: number): void {
  freeLinks(m, pool);
  const bytes = m.blocksPerPool(sizeClass) * 2;
  m.pools[pool * POOL_WORDS + P_LINKS] = m.kernel.alloc(bytes);
  m.header[H_LINK_BYTES] += bytes;
}

function freeLinks(m: HeapMemory, pool: number): void {
  const offset = m.pools[pool * POOL_WORDS + P_LINKS];
  if (offset === 0) return;
  m.kernel.free(offset);
  m.header[H_LINK_BYTES] -= m.blocksPerPool(m.pools[pool * POOL_WORDS + P_SZIDX]) * 2;
  m.pools[pool * POOL_WORDS + P_LINKS] = 0;
}

/** new_arena: an arena_object from the unused list (the array doubles from 16 when empty), mapped. */
function newArena(m: HeapMemory): number {
  const { arenas, header } = m;
  if (header[H_UNUSED_ARENAS] === 0) {
    const made = header[H_ARENA_OBJECTS];
    const limit = m.handle.maxArenas;
    if (made >= limit) throw new MemoryError(`pymalloc cannot map another arena: the heap allows ${limit} (make it with a larger maxArenas)`);
    const grown = Math.min(limit, made === 0 ? m.profile.obmalloc.initialArenaObjects : made * 2);
    for (let slot = made; slot < grown; slot++) {
      arenas[arenaField(slot, A_ADDRESS)] = 0;
      arenas[arenaField(slot, A_NEXT)] = slot + 1 < grown ? slot + 2 : 0;
    }
    header[H_UNUSED_ARENAS] = made + 1;
    header[H_ARENA_OBJECTS] = grown;
  }
  const slot = header[H_UNUSED_ARENAS] - 1;
  header[H_UNUSED_ARENAS] = arenas[arenaField(slot, A_NEXT)];
  arenas[arenaField(slot, A_ADDRESS)] = arenaBase(m, slot);
  arenas[arenaField(slot, A_FREEPOOLS)] = 0;
  arenas[arenaField(slot, A_POOL_ADDRESS)] = 0;
  arenas[arenaField(slot, A_NFREEPOOLS)] = m.poolsPerArena;
  arenas[arenaField(slot, A_NTOTALPOOLS)] = m.poolsPerArena;
  header[H_ARENAS_CURRENT]++;
  header[H_ARENAS_TOTAL]++;
  if (header[H_ARENAS_CURRENT] > header[H_ARENAS_HIGHWATER]) header[H_ARENAS_HIGHWATER] = header[H_ARENAS_CURRENT];
  return slot;
}

function pymallocFree(m: HeapMemory, address: number): void {
  const pools = m.pools;
  const pool = poolOf(m, address);
  const p = pool * POOL_WORDS;
  const size = (pools[p + P_SZIDX] + 1) << m.alignmentBits;
  const block = (((address & ((1 << m.poolBits) - 1)) - m.poolOverhead) / size) | 0;
  const lastFree = pools[p + P_FREEBLOCK];
  setLink(m, pool, block, lastFree);
  pools[p + P_FREEBLOCK] = block + 1;
  const count = --pools[p + P_COUNT];
  if (lastFree === 0) {
    // The pool was full, so it is in no list: front-link it into usedpools.
    insertToUsedPool(m, pool);
    return;
  }
  if (count !== 0) return;
  insertToFreePool(m, pool);
}

function insertToUsedPool(m: HeapMemory, pool: number): void {
  const pools = m.pools;
  const head = sentinel(m, pools[pool * POOL_WORDS + P_SZIDX]);
  const next = pools[head * POOL_WORDS + P_NEXT];
  pools[pool * POOL_WORDS + P_NEXT] = next;
  pools[pool * POOL_WORDS + P_PREV] = head;
  pools[next * POOL_WORDS + P_PREV] = pool;
  pools[head * POOL_WORDS + P_NEXT] = pool;
}

function insertToFreePool(m: HeapMemory, pool: number): void {
  const { arenas, pools, header, nfp2lasta } = m;
  unlinkPool(m, pool);
  const ao = arenaOfPool(m, pool);
  pools[pool * POOL_WORDS + P_NEXT] = arenas[arenaField(ao, A_FREEPOOLS)];
  arenas[arenaField(ao, A_FREEPOOLS)] = pool + 1;
  let nf = arenas[arenaField(ao, A_NFREEPOOLS)];
  const lastnf = nfp2lasta[nf];
  if (lastnf === ao + 1) {
    const prev = arenas[arenaField(ao, A_PREV)];
    nfp2lasta[nf] = prev !== 0 && arenas[arenaField(prev - 1, A_NFREEPOOLS)] === nf ? prev : 0;
  }
  arenas[arenaField(ao, A_NFREEPOOLS)] = ++nf;
  const next = arenas[arenaField(ao, A_NEXT)];
  const prev = arenas[arenaField(ao, A_PREV)];

  if (nf === arenas[arenaField(ao, A_NTOTALPOOLS)] && next !== 0) {
    // Case 1: wholly free and not the last usable arena: unmap it.
    if (prev === 0) header[H_USABLE_ARENAS] = next;
    else arenas[arenaField(prev - 1, A_NEXT)] = next;
    arenas[arenaField(next - 1, A_PREV)] = prev;
    arenas[arenaField(ao, A_NEXT)] = header[H_UNUSED_ARENAS];
    header[H_UNUSED_ARENAS] = ao + 1;
    for (let pool = ao * m.poolsPerArena; pool < (ao + 1) * m.poolsPerArena; pool++) freeLinks(m, pool);
    arenas[arenaField(ao, A_ADDRESS)] = 0;
    header[H_ARENAS_CURRENT]--;
    return;
  }
  if (nf === 1) {
    // Case 2: it was full, so it was in no list: put it at the head of usable_arenas.
    const head = header[H_USABLE_ARENAS];
    arenas[arenaField(ao, A_NEXT)] = head;
    arenas[arenaField(ao, A_PREV)] = 0;
    if (head !== 0) arenas[arenaField(head - 1, A_PREV)] = ao + 1;
    header[H_USABLE_ARENAS] = ao + 1;
    if (nfp2lasta[1] === 0) nfp2lasta[1] = ao + 1;
    return;
  }
  if (nfp2lasta[nf] === 0) nfp2lasta[nf] = ao + 1;
  if (lastnf === ao + 1) return; // Case 4: still in order.
  // Case 3: slide it right, to just after the last arena that had its old count.
  if (prev !== 0) arenas[arenaField(prev - 1, A_NEXT)] = next;
  else header[H_USABLE_ARENAS] = next;
  arenas[arenaField(next - 1, A_PREV)] = prev;
  const after = arenas[arenaField(lastnf - 1, A_NEXT)];
  arenas[arenaField(ao, A_PREV)] = lastnf;
  arenas[arenaField(ao, A_NEXT)] = after;
  if (after !== 0) arenas[arenaField(after - 1, A_PREV)] = ao + 1;
  arenas[arenaField(lastnf - 1, A_NEXT)] = ao + 1;
}

function systemMalloc(m: HeapMemory, nbytes: number): number {
  const { header, large } = m;
  let slot = header[H_LARGE_FREE] - 1;
  if (slot >= 0) {
    header[H_LARGE_FREE] = large[slot * 2 + 1];
  } else {
    slot = header[H_LARGE_TOP];
    if (slot >= m.handle.maxLarge) throw new MemoryError(`the system allocator model is full (${slot} blocks); make the heap with a larger maxLarge`);
    header[H_LARGE_TOP] = slot + 1;
  }
  large[slot * 2] = nbytes;
  header[H_LARGE_LIVE]++;
  header[H_LARGE_BYTES] += nbytes;
  return LARGE_BASE + slot * 16;
}

function systemFree(m: HeapMemory, address: number): void {
  const { header, large } = m;
  const slot = (address - LARGE_BASE) >>> 4;
  header[H_LARGE_BYTES] -= large[slot * 2];
  header[H_LARGE_LIVE]--;
  large[slot * 2] = -1;
  large[slot * 2 + 1] = header[H_LARGE_FREE];
  header[H_LARGE_FREE] = slot + 1;
}
