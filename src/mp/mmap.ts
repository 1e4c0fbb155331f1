/*
 * mmap: Python's mmap.mmap over a file, shared between workers.
 *
 * The file's bytes are read into a kernel segment the first time any worker maps
 * the path (the page cache), and every later ACCESS_WRITE or ACCESS_READ mapping of
 * the same path, in any worker, sees those same bytes. flush() writes them back
 * to the file, and so does close() for a writable mapping; the segment is freed
 * when its last mapping closes, and what was flushed lives on in the file.
 * ACCESS_COPY gives a private copy that is never written back; writing through
 * an ACCESS_READ mapping is a TypeError, as in Python.
 *
 * The Python object's file interface is kept: a position for read()/write(),
 * seek() and tell(), plus get/set of single bytes and slices.
 *
 * A mapping garbage-collected unclosed is released then, unflushed (lifetime.ts).
 *
 * Every get, set, slice, setSlice, read and write is a scheduling point (as a
 * Value's read and write are): in a controlled run the explorer may switch workers
 * before it. Each announces the whole mapping as the location it touches, so two
 * operations on one file's pages are ordered against each other (two reads
 * commute), and a reader that keeps copying unchanged pages counts as spinning.
 *
 * Layout: a segment (segment.ts) named "mmap:" + the file's real path.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, writeSync } from 'node:fs';
import { FileNotFoundError, IndexError, IsADirectoryError, PermissionError, ValueError } from '../errors.js';
import { defaultKernel, kernelOf, type Kernel } from '../shm/kernel.js';
import { Closable } from '../shm/lifetime.js';
import {
  createPrivateSegment,
  dataOffset,
  FREE_ON_LAST_CLOSE,
  openNamedSegment,
  releaseSegment,
  retainSegment,
  type SegmentHandle,
  type SegmentRef,
} from './segment.js';
import { registerHandleKind } from '../shm/handle-kinds.js';
import { ACCESS, rangePoint, scheduling, type Access as PointAccess, type OpName } from '../atomics/scheduling-point.js';

/** mmap.ACCESS_READ, ACCESS_WRITE and ACCESS_COPY. */
export type Access = 'read' | 'write' | 'copy';

export interface MmapHandle extends SegmentHandle {
  readonly kind: 'mmap';
  readonly path: string;
  readonly length: number;
  readonly access: Access;
}

export interface MmapOptions {
  /** Default 'write', as Python's default for a file opened for writing. */
  access?: Access;
}

const NAMESPACE = 'mmap:';
const ACCESSES: readonly Access[] = ['read', 'write', 'copy'];

export class MemoryMap extends Closable {
  readonly path: string;
  readonly access: Access;
  readonly #kernel: Kernel;
  readonly #segment: SegmentRef;
  #bytes: Uint8Array | null;
  #position = 0;

