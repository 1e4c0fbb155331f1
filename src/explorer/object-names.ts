/*
 * The names a step table uses for a run's shared objects: each object's path in
 * what setup() returned ("counter", "forks[2]", "account"), by region offset,
 * so an operation announced on region 4096 prints as `counter.value`. Locks
 * inside other objects get the name Python code would reach them by: a Value's
 * or Array's lock is `counter.get_lock()`, a Condition's lock is the Condition
 * itself (`with cond:` takes it), a Barrier's condition is the Barrier's.
 *
 * An object setup() did not return (one a Python script's process made) is
 * learned when a step of a witness touches it, named by its region's kind and
 * the order of first use: `Lock#1`, `Value#2`.
 *
 * The data objects (Value, SharedArray, SharedWords) are also the run's shared
 * state, read straight from memory after each step of a witness (never through
 * their locks: a worker parked inside a `with` block may hold one).
 */
import { forEachSharedObject, type HandleLike } from '../harness/wire.js';
import { liveRegionKind } from '../shm/region.js';
import { isFloatType, readCell } from './memory-cells.js';

export interface NamedObject {
  readonly name: string;
  readonly kind: string;
}

interface DataCells {
  readonly name: string;
  readonly kind: string;
  readonly offset: number;
  readonly type: number;
  readonly length: number;
  readonly size: number;
}

const SIZES: Record<string, number> = { b: 1, B: 1, h: 2, H: 2, i: 4, I: 4, l: 8, L: 8, q: 8, Q: 8, f: 4, d: 8 };
/** At most this many items of an array are shown in the state column. */
const SHOWN_ITEMS = 8;

export class ObjectNames {
  readonly #byOffset = new Map<number, NamedObject>();
  readonly #data: DataCells[] = [];
  readonly #learned = new Map<string, number>();

  constructor(shared: unknown) {
    forEachSharedObject(shared, (path, object) => this.#add(path, object.handle as HandleLike & Record<string, unknown>));
  }

  nameOf(offset: number): NamedObject {
    return this.#byOffset.get(offset) ?? { name: `object@${offset}`, kind: 'object' };
  }

  /** Names the object at `offset` by its region's kind, if it has no name yet and is live in `kernel`. */
  learn(offset: number, kernel: SharedArrayBuffer): void {
    if (offset < 0 || this.#byOffset.has(offset)) return;
    const kind = liveRegionKind(new Int32Array(kernel), offset);
    if (kind === null) return;
    const number = (this.#learned.get(kind) ?? 0) + 1;
    this.#learned.set(kind, number);
    this.#byOffset.set(offset, { name: `${kind}#${number}`, kind });
  }

  /** Every object's offset with its name (for the deadlock report's holders). */
  entries(): [number, NamedObject][] {
    return [...this.#byOffset];
  }

  /** The data objects' values now, e.g. "counter=2 balances=[5, 0, 3]". */
  describeState(kernel: SharedArrayBuffer): string {
    return this.#data.map((cells) => `${cells.name}=${this.#valueText(kernel, cells)}`).join(' ');
  }

  #valueText(kernel: SharedArrayBuffer, cells: DataCells): string {
    const show = (i: number) => formatNumber(readCell(kernel, cells.offset + i * cells.size, cells.type), cells.type);
    if (cells.kind === 'Value') return show(0);
    const items = Array.from({ length: Math.min(cells.length, SHOWN_ITEMS) }, (_, i) => show(i));
    return `[${items.join(', ')}${cells.length > SHOWN_ITEMS ? ', ...' : ''}]`;
  }

  #add(path: string, handle: HandleLike & Record<string, unknown>): void {
    this.#byOffset.set(handle.offset, { name: path, kind: handle.kind });
    const lock = handle.lock as HandleLike | null | undefined;
    if (lock && typeof lock.offset === 'number') {
      const name = handle.kind === 'Condition' ? path : `${path}.get_lock()`;
      this.#byOffset.set(lock.offset, { name, kind: lock.kind });
    }
    const condition = handle.condition as (HandleLike & Record<string, unknown>) | undefined;
    if (condition && typeof condition.offset === 'number') this.#add(`${path}._cond`, condition);
    const typecode = typeof handle.typecode === 'string' ? handle.typecode : handle.kind === 'SharedWords' ? 'i' : undefined;
    if (typecode === undefined || !(typecode in SIZES) || !['Value', 'SharedArray', 'SharedWords'].includes(handle.kind)) return;
    const length = handle.kind === 'Value' ? 1 : Number(handle.length);
    this.#data.push({ name: path, kind: handle.kind, offset: handle.offset, type: typecode.charCodeAt(0), length, size: SIZES[typecode] });
  }
}

/** A number as Python prints it: ints bare, floats with a decimal point. */
export function formatNumber(value: number, type: number): string {
  if (!isFloatType(type)) return String(value);
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
