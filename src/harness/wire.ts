/*
 * How a scenario's shared objects travel to its workers: what pickling a
 * multiprocessing.Value or Lock into a Process's arguments does in Python.
 *
 * setup() returns any tree of plain objects and arrays whose leaves are shared
 * objects (anything with a `.handle`: Value, SharedArray, Lock, Condition, ...)
 * or plain data. `toWire` swaps every shared object for its handle, tagged; in the
 * worker `fromWire` rebuilds each one with `attach`, leaving the tree's shape as it was.
 */

const HANDLE_TAG = '$memplayHandle';

export interface HandleLike {
  readonly kind: string;
  readonly kernel: number;
  readonly offset: number;
}

type Wire = unknown;

function handleOf(value: unknown): HandleLike | undefined {
  if (value === null || typeof value !== 'object' || !('handle' in value)) return undefined;
  const handle = (value as { handle: unknown }).handle as Partial<HandleLike> | null;
  return handle !== null && typeof handle === 'object' && typeof handle.kind === 'string' && typeof handle.offset === 'number'
    ? (handle as HandleLike)
    : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The tree with every shared object replaced by its tagged handle (structured-cloneable). */
export function toWire(value: unknown): Wire {
  const handle = handleOf(value);
  if (handle !== undefined) return { [HANDLE_TAG]: handle };
  if (Array.isArray(value)) return value.map(toWire);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWire(item)]));
  return value;
}

/** Calls `visit` with every shared object of the tree and its path in it ("forks[2]", "account.lock"). */
export function forEachSharedObject(value: unknown, visit: (path: string, object: { readonly handle: HandleLike }) => void, path = ''): void {
  if (handleOf(value) !== undefined) visit(path, value as { readonly handle: HandleLike });
  else if (Array.isArray(value)) value.forEach((item, index) => forEachSharedObject(item, visit, `${path}[${index}]`));
  else if (isPlainObject(value)) Object.entries(value).forEach(([key, item]) => forEachSharedObject(item, visit, path === '' ? key : `${path}.${key}`));
}

/** The tree rebuilt in this thread: each tagged handle attached with `attach`. */
export function fromWire(wire: Wire, attach: (handle: HandleLike) => unknown): unknown {
  if (Array.isArray(wire)) return wire.map((item) => fromWire(item, attach));
  if (isPlainObject(wire)) {
    if (HANDLE_TAG in wire) return attach(wire[HANDLE_TAG] as HandleLike);
    return Object.fromEntries(Object.entries(wire).map(([key, item]) => [key, fromWire(item, attach)]));
  }
  return wire;
}
