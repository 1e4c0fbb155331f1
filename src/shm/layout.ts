/*
 * The kernel's header: where each field of the shared address space lives.
 *
 *   byte 0        +--------------------------------------------+
 *                 | magic | id | lock | top | free | live | ... |  header, 16 words
 *   byte 64       +--------------------------------------------+
 *                 | directory: 256 entries x 256 bytes           |  names -> regions
 *   byte 65600    +--------------------------------------------+
 *                 | live threads: 1024 entries x 4 bytes         |  live-threads.ts
 *   HEAP_START    +--------------------------------------------+
 *                 | [block header 32 B | payload ...] ...        |  the heap (first fit)
 *   top           +--------------------------------------------+
 *                 | untouched, grown on demand up to maxBytes    |
 *
 * Word indexes (Int32) are named *_WORD; byte offsets are named *_BYTE or *_BYTES.
 */

export const MAGIC = 0x504d_454d; // "MEMP" read little-endian
export const MAGIC_WORD = 0;
export const ID_WORD = 1;
/** The kernel lock (a mutex word) guards the heap and the directory. */
export const LOCK_WORD = 2;
/** Byte offset one past the last heap block ever carved from the untouched space. */
export const TOP_WORD = 3;
/** Byte offset of the first free block (address order), 0 when none. */
export const FREE_HEAD_WORD = 4;
/** Number of live heap allocations, for statistics and leak checks. */
export const LIVE_WORD = 5;
/** Bytes in live heap allocations, headers included. */
export const LIVE_BYTES_WORD = 6;

/* Words 12..15: what region.ts and the segment cache of heap.ts keep (issue 10). */
/** The serial number the next region gets (a counter under the kernel lock, so serials do not repeat soon). */
export const NEXT_SERIAL_WORD = 12;
/** A random number, never in a handle, mixed into each region header's check word (region.ts). */
export const SECRET_WORD = 13;
/** Byte offset of the first block in the segment cache: freed segment blocks, reused only by segments. */
export const SEGMENT_CACHE_HEAD_WORD = 14;
/** Bytes in the segment cache, headers included. */
export const SEGMENT_CACHE_BYTES_WORD = 15;
export const HEADER_BYTES = 64;

export const DIRECTORY_BYTE = HEADER_BYTES;
export const DIRECTORY_ENTRIES = 256;
export const DIRECTORY_ENTRY_BYTES = 256;
/** Entry layout: word 0 region offset (0 = empty), word 1 name length, bytes 8.. the UTF-8 name. */
export const DIRECTORY_NAME_BYTE = 8;
export const DIRECTORY_NAME_MAX = DIRECTORY_ENTRY_BYTES - DIRECTORY_NAME_BYTE;

// The live-thread table (live-threads.ts): one word per thread that attached the kernel.
/** Byte offset of the table, just after the directory. */
export const LIVE_THREADS_BYTE = DIRECTORY_BYTE + DIRECTORY_ENTRIES * DIRECTORY_ENTRY_BYTES;
export const LIVE_THREADS_WORD = LIVE_THREADS_BYTE >> 2;
export const LIVE_THREAD_ENTRIES = 1024;

export const HEAP_START = LIVE_THREADS_BYTE + LIVE_THREAD_ENTRIES * 4;
/** Every block and payload is aligned to 16 bytes, enough for BigInt64 and Float64 views. */
export const ALIGNMENT = 16;
/**
 * Block header, 8 words. heap.ts keeps words 0..2: the block size in bytes (header
 * included), its state, the next block in its free list. Words 3..7 are the region
 * header of region.ts: kind code, payload length asked for, serial, references,
 * check word. Every payload is reached by handles only after region.ts checked them.
 */
export const BLOCK_HEADER_BYTES = 32;
export const BLOCK_SIZE_FIELD = 0;
export const BLOCK_STATE_FIELD = 1;
export const BLOCK_NEXT_FIELD = 2;
export const REGION_KIND_FIELD = 3;
export const REGION_LENGTH_FIELD = 4;
export const REGION_SERIAL_FIELD = 5;
export const REGION_REFERENCES_FIELD = 6;
export const REGION_CHECK_FIELD = 7;
export const BLOCK_FREE = 0;
export const BLOCK_USED = 0x55_5345; // "ESU": a used block, checked on free
/** A freed segment block, kept in the segment cache (heap.ts). */
export const BLOCK_CACHED = 0x43_4143; // "CAC"

export const alignUp = (bytes: number): number => Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
