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
 * Its block comes from the heap's segment pool (heap.ts): freed, it is kept for
 * later segments only, so a `buf` that outlives its segment can only ever reach
 * the data of another segment, never another object or the kernel's structures.
 * References and serial are the region header's (region.ts).
 *
 * Layout: a 16-byte segment header, then `size` bytes of data.
 *   word 0  size in bytes   word 1  flags: UNLINKED, FREE_ON_LAST_CLOSE
 */
import { FileExistsError, FileNotFoundError, ValueError } from '../errors.js';
import type { Kernel, RegionHandle } from '../shm/kernel.js';
import { addReferences, checkRegion, regionSerial } from '../shm/region.js';

export const SEGMENT_HEADER_BYTES = 16;
const SIZE = 0;
const FLAGS = 1;
const UNLINKED = 1;
/** The segment is unnamed and freed as soon as nobody holds it (a mapped file's pages). */
export const FREE_ON_LAST_CLOSE = 2;

/** SharedMemory and mmap: the kinds of region a segment is. */
export type SegmentKind = 'SharedMemory' | 'mmap';

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
  kind: SegmentKind,
  name: string,
  mode: { create: 'never' | 'always' | 'if-missing'; size?: () => number; fill?: (data: Uint8Array) => void; flags?: number },
): SegmentRef {
  return kernel.locked(() => {
    const existing = kernel.lookup(name);
    if (existing !== 0) {
      if (mode.create === 'always') throw new FileExistsError(`[Errno 17] File exists: '${name}'`);
      addReferences(kernel, existing, 1);
      return refOf(kernel, existing);
    }
    if (mode.create === 'never' || mode.size === undefined) throw new FileNotFoundError(`[Errno 2] No such file or directory: '${name}'`);
    const segment = createHeld(kernel, kind, mode.size(), mode.flags ?? 0, mode.fill);
    try {
      kernel.bind(name, segment.offset);
    } catch (error) {
      freeHeld(kernel, segment);
      throw error;
    }
    return segment;
  });
}

/** A new unnamed segment (a private copy-on-write mapping), holding one reference. */
export function createPrivateSegment(kernel: Kernel, size: number, fill?: (data: Uint8Array) => void): SegmentRef {
  return kernel.locked(() => createHeld(kernel, 'mmap', size, FREE_ON_LAST_CLOSE, fill));
}

/**
 * Takes one more reference to the segment a handle names, after checking the
 * handle (region.ts) and that the segment holds the `size` it claims; a freed
 * segment's handle is a ValueError (stale).
 */
export function retainSegment(kernel: Kernel, handle: SegmentHandle, kind: SegmentKind): SegmentRef {
  kernel.checkHandle(handle, kind);
  return kernel.locked(() => {
    checkRegion(kernel, handle, SEGMENT_HEADER_BYTES + (Number.isSafeInteger(handle.size) ? handle.size : NaN));
    const segment = refOf(kernel, handle.offset);
    if (segment.size !== handle.size) throw new ValueError(`bad ${kind} handle: its segment holds ${segment.size} bytes, not ${handle.size}`);
    addReferences(kernel, handle.offset, 1);
    return segment;
  });
}

/** Drops one reference; frees the memory when it was the last and the segment is unnamed. */
export function releaseSegment(kernel: Kernel, segment: SegmentRef, name: string | null): void {
  kernel.locked(() => {
    const { words } = kernel;
    if (addReferences(kernel, segment.offset, -1) > 0) return;
    const flags = words[wordOf(segment.offset, FLAGS)];
    if ((flags & FREE_ON_LAST_CLOSE) !== 0 && name !== null && kernel.lookup(name) === segment.offset) kernel.unbind(name);
    if ((flags & (UNLINKED | FREE_ON_LAST_CLOSE)) !== 0) freeHeld(kernel, segment);
  });
}

/** Removes the segment's name (shm_unlink); its memory goes once the last reference is released. */
export function unlinkSegment(kernel: Kernel, segment: SegmentRef, name: string): void {
  kernel.locked(() => {
    if (kernel.lookup(name) !== segment.offset) throw new FileNotFoundError(`[Errno 2] No such file or directory: '${name}'`);
    unlinkBound(kernel, segment.offset, name);
  });
}

/** Every name bound in the kernel's directory, with its namespace ("shm:psm_1a2b3c4d", "mmap:/path/of/file"). */
export function boundNames(kernel: Kernel): string[] {
  return kernel.locked(() => kernel.names());
}

/**
 * Removes `name`, whichever segment it names, as unlink() would: the segment goes
 * with its last reference. What a run's end does with the names the run left
 * bound (multiprocessing's resource_tracker, at the end of a program).
 */
export function unlinkName(kernel: Kernel, name: string): void {
  kernel.locked(() => {
    const offset = kernel.lookup(name);
    if (offset !== 0) unlinkBound(kernel, offset, name);
  });
}

/** Under the kernel lock: unbinds `name` from the segment at `offset`, freed now if nobody holds it. */
function unlinkBound(kernel: Kernel, offset: number, name: string): void {
  kernel.unbind(name);
  kernel.words[wordOf(offset, FLAGS)] |= UNLINKED;
  if (addReferences(kernel, offset, 0) === 0) freeHeld(kernel, refOf(kernel, offset));
}

/** The number of open references (for tests and reports). */
export function segmentReferences(kernel: Kernel, segment: SegmentRef): number {
  return kernel.locked(() => addReferences(kernel, segment.offset, 0));
}

function createHeld(kernel: Kernel, kind: SegmentKind, size: number, flags: number, fill?: (data: Uint8Array) => void): SegmentRef {
  const offset = kernel.allocHeld(SEGMENT_HEADER_BYTES + size, kind, 'segment');
  const { words } = kernel;
  words[wordOf(offset, SIZE)] = size;
  words[wordOf(offset, FLAGS)] = flags;
  const segment = refOf(kernel, offset);
  fill?.(new Uint8Array(kernel.buffer, dataOffset(segment), size));
  return segment;
}

function freeHeld(kernel: Kernel, segment: SegmentRef): void {
  kernel.freeHeld(segment.offset, 'segment');
}

function refOf(kernel: Kernel, offset: number): SegmentRef {
  return { offset, serial: regionSerial(kernel, offset), size: kernel.words[wordOf(offset, SIZE)] };
}
