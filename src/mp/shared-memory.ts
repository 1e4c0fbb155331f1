/*
 * SharedMemory: Python's multiprocessing.shared_memory.SharedMemory.
 *
 * A block of raw bytes with a name, created by one worker and attached by name
 * from any other, synchronously: POSIX shm_open + mmap. `.buf` is a Uint8Array
 * over the shared bytes (Python's memoryview). close() drops this object's
 * reference; unlink() removes the name at once (it can be taken again), and the
 * memory is reclaimed when the last open object is closed. As in Python, creating
 * a name that exists is a FileExistsError, attaching a missing one a
 * FileNotFoundError, and a size <= 0 a ValueError. An object that is garbage-
 * collected unclosed is closed then (lifetime.ts).
 *
 * A Uint8Array taken from `buf` cannot be revoked at close() as Python releases
 * its memoryview. Segment memory is reused only by later segments (heap.ts), so
 * such a stale array can read and write the bytes of a SharedMemory or mmap made
 * later at the same place, and nothing else: no other kind of object, no header,
 * none of the kernel's structures. `buf` itself raises ValueError after close().
 *
 * Layout: a segment (segment.ts): 16-byte header, then `size` bytes.
 */
import { randomBytes } from 'node:crypto';
import { ValueError } from '../errors.js';
import { defaultKernel, kernelOf, type Kernel } from '../shm/kernel.js';
import { Closable } from '../shm/lifetime.js';
import { endOfRun } from '../shm/run-scope.js';
import { dataOffset, openNamedSegment, releaseSegment, retainSegment, unlinkSegment, type SegmentHandle, type SegmentRef } from './segment.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface SharedMemoryHandle extends SegmentHandle {
  readonly kind: 'SharedMemory';
  readonly name: string;
}

export interface SharedMemoryOptions {
  /** The block's name; a fresh one ("psm_" and 8 hex digits, as Python makes) when creating without one. */
  name?: string;
  /** true: create a new block (the name must be free); false (default): attach an existing one. */
  create?: boolean;
  /** Bytes, when creating; ignored when attaching, as in Python. */
  size?: number;
}

/** The namespace prefix that keeps SharedMemory names apart from mapped files in the kernel directory. */
const NAMESPACE = 'shm:';

export class SharedMemory extends Closable {
  readonly name: string;
  readonly #kernel: Kernel;
  readonly #segment: SegmentRef;
  #buf: Uint8Array | null;
  /** Whether this object created the block (and so unlinks it when the run that made it ends). */
  readonly #created: boolean = false;

  constructor(options: SharedMemoryOptions | SharedMemoryHandle = {}) {
    super();
    if (options === null || typeof options !== 'object') throw new TypeError(`SharedMemory options must be an object, not ${String(options)}`);
    this.#kernel = 'kind' in options ? kernelOf(options) : defaultKernel();
    if ('kind' in options) {
      this.#segment = retainSegment(this.#kernel, options, 'SharedMemory');
      this.name = String(options.name);
    } else {
      const { create = false, size } = options;
      if (create && (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0)) {
        throw new ValueError(`'size' must be a positive integer when creating, got ${String(size)}`);
      }
      this.name = normalizeName(options.name, create);
      this.#segment = openNamedSegment(this.#kernel, 'SharedMemory', NAMESPACE + this.name, {
        create: create ? 'always' : 'never',
        size: () => size as number,
      });
      this.#created = create;
    }
    this.#buf = new Uint8Array(this.#kernel.buffer, dataOffset(this.#segment), this.#segment.size);
    const [kernel, segment] = [this.#kernel, this.#segment];
    this.takeLifetime(() => releaseSegment(kernel, segment, null));
  }

  static attach(handle: SharedMemoryHandle): SharedMemory {
    return new SharedMemory(handle);
  }

  get handle(): SharedMemoryHandle {
    const { offset, serial, size } = this.#segment;
    return this.#kernel.handleOf<SharedMemoryHandle>('SharedMemory', offset, { size, name: this.name }, serial);
  }

  get size(): number {
    return this.#segment.size;
  }

  /** The shared bytes; a ValueError once this object is closed. */
  get buf(): Uint8Array {
    if (this.#buf === null) throw new ValueError(`SharedMemory '${this.name}' is closed`);
    return this.#buf;
  }

  protected override onClose(): void {
    this.#buf = null;
  }

  /** Removes the name; the bytes stay until every open object is closed. */
  unlink(): void {
    unlinkSegment(this.#kernel, this.#segment, NAMESPACE + this.name);
  }

  /** A block a run created goes with the run, as resource_tracker unlinks leaked blocks at exit. */
  [endOfRun](): void {
    if (this.#created && !this.closed) this.unlink();
  }
}

function normalizeName(name: string | undefined, create: boolean): string {
  if (name === undefined || name === null) {
    if (!create) throw new ValueError("'name' can only be None if create=True");
    return `psm_${randomBytes(4).toString('hex')}`;
  }
  if (typeof name !== 'string') throw new TypeError(`name must be a string, not ${typeof name}`);
  // Python passes names to shm_open with a leading '/' and reports them without it.
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (bare === '' || bare.includes('/')) throw new ValueError(`invalid SharedMemory name ${JSON.stringify(name)}`);
  return bare;
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    SharedMemory: { handle: SharedMemoryHandle; object: SharedMemory };
  }
}
registerHandleKind('SharedMemory', (handle) => new SharedMemory(handle));
