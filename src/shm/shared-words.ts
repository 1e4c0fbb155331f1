/*
 * SharedWords: a few 32-bit integers in the kernel, for the state a stress target
 * guards and checks (a counter, an in-critical-section gauge, a ring buffer's
 * slots). What a ctypes c_int array in a multiprocessing.RawArray is to a Python
 * test, with the Int32Array itself exposed, so that a check can use plain reads
 * and writes (the racy ones it exists to catch) or Atomics (the gauges).
 *
 * It is also a scenario's atomic counter: `add(i, n)` is one indivisible
 * read-modify-write (Atomics.add: a lock-prefixed x86 XADD), which is what Python
 * lacks (`counter.value += 1` is a read and a write) and what a C extension's
 * `__atomic_fetch_add` or 3.13t's internal atomics give. `load`, `store` and
 * `compareExchange` are the matching sequentially consistent single-word
 * operations. Values wrap as 32-bit signed integers, as an int32_t does.
 *
 * And it is the GIL lab's module globals: the part of a CPython module's __dict__
 * the lab's programs use (`done`, `counter`), one word each, shared by every
 * thread running the module; LOAD_GLOBAL and STORE_GLOBAL (gil/eval-loop.ts) are
 * one atomic load or store of `words`, a single bytecode being indivisible.
 *
 * Each method is a scheduling point (atomics/scheduling-point.ts), so a lock a
 * user builds of these atomics is explored by `memplay explore`; `wait` and
 * `notify` are the futex calls (Atomics.wait/notify through atomics/futex.ts), so
 * its blocking is modelled too. The bare `words` view is no point at all.
 *
 * Layout: one kernel region of `length` Int32 words, word i at index i; the handle
 * carries the length. attach(handle) (src/attach.ts) rebuilds it in any worker,
 * so it may be a leaf of a scenario's or a stress target's shared objects.
 *
 * Lifetime (lifetime.ts): each SharedWords object holds one reference to the
 * region; close() (or `using`) drops it and the last one frees the region.
 * free() frees it at once, whatever other threads still hold (the owner's end of
 * a run). A closed SharedWords raises ValueError and its `words` are a private copy.
 */
import { futexWait, futexWake, deadlineAfter, type WaitResult } from '../atomics/futex.js';
import { accessPoint, ACCESS, scheduling, type Access, type OpName } from '../atomics/scheduling-point.js';
import { IndexError, ValueError } from '../errors.js';
import { openRegion, type Kernel, type RegionHandle } from './kernel.js';
import { Closable, closedWords, regionReference } from './lifetime.js';
import { registerHandleKind } from './handle-kinds.js';

export interface SharedWordsHandle extends RegionHandle {
  readonly kind: 'SharedWords';
  readonly length: number;
}

export class SharedWords extends Closable {
  readonly handle: SharedWordsHandle;
  /** A fixed-length view of the region (fast Atomics, see sync/region-words.ts); a private copy once closed. */
  words: Int32Array;
  readonly #kernel: Kernel;
  readonly #length: number;

  /** `length` new zeroed words, or the ones a handle names. */
  constructor(lengthOrHandle: number | SharedWordsHandle) {
    super();
    const handle = typeof lengthOrHandle === 'object' ? lengthOrHandle : undefined;
    const length = handle?.length ?? (lengthOrHandle as number);
    if (!Number.isSafeInteger(length) || length < 1) throw new TypeError(`SharedWords needs a whole number of words >= 1, got ${length}`);
    const region = openRegion<SharedWordsHandle>('SharedWords', length * 4, handle, { length });
    this.handle = region.handle;
    this.#kernel = region.kernel;
    this.words = new Int32Array(region.kernel.buffer, region.handle.offset, length);
    this.#length = length;
    this.takeLifetime(regionReference(region.kernel, region.handle));
  }

  /** Points `words` at private memory; close() then drops the reference. */
  protected override onClose(): void {
    this.words = closedWords();
  }

  /** Closes this object and gives the region back to the kernel now, whatever other threads still hold. */
  free(): void {
    this.close();
    this.#kernel.freeIfLive(this.handle.offset, this.handle.serial);
  }

  get length(): number {
    return this.#length;
  }

  /** Adds `delta` to word `index` atomically; returns the value before (fetch-and-add). */
  add(index: number, delta = 1): number {
    if (scheduling.active !== null) this.#point('words.add', index, ACCESS.update, delta);
    return Atomics.add(this.words, this.#checked(index), delta);
  }

  /** Word `index`, read atomically. */
  load(index: number): number {
    if (scheduling.active !== null) this.#point('words.load', index, ACCESS.read);
    return Atomics.load(this.words, this.#checked(index));
  }

  /** Writes `value` to word `index` atomically (wrapped to 32 bits); returns `value`, as Atomics.store does. */
  store(index: number, value: number): number {
    if (scheduling.active !== null) this.#point('words.store', index, ACCESS.write, value);
    return Atomics.store(this.words, this.#checked(index), value);
  }

  /** Writes `replacement` to word `index` if it holds `expected`; returns the value it held. */
  compareExchange(index: number, expected: number, replacement: number): number {
    if (scheduling.active !== null) this.#point('words.compareExchange', index, ACCESS.update, replacement, expected);
    return Atomics.compareExchange(this.words, this.#checked(index), expected, replacement);
  }

  /** futex(2) FUTEX_WAIT: sleeps while word `index` holds `expected`, at most `timeout` seconds (null: for ever). */
  wait(index: number, expected: number, timeout: number | null = null): WaitResult {
    if (scheduling.active !== null) this.#point('words.wait', index, ACCESS.update, expected);
    return futexWait(this.words, this.#checked(index), expected, deadlineAfter(timeout));
  }

  /** futex(2) FUTEX_WAKE: wakes up to `count` sleepers on word `index`; returns how many were woken. */
  notify(index: number, count = Infinity): number {
    if (scheduling.active !== null) this.#point('words.notify', index, ACCESS.update, count);
    return futexWake(this.words, this.#checked(index), count);
  }

  /** A scheduling point for an operation on word `index` (`value`: what it writes; `expected`: a compareExchange's). */
  #point(op: OpName, index: number, access: Access, value = 0, expected = 0): void {
    const slot = this.#checked(index);
    accessPoint(op, this.handle.offset, slot, access, this.words.byteOffset + slot * 4, 'i', value, expected);
  }

  #checked(index: number): number {
    if (this.closed) throw new ValueError('operation on a closed SharedWords');
    if (!Number.isInteger(index) || index < 0 || index >= this.words.length) {
      throw new IndexError(`SharedWords index ${index} out of range (it has ${this.words.length} words)`);
    }
    return index;
  }
}

declare module './handle-kinds.js' {
  interface HandleKinds {
    SharedWords: { handle: SharedWordsHandle; object: SharedWords };
  }
}
registerHandleKind('SharedWords', (handle) => new SharedWords(handle));
