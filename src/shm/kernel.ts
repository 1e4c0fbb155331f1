/*
 * The kernel: one shared address space per playground, what /dev/shm plus the
 * anonymous shared mappings of fork() are to a set of Python processes.
 *
 * It is one growable SharedArrayBuffer, shared by every worker memplay starts (it
 * travels in workerData under KERNEL_WORKER_DATA_KEY). Its header, directory and
 * heap are laid out in layout.ts; every shared object (Value, SharedArray,
 * SharedMemory, mmap, every lock) is a region of its heap, and its handle is plain
 * data that names the kernel (by id), carries the kernel's buffer, and names the
 * region (by offset and serial). Every thread that attaches it registers in its
 * live-thread table (live-threads.ts).
 *
 * A thread uses one kernel: the one its workerData carries (kernelWorkerData()),
 * else the one of the first handle it attaches (kernelOf: a worker started with a
 * plain `new Worker` and given a handle needs nothing else), else a new one.
 *
 * openRegion is the one way in: it allocates and stamps a region (region.ts), or
 * checks a handle against the region header, and takes a reference, before any
 * view of the memory is made. release() drops a reference; the last one frees.
 */
import { workerData } from 'node:worker_threads';
import { MemoryError, ValueError } from '../errors.js';
import { runBlocking } from '../atomics/futex.js';
import { currentOwnerTag } from '../atomics/thread-identity.js';
import { lockWordSlowly, ownerInWord, spinLockWord, tryLockWord, unlockWord, WAITERS } from '../atomics/mutex-word.js';
import { directoryBind, directoryLookup, directoryNames, directoryUnbind } from './directory.js';
import { heapAlloc, heapFree, type HeapMemory, type HeapPool } from './heap.js';
import { isThreadDead, registerCurrentThread } from './live-threads.js';
import { recordInOpenScope } from './run-scope.js';
import {
  HEADER_BYTES,
  HEAP_START,
  ID_WORD,
  LIVE_BYTES_WORD,
  LIVE_WORD,
  LOCK_WORD,
  MAGIC,
  MAGIC_WORD,
  NEXT_SERIAL_WORD,
  SECRET_WORD,
  SEGMENT_CACHE_BYTES_WORD,
  TOP_WORD,
} from './layout.js';
import { addReferences, checkRegion, isLive, regionSerial as regionSerialOf, stampRegion, unstampRegion, type RegionKind } from './region.js';

/** The workerData key under which a worker receives its kernel's buffer. */
export const KERNEL_WORKER_DATA_KEY = 'memplay.kernel';

export interface KernelOptions {
  /** Bytes the buffer starts with (default 1 MiB). */
  initialBytes?: number;
  /** Bytes it may grow to (default 1 GiB; it is reserved address space, not memory used). */
  maxBytes?: number;
}

/**
 * Every shared object's handle names its kind, its kernel (id, and the buffer
 * itself, which structured clone shares rather than copies) and its region
 * (offset and serial). A handle made by hand may leave out `buffer`; it then
 * attaches only in a thread that already uses its kernel.
 */
export interface RegionHandle {
  readonly kind: string;
  readonly kernel: number;
  readonly buffer?: SharedArrayBuffer;
  readonly offset: number;
  readonly serial: number;
}

export interface KernelStats {
  liveAllocations: number;
  liveBytes: number;
  /** Bytes of freed segments kept for later segments only (heap.ts). */
  segmentCacheBytes: number;
  heapTop: number;
  byteLength: number;
  maxByteLength: number;
}

const MIB = 1024 * 1024;
/** How often a thread sleeping for the kernel lock looks whether its holder has exited. */
const DEAD_HOLDER_CHECK_MS = 100;

