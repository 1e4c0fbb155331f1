/*
 * attachPrimitive(handle): the synchronization primitive a handle names, rebuilt
 * in this thread, whatever its kind. Handles are plain data (kind, kernel, offset
 * and a few fields) plus the kernel's buffer, so they travel through workerData,
 * task arguments and messages; two objects attached from one handle are the same
 * primitive. Each primitive's module registers its kind (shm/handle-kinds.ts);
 * this module only narrows attach() to the seven primitives.
 */
import { attachHandle } from '../shm/handle-kinds.js';
import type { Barrier, BarrierHandle } from './barrier.js';
import type { Condition, ConditionHandle } from './condition.js';
import type { Event, EventHandle } from './event.js';
import type { Lock, LockHandle } from './lock.js';
import type { RLock, RLockHandle } from './rlock.js';
import type { BoundedSemaphore, BoundedSemaphoreHandle, Semaphore, SemaphoreHandle } from './semaphore.js';
import './barrier.js';
import './condition.js';
import './event.js';
import './lock.js';
import './rlock.js';
import './semaphore.js';

export type PrimitiveHandle =
  | LockHandle
  | RLockHandle
  | SemaphoreHandle
  | BoundedSemaphoreHandle
  | ConditionHandle
  | EventHandle
  | BarrierHandle;

export type Primitive = Lock | RLock | Semaphore | BoundedSemaphore | Condition | Event | Barrier;

/** The primitive each kind of handle attaches to. */
export interface PrimitiveOf {
  Lock: Lock;
  RLock: RLock;
  Semaphore: Semaphore;
  BoundedSemaphore: BoundedSemaphore;
  Condition: Condition;
  Event: Event;
  Barrier: Barrier;
}

const PRIMITIVE_KINDS: ReadonlySet<string> = new Set<keyof PrimitiveOf>(['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event', 'Barrier']);

/** Whether `kind` names one of the seven synchronization primitives. */
export function isPrimitiveKind(kind: unknown): kind is keyof PrimitiveOf {
  return typeof kind === 'string' && PRIMITIVE_KINDS.has(kind);
}

export function attachPrimitive<H extends PrimitiveHandle>(handle: H): PrimitiveOf[H['kind']] {
  const kind: unknown = (handle as { kind?: unknown } | null)?.kind;
  if (!isPrimitiveKind(kind)) throw new TypeError(`not the handle of a synchronization primitive: kind ${String(kind)}`);
  return attachHandle(handle) as PrimitiveOf[H['kind']];
}
