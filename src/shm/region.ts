/*
 * The region header: what every shared object's block says about itself, and the
 * checks a handle must pass before anyone makes a view of the memory it names.
 * In POSIX terms this is the kernel's side of mmap(): the page tables decide what
 * a process can reach; a pointer it makes up is not enough. Here a handle is plain
 * data that anyone can forge, so the kernel checks it against the region header.
 *
 * Layout: words 3..7 of the 32-byte block header (layout.ts; heap.ts keeps 0..2):
 *   kind       the kind code of the object (KIND_CODES below)
 *   length     the payload bytes asked for at allocation
 *   serial     a number from a counter (NEXT_SERIAL_WORD), carried by every handle;
 *              a freed and reused block gets a new one, so an old handle is stale
 *   references one per attached object, in any thread (lifetime.ts); 0 frees it
 *   check      a hash of (block offset, kind, length, serial) keyed with the
 *              kernel's secret (SECRET_WORD), so bytes a user writes into a
 *              payload can never pass for a header
 *
 * checkRegion, under the kernel lock, in this order: the offset is a whole number,
 * 16-aligned, past the kernel header and directory and the first block header,
 * below the heap top; the block is in use; its check word is right (otherwise no
 * region starts there: a forged offset); the kind matches; the serial matches
 * (otherwise the handle is stale); the region's length covers what the handle
 * claims. Any failure is a ValueError naming it, and nothing was written.
 */
import { ValueError } from '../errors.js';
import type { HeapMemory } from './heap.js';
import {
  BLOCK_HEADER_BYTES,
  BLOCK_STATE_FIELD,
  BLOCK_USED,
  HEAP_START,
  NEXT_SERIAL_WORD,
  REGION_CHECK_FIELD,
  REGION_KIND_FIELD,
  REGION_LENGTH_FIELD,
  REGION_REFERENCES_FIELD,
  REGION_SERIAL_FIELD,
  SECRET_WORD,
  TOP_WORD,
} from './layout.js';

/**
 * Every kind of region, by code. 'internal' regions (waiter slots, arena links,
 * breaker words) are never named by a handle.
 */
const KIND_CODES = {
  internal: 1,
  Value: 2,
  SharedArray: 3,
  SharedMemory: 4,
  mmap: 5,
  Lock: 6,
  RLock: 7,
  Semaphore: 8,
  BoundedSemaphore: 9,
  Condition: 10,
  Event: 11,
  Barrier: 12,
  RunBoard: 13,
  StressBoard: 14,
  SharedWords: 15,
  socketpair: 16,
  GIL: 18,
  PyHeap: 19,
} as const;

export type RegionKind = keyof typeof KIND_CODES;

/** What a handle says about its region: read from it only after checking each field's type. */
export interface RegionClaim {
  readonly kind: string;
  readonly offset: unknown;
  readonly serial: unknown;
}

const field = (payload: number, index: number): number => ((payload - BLOCK_HEADER_BYTES) >> 2) + index;

/** A kind code for `kind`, or a ValueError for a kind no region has. */
/** Whether `kind` is one of the kinds above. */
export function isRegionKind(kind: unknown): kind is RegionKind {
  return typeof kind === 'string' && Object.hasOwn(KIND_CODES, kind);
}

export function kindCode(kind: string): number {
  if (!isRegionKind(kind)) throw new ValueError(`unknown kind of shared object: ${JSON.stringify(kind)}`);
  return KIND_CODES[kind as RegionKind];
}

/** Writes the header of a region just allocated at `payload` (kernel lock held); returns its serial. */
export function stampRegion(memory: HeapMemory, payload: number, kind: RegionKind, length: number): number {
  const { words } = memory;
  const serial = (words[NEXT_SERIAL_WORD] = (words[NEXT_SERIAL_WORD] + 1) | 0 || 1);
  words[field(payload, REGION_KIND_FIELD)] = KIND_CODES[kind];
  words[field(payload, REGION_LENGTH_FIELD)] = length;
  words[field(payload, REGION_SERIAL_FIELD)] = serial;
  words[field(payload, REGION_REFERENCES_FIELD)] = 1;
  words[field(payload, REGION_CHECK_FIELD)] = checkWord(words, payload);
  return serial;
}

/** Wipes the header of a region about to be freed, so every handle to it is stale from now on. */
export function unstampRegion(memory: HeapMemory, payload: number): void {
  memory.words.fill(0, field(payload, REGION_KIND_FIELD), field(payload, REGION_CHECK_FIELD) + 1);
}