export class Kernel implements HeapMemory {
  readonly buffer: SharedArrayBuffer;
  readonly words: Int32Array;
  readonly bytes: Uint8Array;

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.words = new Int32Array(buffer);
    this.bytes = new Uint8Array(buffer);
  }

  /** A new, empty address space. */
  static create({ initialBytes = MIB, maxBytes = 1024 * MIB }: KernelOptions = {}): Kernel {
    if (!(maxBytes >= initialBytes && initialBytes >= HEAP_START)) {
      throw new ValueError(`kernel sizes must satisfy ${HEAP_START} <= initialBytes <= maxBytes`);
    }
    const kernel = new Kernel(new SharedArrayBuffer(initialBytes, { maxByteLength: maxBytes }));
    kernel.words[MAGIC_WORD] = MAGIC;
    kernel.words[ID_WORD] = (Math.random() * 0x7fff_ffff) | 1;
    kernel.words[SECRET_WORD] = (Math.random() * 0x1_0000_0000) | 0;
    kernel.words[NEXT_SERIAL_WORD] = (Math.random() * 0x1_0000_0000) | 0;
    kernel.words[TOP_WORD] = HEAP_START;
    registerCurrentThread(kernel.words);
    return kernel;
  }

  /** The kernel whose buffer another thread created. */
  static fromBuffer(buffer: SharedArrayBuffer): Kernel {
    const kernel = new Kernel(buffer);
    if (kernel.words[MAGIC_WORD] !== MAGIC) throw new ValueError('this SharedArrayBuffer is not a memplay kernel');
    registerCurrentThread(kernel.words);
    return kernel;
  }

  /** A number that tells this kernel from any other; every handle carries it. */
  get id(): number {
    return this.words[ID_WORD];
  }

  /**
   * The handle of the region at `offset` (of kind `kind`, serial `serial`, by default
   * the live region's): the one way handles are made.
   */
  handleOf<H extends RegionHandle>(kind: H['kind'], offset: number, extra?: Omit<H, keyof RegionHandle>, serial = regionSerialOf(this, offset)): H {
    return { kind, kernel: this.id, buffer: this.buffer, offset, serial, ...extra } as unknown as H;
  }

  ensureBytes(byteLength: number): void {
    if (byteLength <= this.buffer.byteLength) return;
    if (byteLength > this.buffer.maxByteLength) {
      throw new MemoryError(`shared memory exhausted: ${byteLength} bytes needed, the kernel's limit is ${this.buffer.maxByteLength}`);
    }
    this.buffer.grow(Math.min(this.buffer.maxByteLength, Math.max(byteLength, this.buffer.byteLength * 2)));
  }

  /** Runs `critical` holding the kernel lock (which guards the heap and the directory). */
  locked<T>(critical: () => T): T {
    const owner = currentOwnerTag;
    if (!tryLockWord(this.words, LOCK_WORD, owner) && !spinLockWord(this.words, LOCK_WORD, owner)) this.#lockSlowly(owner);
    try {
      return critical();
    } finally {
      unlockWord(this.words, LOCK_WORD);
    }
  }

  /** Lets the kernel lock go if this thread holds it: after a termination cut a critical section short (call-within.ts). */
  letGoIfHeldHere(): void {
    if (ownerInWord(Atomics.load(this.words, LOCK_WORD)) === currentOwnerTag) unlockWord(this.words, LOCK_WORD);
  }

  /**
   * Sleeps for the kernel lock; every DEAD_HOLDER_CHECK_MS it looks whether its
   * holder's thread has exited (a worker terminated inside alloc or free, by
   * Process.terminate or the watchdog) and takes the lock over if so, as a robust
   * mutex would: otherwise every later allocation, and the end of the run on the
   * main thread, would wait for ever.
   */
  #lockSlowly(owner: number): void {
    for (;;) {
      if (runBlocking(this.words, lockWordSlowly(this.words, LOCK_WORD, owner), performance.now() + DEAD_HOLDER_CHECK_MS)) return;
      const seen = Atomics.load(this.words, LOCK_WORD);
      const holder = ownerInWord(seen);
      if (holder !== 0 && isThreadDead(this.words, holder - 1) && Atomics.compareExchange(this.words, LOCK_WORD, seen, owner | (seen & WAITERS)) === seen) return;
    }
  }

  /** A zeroed region of at least `bytes` bytes, 16-byte aligned, holding one reference; returns its byte offset. */
  alloc(bytes: number, kind: RegionKind = 'internal'): number {
    return this.locked(() => this.allocHeld(bytes, kind));
  }

  /** Frees a region whatever its references (its single owner is done with it). */
  free(offset: number): void {
    this.locked(() => this.freeHeld(offset));
  }

  /** alloc() for memory that belongs to the calling thread, not to a run (run-scope.ts): its waiter slots. */
  allocForThread(bytes: number): number {
    return this.locked(() => this.#allocUnrecorded(bytes, 'internal', 'general'));
  }

  /** alloc() for a caller that already holds the kernel lock (inside `locked`). */
  allocHeld(bytes: number, kind: RegionKind = 'internal', pool: HeapPool = 'general'): number {
    const offset = this.#allocUnrecorded(bytes, kind, pool);
    // Segments are not the run's to force-free: a name may still point at one (see mp/segment.ts).
    if (pool === 'general') recordInOpenScope(this, offset, regionSerialOf(this, offset));
    return offset;
  }

  #allocUnrecorded(bytes: number, kind: RegionKind, pool: HeapPool): number {
    const offset = heapAlloc(this, bytes, pool);
    stampRegion(this, offset, kind, bytes);
    return offset;
  }

  /** free() for a caller that already holds the kernel lock. */
  freeHeld(offset: number, pool: HeapPool = 'general'): void {
    heapFree(this, offset, pool);
    unstampRegion(this, offset);
  }

  /**
   * Drops one reference to the region (offset, serial), freeing it when it was the
   * last; returns whether it was freed. A region already gone is left alone.
   * `freeHeld` frees it under the kernel lock (an object that owns more regions
   * than its own frees them there too).
   */
  release(offset: number, serial: number, freeHeld = (): void => this.freeHeld(offset)): boolean {
    return this.locked(() => {
      if (!isLive(this, offset, serial) || addReferences(this, offset, -1) > 0) return false;
      freeHeld();
      return true;
    });
  }

  /** Frees the general-pool region (offset, serial) if it is still that live region, whatever its references. */
  freeIfLive(offset: number, serial: number, freeHeld = (): void => this.freeHeld(offset)): void {
    this.locked(() => {
      if (isLive(this, offset, serial)) freeHeld();
    });
  }

  /** The region bound to `name`, or 0. Call inside `locked` when the answer must stay true. */
  lookup(name: string): number {
    return directoryLookup(this, name);
  }

  bind(name: string, region: number): void {
    directoryBind(this, name, region);
  }

  unbind(name: string): number {
    return directoryUnbind(this, name);
  }

  /** Every name bound in the directory. Call inside `locked` when the answer must stay true. */
  names(): string[] {
    return directoryNames(this);
  }

  stats(): KernelStats {
    return this.locked(() => ({
      liveAllocations: this.words[LIVE_WORD],
      liveBytes: this.words[LIVE_BYTES_WORD],
      segmentCacheBytes: this.words[SEGMENT_CACHE_BYTES_WORD],
      heapTop: this.words[TOP_WORD],
      byteLength: this.buffer.byteLength,
      maxByteLength: this.buffer.maxByteLength,
    }));
  }

  /**
   * Checks a handle's own fields: an object (else TypeError), of the expected kind,
   * made in this kernel (else ValueError). attachRegion checks the region too.
   */
  checkHandle(handle: RegionHandle, expectedKind: string): void {
    if (handle === null || typeof handle !== 'object') throw new TypeError(`expected a ${expectedKind} handle, got ${describeHandle(handle)}`);
    if (handle.kind !== expectedKind) throw new ValueError(`expected a ${expectedKind} handle, got ${describeHandle(handle)}`);
    if (handle.kernel !== this.id) {
      throw new ValueError(
        `this ${expectedKind} handle belongs to kernel ${describeId(handle.kernel)}, but this thread uses kernel ${this.id} ` +
          '(a thread uses one kernel: the first handle it attaches, or its kernelWorkerData(), decides which)',
      );
    }
  }

  /**
   * Checks `handle` (its fields, then its region: region.ts) and takes one
   * reference to the region; `claimedBytes` is what the caller will view.
   */
  attachRegion(handle: RegionHandle, kind: RegionKind, claimedBytes: number): void {
    this.checkHandle(handle, kind);
    this.locked(() => {
      checkRegion(this, handle, claimedBytes);
      addReferences(this, handle.offset, 1);
    });
  }
}

