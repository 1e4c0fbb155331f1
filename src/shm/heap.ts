/*
 * The kernel's heap: a first-fit allocator with an address-ordered free list and
 * coalescing, the textbook malloc (K&R section 8.7) that plays the machine's
 * physical pages for every shared object.
 *
 * Each block is [32-byte header | payload], 16-byte aligned (layout.ts: the heap
 * keeps size, state and next; the rest is region.ts's region header). Free blocks
 * form a singly linked list in address order, so a freed block merges with a free
 * neighbour on either side, and a free block that reaches the top of the heap is
 * given back to the untouched space. The caller holds the kernel lock.
 *
 * The segment pool: a SharedMemory's `buf` is a Uint8Array that JavaScript cannot
 * revoke, so it outlives the segment. Segment blocks are therefore never returned
 * to the free list: a freed one goes, whole, to the segment cache (a LIFO list of
 * BLOCK_CACHED blocks, never split, merged or given back), and only a later segment
 * takes it again, one whose block fits in it and is at least half its size. A
 * stale view thus only ever covers the data of a segment block: never a header,
 * another kind of object, or the kernel's own structures.
 */
import { MemoryError, RuntimeError, ValueError } from '../errors.js';
import {
  alignUp,
  BLOCK_CACHED,
  BLOCK_FREE,
  BLOCK_HEADER_BYTES,
  BLOCK_NEXT_FIELD,
  BLOCK_SIZE_FIELD,
  BLOCK_STATE_FIELD,
  BLOCK_USED,
  FREE_HEAD_WORD,
  LIVE_BYTES_WORD,
  LIVE_WORD,
  SEGMENT_CACHE_BYTES_WORD,
  SEGMENT_CACHE_HEAD_WORD,
  TOP_WORD,
} from './layout.js';

/** The memory a heap lives in: its words, its bytes, and a way to grow it. */
export interface HeapMemory {
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
  /** Makes at least `byteLength` bytes addressable, or throws MemoryError. */
  ensureBytes(byteLength: number): void;
}

/** Which blocks an allocation may take, and where its block goes when freed. */
export type HeapPool = 'general' | 'segment';

const SIZE = BLOCK_SIZE_FIELD;
const STATE = BLOCK_STATE_FIELD;
const NEXT = BLOCK_NEXT_FIELD;
/** A remainder smaller than this stays inside the block rather than becoming a free block. */
const SMALLEST_SPLIT = BLOCK_HEADER_BYTES + 16;

/** The largest payload a block can have: offsets are Int32 words. */
const MAX_PAYLOAD_BYTES = 0x7fff_fff0 - BLOCK_HEADER_BYTES;

const word = (blockByte: number, field: number): number => (blockByte >> 2) + field;

/** Allocates `payloadBytes` zeroed bytes; returns the payload's byte offset. */
export function heapAlloc(memory: HeapMemory, payloadBytes: number, pool: HeapPool = 'general'): number {
  if (!Number.isSafeInteger(payloadBytes) || payloadBytes < 0) throw new ValueError(`cannot allocate ${payloadBytes} bytes`);
  if (payloadBytes > MAX_PAYLOAD_BYTES) throw new MemoryError(`shared memory exhausted: cannot allocate ${payloadBytes} bytes`);
  const blockBytes = BLOCK_HEADER_BYTES + alignUp(Math.max(payloadBytes, 1));
  const block =
    (pool === 'segment' ? takeCachedSegment(memory, blockBytes) : undefined) ?? takeFreeBlock(memory, blockBytes) ?? carveFromTop(memory, blockBytes);
  const { words, bytes } = memory;
  words[word(block, STATE)] = BLOCK_USED;
  words[word(block, NEXT)] = 0;
  bytes.fill(0, block + BLOCK_HEADER_BYTES, block + words[word(block, SIZE)]);
  words[LIVE_WORD] += 1;
  words[LIVE_BYTES_WORD] += words[word(block, SIZE)];
  return block + BLOCK_HEADER_BYTES;
}

/**
 * Returns a payload to the heap (to the segment cache for the 'segment' pool);
 * freeing twice, or a bad offset, is a RuntimeError.
 */
