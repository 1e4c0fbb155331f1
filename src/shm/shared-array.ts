/*
 * SharedArray and RawSharedArray: multiprocessing.Array / sharedctypes.RawArray.
 *
 * A fixed-length array of one C type in shared memory. Like Python's
 * SynchronizedArray, the synchronized form takes its lock for each single
 * get or set (and once for a whole toArray() snapshot, as a[:] does), so a
 * read-modify-write of one slot, or a transfer between two slots, is not atomic
 * unless the caller holds getLock() around it. Indexes follow Python: negative
 * ones count from the end; anything outside the array is an IndexError and is
 * never read or written.
 *
 * Layout: one kernel region of length * itemsize bytes (16-byte aligned); the
 * lock, when there is one, is a region of its own.
 */
import { IndexError } from '../errors.js';
import { openRegion, type RegionHandle } from './kernel.js';
import { attachLock, lockFor, requireLock, underLock, type LockOption, type SyncLock, type SyncLockHandle } from './synchronized.js';
import { toStorable, typeInfo, viewOf, type TypedView, type Typecode, type TypeInfo, type ValueOf } from './typecodes.js';

export interface SharedArrayHandle<T extends Typecode = Typecode> extends RegionHandle {
  readonly kind: 'SharedArray';
  readonly typecode: T;
  readonly length: number;
  readonly lock: SyncLockHandle | null;
}

export interface SharedArrayOptions {
  /** true (default): a new RLock; false: none; or a Lock/RLock to use. */
  lock?: LockOption;
}

export class SharedTypedArray<T extends Typecode = Typecode> implements Iterable<ValueOf<T>> {
  readonly handle: SharedArrayHandle<T>;
  readonly #type: TypeInfo;
  readonly #items: TypedView;
  readonly #lock: SyncLock | null;

  /** A new array (typecode, a length or the initial items, options), or the one a handle names. */
  constructor(typecode: T, sizeOrValues: number | Iterable<ValueOf<T> | number>, options?: SharedArrayOptions);
  constructor(handle: SharedArrayHandle<T>);
  constructor(typecodeOrHandle: T | SharedArrayHandle<T>, sizeOrValues?: number | Iterable<unknown>, options: SharedArrayOptions = {}) {
    const attaching = typeof typecodeOrHandle === 'object';
    const typecode = attaching ? typecodeOrHandle.typecode : typecodeOrHandle;
    this.#type = typeInfo(typecode);
    const initial = attaching ? [] : initialItems(this.#type, sizeOrValues);
    const length = attaching ? typecodeOrHandle.length : typeof sizeOrValues === 'number' ? sizeOrValues : initial.length;
    this.#lock = attaching ? attachLock(typecodeOrHandle.lock) : lockFor(options.lock);
    const region = openRegion<SharedArrayHandle<T>>('SharedArray', length * this.#type.bytes, attaching ? typecodeOrHandle : undefined, {
      typecode,
      length,
      lock: this.#lock?.handle ?? null,
    });
    this.handle = region.handle;
    this.#items = viewOf(this.#type, region.kernel.buffer, region.handle.offset, length);
    initial.forEach((item, i) => (this.#items[i] = item as never));
  }

  get typecode(): T {
    return this.handle.typecode;
  }

  get length(): number {
    return this.handle.length;
  }

  /** a[i], under the lock for this read alone. */
  get(index: number): ValueOf<T> {
    const slot = this.#slot(index);
    return underLock(this.#lock, () => this.#items[slot] as ValueOf<T>);
  }

  /** a[i] = v, under the lock for this write alone. */
  set(index: number, input: ValueOf<T> | number): void {
    const slot = this.#slot(index);
    const stored = toStorable(this.#type, input) as never;
    underLock(this.#lock, () => {
      this.#items[slot] = stored;
    });
  }

  /** a[:]: every item, read under one hold of the lock. */
  toArray(): ValueOf<T>[] {
    return underLock(this.#lock, () => Array.from(this.#items as Iterable<ValueOf<T>>));
  }

  *[Symbol.iterator](): Iterator<ValueOf<T>> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** The array's lock (Python: get_lock()); a raw array has none. */
  getLock(): SyncLock {
    return requireLock(this.#lock, 'SharedArray');
  }

  #slot(index: number): number {
    if (!Number.isInteger(index)) throw new TypeError(`array indices must be integers, not ${typeof index}`);
    const slot = index < 0 ? index + this.length : index;
    if (slot < 0 || slot >= this.length) throw new IndexError(`invalid index ${index} for an array of length ${this.length}`);
    return slot;
  }
}

function initialItems(type: TypeInfo, sizeOrValues: number | Iterable<unknown> | undefined): (number | bigint)[] {
  if (typeof sizeOrValues === 'number') {
    if (!Number.isSafeInteger(sizeOrValues) || sizeOrValues < 0) throw new TypeError(`array size must be a non-negative integer, not ${sizeOrValues}`);
    return [];
  }
  if (sizeOrValues === undefined || sizeOrValues === null || typeof (sizeOrValues as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError('SharedArray needs a size or an iterable of initial values');
  }
  return Array.from(sizeOrValues, (item) => toStorable(type, item));
}

/** multiprocessing.Array(typecode, size_or_initializer, lock=True). */
export function SharedArray<T extends Typecode>(
  typecode: T,
  sizeOrValues: number | Iterable<ValueOf<T> | number>,
  options?: SharedArrayOptions,
): SharedTypedArray<T> {
  return new SharedTypedArray(typecode, sizeOrValues, options);
}

/** multiprocessing.sharedctypes.RawArray(typecode, size_or_initializer): no lock. */
export function RawSharedArray<T extends Typecode>(typecode: T, sizeOrValues: number | Iterable<ValueOf<T> | number>): SharedTypedArray<T> {
  return new SharedTypedArray(typecode, sizeOrValues, { lock: false });
}