  /** Maps `length` bytes of the file at `path` (0: the whole file), or re-opens what a handle names. */
  constructor(path: string, length: number, options?: MmapOptions);
  constructor(handle: MmapHandle);
  constructor(pathOrHandle: string | MmapHandle, length = 0, { access = 'write' }: MmapOptions = {}) {
    super();
    this.#kernel = typeof pathOrHandle === 'object' && pathOrHandle !== null ? kernelOf(pathOrHandle) : defaultKernel();
    if (typeof pathOrHandle === 'object' && pathOrHandle !== null) {
      this.#segment = retainSegment(this.#kernel, pathOrHandle, 'mmap');
      ({ path: this.path, access: this.access, length } = pathOrHandle);
      try {
        checkMapping(this.#kernel, this.#segment, pathOrHandle);
      } catch (error) {
        releaseSegment(this.#kernel, this.#segment, null);
        throw error;
      }
    } else {
      if (!ACCESSES.includes(access)) throw new ValueError(`access must be one of ${ACCESSES.join(', ')}, not ${String(access)}`);
      if (typeof length !== 'number' || !Number.isSafeInteger(length)) throw new TypeError('mmap length must be an integer');
      if (length < 0) throw new ValueError('memory mapped length must be positive');
      this.path = realPath(pathOrHandle);
      this.access = access;
      this.#segment = mapFile(this.#kernel, this.path, access);
      if (length === 0) length = this.#segment.size;
      if (length > this.#segment.size) {
        releaseSegment(this.#kernel, this.#segment, this.#segmentName);
        throw new ValueError(`mmap length (${length}) is greater than file size (${this.#segment.size})`);
      }
    }
    this.#bytes = new Uint8Array(this.#kernel.buffer, dataOffset(this.#segment), length);
    const [kernel, segment, name] = [this.#kernel, this.#segment, this.access === 'copy' ? null : this.#segmentName];
    this.takeLifetime(() => releaseSegment(kernel, segment, name));
  }

  get handle(): MmapHandle {
    const { offset, serial, size } = this.#segment;
    return this.#kernel.handleOf<MmapHandle>('mmap', offset, { size, path: this.path, length: this.length, access: this.access }, serial);
  }

  /** len(mm): the mapped length. */
  get length(): number {
    return this.#open().length;
  }

  /** mm[i] */
  get(index: number): number {
    if (scheduling.active !== null) this.#point('mmap.get', ACCESS.read, index);
    return this.#open()[this.#index(index)];
  }

  /** mm[i] = byte */
  set(index: number, byte: number): void {
    const bytes = this.#writable();
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new ValueError('mmap item value must be in range(0, 256)');
    if (scheduling.active !== null) this.#point('mmap.set', ACCESS.write, index, byte);
    bytes[this.#index(index)] = byte;
  }

  /** mm[start:end], a copy. */
  slice(start = 0, end = this.length): Uint8Array {
    if (scheduling.active !== null) this.#point('mmap.slice', ACCESS.read, start, end);
    return this.#open().slice(start, end);
  }

  /** mm[start:start+len(data)] = data */
  setSlice(start: number, data: Uint8Array): void {
    const bytes = this.#writable();
    if (!Number.isInteger(start) || start < 0 || start + data.length > bytes.length) throw new IndexError('mmap slice assignment is wrong size');
    if (scheduling.active !== null) this.#point('mmap.setSlice', ACCESS.write, start, data.length);
    bytes.set(data, start);
  }

  /** Reads up to `n` bytes (all that are left by default) from the position, and moves it. */
  read(n = Infinity): Uint8Array {
    const bytes = this.#open();
    if (scheduling.active !== null) this.#point('mmap.read', ACCESS.read, this.#position, n);
    const end = Math.min(bytes.length, this.#position + Math.max(0, n));
    const out = bytes.slice(this.#position, end);
    this.#position = end;
    return out;
  }

  /** Writes `data` at the position and moves it; data that would not fit is a ValueError. */
  write(data: Uint8Array): number {
    const bytes = this.#writable();
    if (this.#position + data.length > bytes.length) throw new ValueError('data out of range');
    if (scheduling.active !== null) this.#point('mmap.write', ACCESS.write, this.#position, data.length);
    bytes.set(data, this.#position);
    this.#position += data.length;
    return data.length;
  }

  /** Moves the position: whence 0 from the start, 1 from here, 2 from the end. */
  seek(offset: number, whence: 0 | 1 | 2 = 0): void {
    const base = whence === 0 ? 0 : whence === 1 ? this.#position : this.length;
    const target = base + offset;
    if (!Number.isInteger(target) || target < 0 || target > this.length) throw new ValueError('seek out of range');
    this.#position = target;
  }

  tell(): number {
    this.#open();
    return this.#position;
  }

  /** Writes the shared bytes back to the file (ACCESS_WRITE; a no-op for the others, as in Python). */
  flush(): void {
    const bytes = this.#open();
    if (this.access !== 'write') return;
    const fd = openSync(this.path, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, 0);
    } finally {
      closeSync(fd);
    }
  }

  /** At close(), before the unmapping: flushes a writable mapping (the mapping goes even if that fails). */
  protected override onClose(): void {
    try {
      this.flush();
    } finally {
      this.#bytes = null;
    }
  }

  /** A scheduling point for an operation at `index` (`value`: a byte written, a slice's end, a length): the mapping is its location. */
  #point(op: OpName, access: PointAccess, index: number, value = 0): void {
    const bytes = this.#open();
    rangePoint(op, this.#segment.offset, index, access, bytes.byteOffset, bytes.length, value);
  }

  get #segmentName(): string {
    return NAMESPACE + this.path;
  }

  #open(): Uint8Array {
    if (this.#bytes === null) throw new ValueError('mmap closed or invalid');
    return this.#bytes;
  }

  #writable(): Uint8Array {
    const bytes = this.#open();
    if (this.access === 'read') throw new TypeError("mmap can't modify a readonly memory map.");
    return bytes;
  }

  #index(index: number): number {
    if (!Number.isInteger(index)) throw new TypeError('mmap indices must be integers');
    const slot = index < 0 ? index + this.length : index;
    if (slot < 0 || slot >= this.length) throw new IndexError('mmap index out of range');
    return slot;
  }
}

/** mmap.mmap(fileno, length, access=...) for the file at `path`. */
export function mmap(path: string, length = 0, options?: MmapOptions): MemoryMap {
  return new MemoryMap(path, length, options);
}

/** A handle's own claims, checked against the segment it names: its access, its length, and (shared pages) its path. */
function checkMapping(kernel: Kernel, segment: SegmentRef, handle: MmapHandle): void {
  if (!ACCESSES.includes(handle.access)) throw new ValueError(`bad mmap handle: access ${String(handle.access)}`);
  if (!Number.isSafeInteger(handle.length) || handle.length < 0 || handle.length > segment.size) {
    throw new ValueError(`bad mmap handle: length ${String(handle.length)} for a segment of ${segment.size} bytes`);
  }
  const shared = handle.access !== 'copy' && typeof handle.path === 'string' && handle.path !== '';
  if (handle.access !== 'copy' && !(shared && kernel.locked(() => kernel.lookup(NAMESPACE + handle.path)) === segment.offset)) {
    throw new ValueError(`bad mmap handle: ${JSON.stringify(handle.path)} is not the file its segment maps`);
  }
}

function realPath(path: string): string {
  if (typeof path !== 'string' || path === '') throw new TypeError('mmap needs the path of a file');
  try {
    return realpathSync(path);
  } catch {
    throw new FileNotFoundError(`[Errno 2] No such file or directory: '${path}'`);
  }
}

/** The shared pages of the file (read in by the first mapper), or a private copy for ACCESS_COPY. */
function mapFile(kernel: Kernel, path: string, access: Access): SegmentRef {
  const name = NAMESPACE + path;
  const fileBytes = () => readWholeFile(path, access);
  if (access !== 'copy') {
    let contents: Uint8Array | undefined;
    return openNamedSegment(kernel, 'mmap', name, {
      create: 'if-missing',
      size: () => (contents = fileBytes()).length,
      fill: (data: Uint8Array) => data.set(contents as Uint8Array),
      flags: FREE_ON_LAST_CLOSE,
    });
  }
  const shared = kernel.locked(() => kernel.lookup(name));
  const source = shared !== 0 ? sharedPages(path) : fileBytes();
  return createPrivateSegment(kernel, source.length, (data) => data.set(source));
}

function sharedPages(path: string): Uint8Array {
  const view = new MemoryMap(path, 0, { access: 'read' });
  try {
    return view.slice();
  } finally {
    view.close();
  }
}

function readWholeFile(path: string, access: Access): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, access === 'write' ? 'r+' : 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FileNotFoundError(`[Errno 2] No such file or directory: '${path}'`);
    if (code === 'EACCES' || code === 'EPERM') throw new PermissionError(`[Errno 13] Permission denied: '${path}'`);
    if (code === 'EISDIR') throw new IsADirectoryError(`[Errno 21] Is a directory: '${path}'`);
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new IsADirectoryError(`[Errno 21] Is a directory: '${path}'`);
    const size = stats.size;
    if (size === 0) throw new ValueError('cannot mmap an empty file');
    const bytes = new Uint8Array(size);
    let done = 0;
    for (let read = -1; done < size && read !== 0; done += read) read = readSync(fd, bytes, done, size - done, done);
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    mmap: { handle: MmapHandle; object: MemoryMap };
  }
}
registerHandleKind('mmap', (handle) => new MemoryMap(handle));