/** The kind of the live region at `payload` of the kernel's `words` (the explorer's names for objects it was not told of), or null. */
export function liveRegionKind(words: Int32Array, payload: number): string | null {
  if (payload < HEAP_START + BLOCK_HEADER_BYTES || payload % 16 !== 0 || payload >= words[TOP_WORD]) return null;
  if (words[field(payload, BLOCK_STATE_FIELD)] !== BLOCK_USED || words[field(payload, REGION_CHECK_FIELD)] !== checkWord(words, payload)) return null;
  return kindName(words[field(payload, REGION_KIND_FIELD)]);
}

/**
 * Checks that `claim` names a live region of kind `kind` whose payload holds at
 * least `claimedBytes` bytes (kernel lock held). Throws a ValueError otherwise.
 */
export function checkRegion(memory: HeapMemory, claim: RegionClaim, claimedBytes: number): void {
  const { words } = memory;
  const { kind, offset, serial } = claim;
  const code = kindCode(kind);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset % 16 !== 0) {
    throw new ValueError(`bad ${kind} handle: offset must be a multiple of 16, not ${describe(offset)}`);
  }
  if (offset < HEAP_START + BLOCK_HEADER_BYTES || offset >= words[TOP_WORD]) {
    throw new ValueError(`bad ${kind} handle: offset ${offset} is outside the kernel's heap`);
  }
  if (typeof serial !== 'number' || !Number.isSafeInteger(serial)) throw new ValueError(`bad ${kind} handle: serial must be an integer, not ${describe(serial)}`);
  if (words[field(offset, BLOCK_STATE_FIELD)] !== BLOCK_USED || words[field(offset, REGION_CHECK_FIELD)] !== checkWord(words, offset)) {
    throw new ValueError(`bad ${kind} handle: no live region starts at offset ${offset} (freed, or never allocated)`);
  }
  const actual = words[field(offset, REGION_KIND_FIELD)];
  if (actual !== code) throw new ValueError(`bad ${kind} handle: the region at offset ${offset} holds a ${kindName(actual)}`);
  if (words[field(offset, REGION_SERIAL_FIELD)] !== serial) {
    throw new ValueError(`stale ${kind} handle: its serial does not match the ${kind} at that offset (it was freed and the memory reused, or the handle is forged)`);
  }
  const length = words[field(offset, REGION_LENGTH_FIELD)];
  if (!(claimedBytes >= 0 && claimedBytes <= length)) {
    throw new ValueError(`bad ${kind} handle: it claims ${claimedBytes} bytes, but its region holds ${length}`);
  }
}

/** The region's serial (kernel lock held, or a region this thread holds a reference to). */
export function regionSerial(memory: HeapMemory, payload: number): number {
  return memory.words[field(payload, REGION_SERIAL_FIELD)];
}

/** Adds `delta` to the region's references (kernel lock held); returns the new count. */
export function addReferences(memory: HeapMemory, payload: number, delta: number): number {
  return (memory.words[field(payload, REGION_REFERENCES_FIELD)] += delta);
}

/** Whether `serial` still names the live region at `payload` (kernel lock held; payload came from a checked handle). */
export function isLive(memory: HeapMemory, payload: number, serial: number): boolean {
  const { words } = memory;
  return words[field(payload, BLOCK_STATE_FIELD)] === BLOCK_USED && words[field(payload, REGION_SERIAL_FIELD)] === serial;
}

/** A 32-bit multiplicative hash (murmur3's constants) of the block's place and header, keyed with the kernel's secret. */
function checkWord(words: Int32Array, payload: number): number {
  const mix = (hash: number, input: number): number => Math.imul(hash ^ (hash >>> 15) ^ input, 0x85eb_ca6b);
  let hash = Math.imul(words[SECRET_WORD] ^ payload, 0x9e37_79b1);
  hash = mix(hash, words[field(payload, REGION_KIND_FIELD)]);
  hash = mix(hash, words[field(payload, REGION_LENGTH_FIELD)]);
  hash = mix(hash, words[field(payload, REGION_SERIAL_FIELD)]);
  return (hash ^ (hash >>> 13)) | 0;
}

function kindName(code: number): string {
  return Object.entries(KIND_CODES).find(([, value]) => value === code)?.[0] ?? `region of kind ${code}`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