/** What a supposed handle is, for an error message: "a Lock handle", "null", ... */
export function describeHandle(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' ? `a ${kind} handle` : 'an object that is not a handle';
}

function describeId(id: unknown): string {
  return typeof id === 'number' ? String(id) : JSON.stringify(id) ?? String(id);
}

let current: Kernel | undefined;

/**
 * This thread's kernel: the one its workerData carries in a worker started by
 * memplay, otherwise one created on first use (the main thread's).
 */
export function defaultKernel(): Kernel {
  current ??= inheritedKernel() ?? Kernel.create();
  return current;
}

/**
 * The kernel to check `handle` against: this thread's, or, in a thread that has
 * none yet (a plain `new Worker`), the one the handle's buffer holds, which then
 * becomes this thread's. A SharedArrayBuffer that is not a memplay kernel, or not
 * the kernel the handle names, is a ValueError, and so is a handle with no buffer
 * in a thread that has no kernel. Anything else in `buffer` counts as none (JSON
 * turns a SharedArrayBuffer into {}). Only the buffer's header is read here;
 * attachRegion checks the region before any view of it is made.
 */
export function kernelOf(handle: RegionHandle): Kernel {
  if (handle === null || typeof handle !== 'object') return defaultKernel();
  const buffer = checkedBuffer(handle);
  current ??= inheritedKernel();
  if (current !== undefined) return current;
  if (buffer === undefined) {
    throw new ValueError(
      `this ${String(handle.kind)} handle carries no kernel buffer, and this thread has no kernel yet: ` +
        'pass the handle itself (obj.handle), not a copy made by hand or through JSON',
    );
  }
  current = Kernel.fromBuffer(buffer);
  return current;
}

