/*
 * Value and RawValue: multiprocessing.Value / multiprocessing.sharedctypes.RawValue.
 *
 * One C-typed number in shared memory, read and written through `.value`.
 * Value(typecode, initial, { lock }) is synchronized as in Python: every read of
 * `.value` and every write takes the lock for that one access (see synchronized.ts),
 * so `v.value += 1` from several workers loses updates unless the caller holds
 * `v.getLock()` around it. RawValue has no lock at all.
 *
 * close() (or `using`) drops this object's reference and its lock's; the region
 * is freed with the last reference (lifetime.ts); a closed Value raises ValueError.
 *
 * Each read and write is a scheduling point (atomics/scheduling-point.ts), inside
 * the lock when there is one.
 *
 * Layout: a 16-byte kernel region holding the number at byte 0 (8-byte aligned);
 * the lock, when there is one, is a region of its own, so that it can be shared.
 */
import { accessPoint, ACCESS, scheduling } from '../atomics/scheduling-point.js';
import { ValueError } from '../errors.js';
import type { RegionHandle } from '../shm/kernel.js';
import { Closable } from '../shm/lifetime.js';
import { openSynchronized, requireLock, underLock, type LockOption, type SyncLock, type SyncLockHandle } from './synchronized.js';
import { toStorable, typeInfo, typeOfHandle, viewOf, type TypedView, type Typecode, type TypeInfo, type ValueOf } from './typecodes.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface ValueHandle<T extends Typecode = Typecode> extends RegionHandle {
  readonly kind: 'Value';
  readonly typecode: T;
  readonly lock: SyncLockHandle | null;
}

export interface ValueOptions {
  /** true (default): a new RLock; false: none; or a Lock/RLock to use. */
  lock?: LockOption;
}

const REGION_BYTES = 16;

export class SharedValue<T extends Typecode = Typecode> extends Closable {
  readonly handle: ValueHandle<T>;
  readonly #type: TypeInfo;
  #cell: TypedView | null;
  readonly #lock: SyncLock | null;

  /** A new value (typecode, initial, options), or the one a handle names. */
  constructor(typecode: T, initial?: ValueOf<T> | number, options?: ValueOptions);
  constructor(handle: ValueHandle<T>);
  constructor(typecodeOrHandle: T | ValueHandle<T>, initial: unknown = 0, options: ValueOptions = {}) {
    super();
    const attaching = typeof typecodeOrHandle === 'object' && typecodeOrHandle !== null;
    const typecode = attaching ? typecodeOrHandle.typecode : typecodeOrHandle;
    this.#type = attaching ? typeOfHandle('Value', typecode) : typeInfo(typecode);
    const stored = attaching ? 0 : toStorable(this.#type, initial);
    const region = openSynchronized<ValueHandle<T>>('Value', REGION_BYTES, attaching ? typecodeOrHandle : undefined, options?.lock, { typecode });
    this.handle = region.handle;
    this.#lock = region.lock;
    this.takeLifetime(region.drop);
    this.#cell = viewOf(this.#type, region.kernel.buffer, region.handle.offset, 1);
    if (!attaching) this.#cell[0] = stored as never;
  }

  get typecode(): T {
    return this.handle.typecode;
  }

  /** The number; with a lock, each read holds it for the read alone. */
  get value(): ValueOf<T> {
    const cell = this.#open();
    if (scheduling.active !== null) return this.#controlled(cell, 'value.read', () => cell[0] as ValueOf<T>);
    return underLock(this.#lock, () => cell[0] as ValueOf<T>);
  }

  /** Stores the number (wrapping as ctypes does); with a lock, holds it for the write alone. */
  set value(input: ValueOf<T> | number) {
    const cell = this.#open();
    const stored = toStorable(this.#type, input) as never;
    const write = () => {
      cell[0] = stored;
    };
    if (scheduling.active !== null) this.#controlled(cell, 'value.write', write, Number(stored));
    else underLock(this.#lock, write);
  }

  /** The wrapper's lock (Python: get_lock()); a RawValue or lock: false has none. */
  getLock(): SyncLock {
    return requireLock(this.#lock, 'Value');
  }

  override toString(): string {
    const raw = `${this.#type.ctype}(${this.#open()[0]})`;
    return this.#lock === null ? raw : `<Synchronized wrapper for ${raw}>`;
  }

  protected override onClose(): void {
    this.#cell = null;
  }

  /** An access in a controlled run: under the lock, a scheduling point, then the access (kept off the fast path). */
  #controlled<R>(cell: TypedView, op: 'value.read' | 'value.write', access: () => R, written = 0): R {
    return underLock(this.#lock, () => {
      accessPoint(op, this.handle.offset, 0, op === 'value.read' ? ACCESS.read : ACCESS.write, cell.byteOffset, this.typecode, written);
      return access();
    });
  }

  #open(): TypedView {
    if (this.#cell === null) throw new ValueError('operation on a closed Value');
    return this.#cell;
  }
}

/** multiprocessing.Value(typecode, initial, lock=True). */
export function Value<T extends Typecode>(typecode: T, initial?: ValueOf<T> | number, options?: ValueOptions): SharedValue<T> {
  return new SharedValue(typecode, initial, options);
}

/** multiprocessing.sharedctypes.RawValue(typecode, initial): no lock. */
export function RawValue<T extends Typecode>(typecode: T, initial?: ValueOf<T> | number): SharedValue<T> {
  return new SharedValue(typecode, initial, { lock: false });
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    Value: { handle: ValueHandle; object: SharedValue };
  }
}
registerHandleKind('Value', (handle) => new SharedValue(handle));
