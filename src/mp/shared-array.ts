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
 * close() (or `using`) drops this object's reference and its lock's; the region
 * is freed with the last reference (lifetime.ts); a closed array raises ValueError.
 *
 * Each get, set and toArray is a scheduling point (atomics/scheduling-point.ts).
 *
 * Layout: one kernel region of length * itemsize bytes (16-byte aligned); the
 * lock, when there is one, is a region of its own.
 */
import { accessPoint, ACCESS, scheduling } from '../atomics/scheduling-point.js';
import { IndexError, ValueError } from '../errors.js';
import type { RegionHandle } from '../shm/kernel.js';
import { Closable } from '../shm/lifetime.js';
import { openSynchronized, requireLock, underLock, type LockOption, type SyncLock, type SyncLockHandle } from './synchronized.js';
import { toStorable, typeInfo, typeOfHandle, viewOf, type TypedView, type Typecode, type TypeInfo, type ValueOf } from './typecodes.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

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

export class SharedTypedArray<T extends Typecode = Typecode> extends Closable implements Iterable<ValueOf<T>> {
  readonly handle: SharedArrayHandle<T>;
  readonly #type: TypeInfo;
  #items: TypedView | null;
  readonly #lock: SyncLock | null;

  /** A new array (typecode, a length or the initial items, options), or the one a handle names. */
  constructor(typecode: T, sizeOrValues: number | Iterable<ValueOf<T> | number>, options?: SharedArrayOptions);
  constructor(handle: SharedArrayHandle<T>);
  constructor(typecodeOrHandle: T | SharedArrayHandle<T>, sizeOrValues?: number | Iterable<unknown>, options: SharedArrayOptions = {}) {
    super();
    const attaching = typeof typecodeOrHandle === 'object' && typecodeOrHandle !== null;
    const typecode = attaching ? typecodeOrHandle.typecode : typecodeOrHandle;
    this.#type = attaching ? typeOfHandle('SharedArray', typecode) : typeInfo(typecode);
    const initial = attaching ? [] : initialItems(this.#type, sizeOrValues);
    const length = attaching ? checkedLength(typecodeOrHandle.length) : typeof sizeOrValues === 'number' ? sizeOrValues : initial.length;
    const handle = attaching ? typecodeOrHandle : undefined;
    const region = openSynchronized<SharedArrayHandle<T>>('SharedArray', length * this.#type.bytes, handle, options?.lock, { typecode, length });
    this.handle = region.handle;
    this.#lock = region.lock;
    this.takeLifetime(region.drop);
    const items = viewOf(this.#type, region.kernel.buffer, region.handle.offset, length);
    initial.forEach((item, i) => (items[i] = item as never));
    this.#items = items;
  }

  get typecode(): T {
    return this.handle.typecode;
  }

  get length(): number {
    return this.handle.length;
  }

  /** a[i], under the lock for this read alone. */
  get(index: number): ValueOf<T> {
    const items = this.#open();
    const slot = this.#slot(index);
    if (scheduling.active !== null) return this.#controlled(items, slot, 'array.read', () => items[slot] as ValueOf<T>);
    return underLock(this.#lock, () => items[slot] as ValueOf<T>);
  }

  /** a[i] = v, under the lock for this write alone. */
  set(index: number, input: ValueOf<T> | number): void {
    const items = this.#open();
    const slot = this.#slot(index);
    const stored = toStorable(this.#type, input) as never;
    const write = () => {
      items[slot] = stored;
    };
    if (scheduling.active !== null) this.#controlled(items, slot, 'array.write', write, Number(stored));
    else underLock(this.#lock, write);
  }

  /** a[:]: every item, read under one hold of the lock. */
  toArray(): ValueOf<T>[] {
    const items = this.#open();
    const copy = () => Array.from(items as Iterable<ValueOf<T>>);
    if (scheduling.active !== null) return this.#controlled(items, -1, 'array.read', copy);
    return underLock(this.#lock, copy);
  }

  *[Symbol.iterator](): Iterator<ValueOf<T>> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** The array's lock (Python: get_lock()); a raw array has none. */
  getLock(): SyncLock {
    return requireLock(this.#lock, 'SharedArray');
  }

  protected override onClose(): void {
    this.#items = null;
  }

  /** An access in a controlled run: under the lock, a scheduling point, then the access (kept off the fast path). Slot -1: the whole array. */
  #controlled<R>(items: TypedView, slot: number, op: 'array.read' | 'array.write', access: () => R, written = 0): R {
    return underLock(this.#lock, () => {
      const location = slot < 0 ? -1 : items.byteOffset + slot * items.BYTES_PER_ELEMENT;
      accessPoint(op, this.handle.offset, slot, op === 'array.read' ? ACCESS.read : ACCESS.write, location, this.typecode, written);
      return access();
    });
  }

  #open(): TypedView {
    if (this.#items === null) throw new ValueError('operation on a closed SharedArray');
    return this.#items;
  }

  #slot(index: number): number {
    if (!Number.isInteger(index)) throw new TypeError(`array indices must be integers, not ${typeof index}`);
    const slot = index < 0 ? index + this.length : index;
    if (slot < 0 || slot >= this.length) throw new IndexError(`invalid index ${index} for an array of length ${this.length}`);
    return slot;
  }
}

/** A handle's length, before it is trusted to size a view (region.ts checks it against the region). */
function checkedLength(length: unknown): number {
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) throw new ValueError(`bad SharedArray handle: length ${String(length)}`);
  return length;
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

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    SharedArray: { handle: SharedArrayHandle; object: SharedTypedArray };
  }
}
registerHandleKind('SharedArray', (handle) => new SharedTypedArray(handle));