export function heapFree(memory: HeapMemory, payload: number, pool: HeapPool = 'general'): void {
  const { words } = memory;
  const block = payload - BLOCK_HEADER_BYTES;
  if (!Number.isInteger(block) || block < 0 || block % 16 !== 0 || block >= words[TOP_WORD] || words[word(block, STATE)] !== BLOCK_USED) {
    throw new RuntimeError(`free of a region that is not allocated (offset ${payload})`);
  }
  words[LIVE_WORD] -= 1;
  words[LIVE_BYTES_WORD] -= words[word(block, SIZE)];
  if (pool === 'segment') return cacheSegment(words, block);
  words[word(block, STATE)] = BLOCK_FREE;
  insertFree(memory, block);
}

/** The payload size of an allocated region, as rounded up by the allocator. */
export function heapPayloadBytes(memory: HeapMemory, payload: number): number {
  return memory.words[word(payload - BLOCK_HEADER_BYTES, SIZE)] - BLOCK_HEADER_BYTES;
}

/** The first cached segment block that fits `blockBytes` without wasting more than half of itself. */
function takeCachedSegment(memory: HeapMemory, blockBytes: number): number | undefined {
  const { words } = memory;
  let previous = 0;
  for (let block = words[SEGMENT_CACHE_HEAD_WORD]; block !== 0; previous = block, block = words[word(block, NEXT)]) {
    const size = words[word(block, SIZE)];
    if (size < blockBytes || size > 2 * blockBytes) continue;
    if (previous === 0) words[SEGMENT_CACHE_HEAD_WORD] = words[word(block, NEXT)];
    else words[word(previous, NEXT)] = words[word(block, NEXT)];
    words[SEGMENT_CACHE_BYTES_WORD] -= size;
    return block;
  }
  return undefined;
}

function cacheSegment(words: Int32Array, block: number): void {
  words[word(block, STATE)] = BLOCK_CACHED;
  words[word(block, NEXT)] = words[SEGMENT_CACHE_HEAD_WORD];
  words[SEGMENT_CACHE_HEAD_WORD] = block;
  words[SEGMENT_CACHE_BYTES_WORD] += words[word(block, SIZE)];
}

function takeFreeBlock(memory: HeapMemory, blockBytes: number): number | undefined {
  const { words } = memory;
  let previous = 0;
  for (let block = words[FREE_HEAD_WORD]; block !== 0; previous = block, block = words[word(block, NEXT)]) {
    const size = words[word(block, SIZE)];
    if (size < blockBytes) continue;
    let next = words[word(block, NEXT)];
    if (size - blockBytes >= SMALLEST_SPLIT) {
      const rest = block + blockBytes;
      words[word(rest, SIZE)] = size - blockBytes;
      words[word(rest, STATE)] = BLOCK_FREE;
      words[word(rest, NEXT)] = next;
      words[word(block, SIZE)] = blockBytes;
      next = rest;
    }
    setNext(words, previous, next);
    return block;
  }
  return undefined;
}

function carveFromTop(memory: HeapMemory, blockBytes: number): number {
  const { words } = memory;
  const block = words[TOP_WORD];
  const top = block + blockBytes;
  if (top > 0x7fff_fff0) throw new MemoryError(`shared memory exhausted: cannot allocate ${blockBytes} bytes`);
  memory.ensureBytes(top);
  words[TOP_WORD] = top;
  words[word(block, SIZE)] = blockBytes;
  return block;
}

function insertFree(memory: HeapMemory, block: number): void {
  const { words } = memory;
  let previous = 0;
  let next = words[FREE_HEAD_WORD];
  while (next !== 0 && next < block) {
    previous = next;
    next = words[word(next, NEXT)];
  }
  words[word(block, NEXT)] = next;
  setNext(words, previous, block);
  if (next !== 0 && block + words[word(block, SIZE)] === next) absorbNext(words, block);
  if (previous !== 0 && previous + words[word(previous, SIZE)] === block) {
    absorbNext(words, previous);
    block = previous;
  }
  if (block + words[word(block, SIZE)] === words[TOP_WORD]) giveBackToTop(words, block);
}

function absorbNext(words: Int32Array, block: number): void {
  const next = words[word(block, NEXT)];
  words[word(block, SIZE)] += words[word(next, SIZE)];
  words[word(block, NEXT)] = words[word(next, NEXT)];
}

function giveBackToTop(words: Int32Array, block: number): void {
  let previous = 0;
  for (let cursor = words[FREE_HEAD_WORD]; cursor !== block; cursor = words[word(cursor, NEXT)]) previous = cursor;
  setNext(words, previous, 0);
  words[TOP_WORD] = block;
}

function setNext(words: Int32Array, previous: number, next: number): void {
  if (previous === 0) words[FREE_HEAD_WORD] = next;
  else words[word(previous, NEXT)] = next;
}