/** The handle's buffer, if it has one, once checked to be the kernel the handle names. */
function checkedBuffer(handle: RegionHandle): SharedArrayBuffer | undefined {
  const { kind, buffer } = handle;
  if (!(buffer instanceof SharedArrayBuffer)) return undefined;
  if (buffer.byteLength < HEADER_BYTES) throw new ValueError(`bad ${String(kind)} handle: its buffer is not a memplay kernel`);
  const header = new Int32Array(buffer, 0, HEADER_BYTES >> 2);
  if (header[MAGIC_WORD] !== MAGIC) throw new ValueError(`bad ${String(kind)} handle: its buffer is not a memplay kernel`);
  if (header[ID_WORD] !== handle.kernel) {
    throw new ValueError(`bad ${String(kind)} handle: its buffer is kernel ${header[ID_WORD]}, but the handle names kernel ${describeId(handle.kernel)}`);
  }
  return buffer;
}

/** Makes `kernel` this thread's default (tests and embedders that manage kernels themselves). */
export function useKernel(kernel: Kernel): void {
  current = kernel;
}

/** workerData for a Worker that is to share this thread's kernel (the harness's crew passes it to every thread it starts). */
export function kernelWorkerData<T extends object>(extra?: T): T & { [KERNEL_WORKER_DATA_KEY]: SharedArrayBuffer } {
  return { ...(extra as T), [KERNEL_WORKER_DATA_KEY]: defaultKernel().buffer };
}

function inheritedKernel(): Kernel | undefined {
  const buffer = (workerData as Record<string, unknown> | null | undefined)?.[KERNEL_WORKER_DATA_KEY];
  return buffer instanceof SharedArrayBuffer ? Kernel.fromBuffer(buffer) : undefined;
}

/**
 * The region behind a shared object's constructor: a new zeroed one of `bytes`
 * bytes when no handle is given, or, when attaching, the handle's own, checked
 * to hold `bytes` bytes (region.ts) before anything is viewed. Either way the
 * caller holds one reference (release it with kernel.release, or lifetime.ts).
 */
export function openRegion<H extends RegionHandle>(
  kind: H['kind'] & RegionKind,
  bytes: number,
  handle: H | undefined,
  extra?: Omit<H, keyof RegionHandle>,
): { kernel: Kernel; handle: H } {
  if (handle !== undefined) {
    const kernel = kernelOf(handle);
    kernel.attachRegion(handle, kind, bytes);
    return { kernel, handle };
  }
  const kernel = defaultKernel();
  return { kernel, handle: kernel.handleOf<H>(kind, kernel.alloc(bytes, kind), extra) };
}
