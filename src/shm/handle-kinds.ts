/*
 * The handle-kind registry: for each kind of shared object, how a handle of that
 * kind is attached in this thread. It is what copyreg's dispatch table is to
 * pickle: one table, filled by each type's own module when it loads, read by one
 * function (attach, src/attach.ts), so no caller switches on kinds.
 *
 * Each kind's module calls registerHandleKind(kind, attachFn) once, after its class,
 * and augments HandleKinds with its handle and object types, so attach() is typed:
 *
 *   declare module '../shm/handle-kinds.js' {
 *     interface HandleKinds { Lock: { handle: LockHandle; object: Lock } }
 *   }
 *   registerHandleKind('Lock', (handle) => new Lock(handle));
 *
 * A kind must be a region kind (region.ts): attachFn opens the handle's region,
 * which checks the handle against the region header before any view is made.
 * The table lives on the ground floor so that every floor above can register
 * without importing attach.ts, which imports them all.
 */
import { ValueError } from '../errors.js';
import { isRegionKind, kindCode } from './region.js';

/** Kind -> { handle, object }: filled in by each kind's module (declaration merging). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface HandleKinds {}

export type HandleKind = keyof HandleKinds & string;
/** Any registered kind's handle. */
export type AnyHandle = { [K in HandleKind]: HandleKinds[K] extends { handle: infer H } ? H : never }[HandleKind];
/** The object a handle of kind K attaches to. */
export type AttachedTo<K extends HandleKind> = HandleKinds[K] extends { object: infer O } ? O : never;
type HandleOfKind<K extends HandleKind> = HandleKinds[K] extends { handle: infer H } ? H : never;

const attachers = new Map<string, (handle: never) => unknown>();

/**
 * Says how handles of `kind` are attached. A kind registered already keeps its
 * first attach function: a second registration comes from another copy of the
 * kind's module (a `?query` import, a file loaded twice), whose objects are the
 * same shared objects of another class.
 */
export function registerHandleKind<K extends HandleKind>(kind: K, attachFn: (handle: HandleOfKind<K>) => AttachedTo<K>): void;
export function registerHandleKind(kind: string, attachFn: (handle: never) => unknown): void;
export function registerHandleKind(kind: string, attachFn: (handle: never) => unknown): void {
  if (kind === 'internal') throw new TypeError("'internal' regions have no handle");
  kindCode(kind);
  if (typeof attachFn !== 'function') throw new TypeError(`registerHandleKind(${JSON.stringify(kind)}): attachFn must be a function`);
  if (!attachers.has(kind)) attachers.set(kind, attachFn);
}

/** The registered kinds, in registration order. */
export function registeredHandleKinds(): string[] {
  return [...attachers.keys()];
}

/** Whether `kind` is a registered kind. */
export function isHandleKind(kind: unknown): kind is HandleKind {
  return typeof kind === 'string' && attachers.has(kind);
}

/** The object `handle` names, attached in this thread; a ValueError for anything that is not a registered kind's handle. */
export function attachHandle(handle: unknown): unknown {
  const kind: unknown = handle !== null && typeof handle === 'object' ? (handle as { kind?: unknown }).kind : undefined;
  const attachFn = typeof kind === 'string' ? attachers.get(kind) : undefined;
  if (attachFn === undefined) {
    if (isRegionKind(kind) && kind !== 'internal') throw new ValueError(`${kind} handles attach once their module is loaded in this thread: import it (every kind comes with 'memplay')`);
    throw new ValueError(`not a memplay handle: ${describe(handle, kind)}; the kinds are ${registeredHandleKinds().join(', ')}`);
  }
  return attachFn(handle as never);
}

function describe(handle: unknown, kind: unknown): string {
  if (handle === null || typeof handle !== 'object') return String(handle);
  return kind === undefined ? 'an object with no kind' : `its kind is ${JSON.stringify(kind) ?? String(kind)}`;
}
