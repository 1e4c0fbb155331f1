/*
 * A named, reference-counted segment: the life cycle that SharedMemory (POSIX
 * shm_open/shm_unlink) and mmap (a file's pages in the page cache) share.
 *
 * A segment is a kernel region that may be bound to a name in the directory.
 * Each open object (each SharedMemory or mmap instance, in any worker) holds one
 * reference. The memory is freed when the last reference is released and the
 * segment is no longer named: after unlink() for SharedMemory, at once for a
 * mapped file (whose bytes live on in the file). Every operation runs under the
 * kernel lock, so opening by name never races with the last close.
 *
 * Layout: a 16-byte header, then `size` bytes of data.
 *   word 0  references      word 1  serial (tells a live segment from a reused offset)
 *   word 2  size in bytes   word 3  flags: UNLINKED, FREE_ON_LAST_CLOSE
 */
import { FileExistsError, FileNotFoundError } from '../errors.js';
import type { Kernel, RegionHandle } from './kernel.js';

export const SEGMENT_HEADER_BYTES = 16;
const REFERENCES = 0;
const SERIAL = 1;
const SIZE = 2;
const FLAGS = 3;
const UNLINKED = 1;
/** The segment is unnamed and freed as soon as nobody holds it (a mapped file's pages). */
export const FREE_ON_LAST_CLOSE = 2;

export interface SegmentHandle extends RegionHandle {
  readonly serial: number;
  readonly size: number;
}

/** Where an open segment is: its region offset, serial and data size. */
export interface SegmentRef {
  offset: number;
  serial: number;
  size: number;
}

const wordOf = (offset: number, field: number): number => (offset >> 2) + field;

/** The byte offset of a segment's data. */
export const dataOffset = (segment: SegmentRef): number => segment.offset + SEGMENT_HEADER_BYTES;

/**
 * Opens the segment named `name`, creating it with `size` bytes (filled by `fill`)
 * when it does not exist and `create` allows it. Holds one new reference.
 */
export function openNamedSegment(
  kernel: Kernel,
  name: string,
  mode: { create: 'never' | 'always' | 'if-missing'; size?: () => number; fill?: (data: Uint8Array) => void; flags?: number },
): SegmentRef {
  return kernel.locked(() => {
    const existing = kernel.lookup(name);
    if (existing !== 0) {
      if (mode.create === 'always') throw new FileExistsError(`[Errno 17] File exists: '${name}'`);
      kernel.words[wordOf(existing, REFERENCES)] += 1;
      return refOf(kernel, existing);
    }
    if (mode.create === 'never' || mode.size === undefined) throw new FileNotFoundError(`[Errno 2] No such file or directory: '${name}'`);
    const segment = createHeld(kernel, mode.size(), mode.flags ?? 0, mode.fill);
    kernel.bind(name, segment.offset);
    return segment;
  });
}

/** A new unnamed segment (a private copy-on-write mapping), holding one reference. */
export function createPrivateSegment(kernel: Kernel, size: number, fill?: (data: Uint8Array) => void): SegmentRef {
  return kernel.locked(() => createHeld(kernel, size, FREE_ON_LAST_CLOSE, fill));
}

/** Takes one more reference to the segment a handle names, if it is still alive. */
export function retainSegment(kernel: Kernel, handle: SegmentHandle): SegmentRef {
  return kernel.locked(() => {
    if (!isLive(kernel, handle)) throw new FileNotFoundError(`the ${handle.kind} segment this handle names has been freed`);
    kernel.words[wordOf(handle.offset, REFERENCES)] += 1;
    return refOf(kernel, handle.offset);
  });
}

/** Drops one reference; frees the memory when it was the last and the segment is unnamed. */
export function releaseSegment(kernel: Kernel, segment: SegmentRef, name: string | null): void {
  kernel.locked(() => {
    const { words } = kernel;
    const references = (words[wordOf(segment.offset, REFERENCES)] -= 1);
    if (references > 0) return;
    const flags = words[wordOf(segment.offset, FLAGS)];
    if ((flags & FREE_ON_LAST_CLOSE) !== 0 && name !== null && kernel.lookup(name) === segment.offset) kernel.unbind(name);
    if ((flags & (UNLINKED | FREE_ON_LAST_CLOSE)) !== 0) freeHeld(kernel, segment);
  });
}

/** Removes the segment's name (shm_unlink); its memory goes once the last reference is released. */
export function unlinkSegment(kernel: Kernel, segment: SegmentRef, name: string): void {
  kernel.locked(() => {
    if (kernel.lookup(name) !== segment.offset) throw new FileNotFoundError(`[Errno 2] No such file or directory: '${name}'`);
    kernel.unbind(name);
    kernel.words[wordOf(segment.offset, FLAGS)] |= UNLINKED;
    if (kernel.words[wordOf(segment.offset, REFERENCES)] === 0) freeHeld(kernel, segment);
  });
}

/** The number of open references (for tests and reports). */
export function segmentReferences(kernel: Kernel, segment: SegmentRef): number {
  return Atomics.load(kernel.words, wordOf(segment.offset, REFERENCES));
}

function createHeld(kernel: Kernel, size: number, flags: number, fill?: (data: Uint8Array) => void): SegmentRef {
  const offset = kernel.allocHeld(SEGMENT_HEADER_BYTES + size);
  const { words } = kernel;
  words[wordOf(offset, REFERENCES)] = 1;
  words[wordOf(offset, SERIAL)] = (Math.random() * 0x7fff_ffff) | 1;
  words[wordOf(offset, SIZE)] = size;
  words[wordOf(offset, FLAGS)] = flags;
  const segment = refOf(kernel, offset);
  fill?.(new Uint8Array(kernel.buffer, dataOffset(segment), size));
  return segment;
}

function freeHeld(kernel: Kernel, segment: SegmentRef): void {
  kernel.words[wordOf(segment.offset, SERIAL)] = 0;
  kernel.freeHeld(segment.offset);
}

function isLive(kernel: Kernel, handle: SegmentHandle): boolean {
  return handle.offset + SEGMENT_HEADER_BYTES <= kernel.buffer.byteLength && kernel.words[wordOf(handle.offset, SERIAL)] === handle.serial;
}

function refOf(kernel: Kernel, offset: number): SegmentRef {
  return { offset, serial: kernel.words[wordOf(offset, SERIAL)], size: kernel.words[wordOf(offset, SIZE)] };
}
