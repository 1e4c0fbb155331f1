/*
 * The kernel's directory of names: what /dev/shm is for POSIX shared memory and
 * the page cache is for mapped files. It maps a name (a SharedMemory name, an
 * mmap'd file's path) to the byte offset of its region, so that any worker can
 * find a named segment synchronously. The caller holds the kernel lock.
 *
 * A fixed table of DIRECTORY_ENTRIES entries of DIRECTORY_ENTRY_BYTES each:
 * word 0 the region's offset (0 = empty slot), word 1 the name's length in bytes,
 * then the UTF-8 name. Lookup is a linear scan: the table is small and names are
 * bound rarely.
 */
import { MemoryError, ValueError } from '../errors.js';
import {
  DIRECTORY_BYTE,
  DIRECTORY_ENTRIES,
  DIRECTORY_ENTRY_BYTES,
  DIRECTORY_NAME_BYTE,
  DIRECTORY_NAME_MAX,
} from './layout.js';
import type { HeapMemory } from './heap.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const entryByte = (slot: number): number => DIRECTORY_BYTE + slot * DIRECTORY_ENTRY_BYTES;

/** The name as stored, or a ValueError when it is empty or too long. */
export function encodeName(name: string): Uint8Array {
  const encoded = encoder.encode(name);
  if (encoded.length === 0) throw new ValueError('a segment name must not be empty');
  if (encoded.length > DIRECTORY_NAME_MAX) {
    throw new ValueError(`segment name is ${encoded.length} bytes long; at most ${DIRECTORY_NAME_MAX} are allowed`);
  }
  return encoded;
}

function slotOf(memory: HeapMemory, name: Uint8Array): number {
  const { words, bytes } = memory;
  for (let slot = 0; slot < DIRECTORY_ENTRIES; slot++) {
    const entry = entryByte(slot);
    if (words[entry >> 2] === 0 || words[(entry >> 2) + 1] !== name.length) continue;
    const start = entry + DIRECTORY_NAME_BYTE;
    if (name.every((byte, i) => bytes[start + i] === byte)) return slot;
  }
  return -1;
}

/** The region bound to `name`, or 0 when there is none. */
export function directoryLookup(memory: HeapMemory, name: string): number {
  const slot = slotOf(memory, encodeName(name));
  return slot < 0 ? 0 : memory.words[entryByte(slot) >> 2];
}

/** Binds `name` to `region`; the caller has checked that the name is free. */
export function directoryBind(memory: HeapMemory, name: string, region: number): void {
  const encoded = encodeName(name);
  const { words, bytes } = memory;
  for (let slot = 0; slot < DIRECTORY_ENTRIES; slot++) {
    const entry = entryByte(slot);
    if (words[entry >> 2] !== 0) continue;
    words[entry >> 2] = region;
    words[(entry >> 2) + 1] = encoded.length;
    bytes.set(encoded, entry + DIRECTORY_NAME_BYTE);
    return;
  }
  throw new MemoryError(`the kernel directory is full (${DIRECTORY_ENTRIES} named segments)`);
}

/** Removes `name`; returns the region it was bound to, or 0 when it was not bound. */
export function directoryUnbind(memory: HeapMemory, name: string): number {
  const slot = slotOf(memory, encodeName(name));
  if (slot < 0) return 0;
  const entry = entryByte(slot) >> 2;
  const region = memory.words[entry];
  memory.words[entry] = 0;
  return region;
}

/** Every name bound, in slot order. */
export function directoryNames(memory: HeapMemory): string[] {
  const { words, bytes } = memory;
  const names: string[] = [];
  for (let slot = 0; slot < DIRECTORY_ENTRIES; slot++) {
    const entry = entryByte(slot);
    if (words[entry >> 2] === 0) continue;
    const start = entry + DIRECTORY_NAME_BYTE;
    names.push(decoder.decode(bytes.slice(start, start + words[(entry >> 2) + 1])));
  }
  return names;
}
